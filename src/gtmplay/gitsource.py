"""Reading a playbook as it was at a git revision, without touching the work tree.

:class:`GitSource` satisfies :class:`gtmplay.sources.Source`: it lists the
files of the playbook folder at one commit (``git ls-tree``) and reads their
blobs in one ``git cat-file --batch`` call. Paths display exactly as those of
the working tree do, so findings of both revisions compare and read alike.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gtmplay.errors import GitError
from gtmplay.sources import ROOT_NAMES, SourceProblem, display_path, safe_relative

_SYMLINK, _MAX_LINKS = "120000", 16
_PREFETCH = (".yaml", ".yml", ".toml")
# paths are names, never patterns; messages in English so they read the same everywhere
_ENV = {"GIT_LITERAL_PATHSPECS": "1", "LC_ALL": "C"}


def _git(args: list[str], cwd: Path, ref: str, stdin: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
            env={**os.environ, **_ENV},
        )
    except FileNotFoundError:
        raise GitError(ref=ref, problem="git is not installed (or not on PATH)") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(ref=ref, problem=detail[-1] if detail else f"git {args[0]} failed")
    return proc.stdout


def repo_root(start: Path, ref: str) -> Path:
    """The top folder of the git work tree holding ``start`` (or its nearest parent)."""
    here = start.absolute()
    while not here.is_dir() and here != here.parent:
        here = here.parent
    try:
        out = _git(["rev-parse", "--show-toplevel"], here, ref)
    except GitError:
        raise GitError(ref=ref, problem=f"{start} is not inside a git repository") from None
    return Path(out.decode("utf-8").strip())


def commit_of(repo: Path, ref: str) -> str:
    """The commit id ``ref`` names; :class:`GitError` when it names none."""
    try:
        out = _git(["rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}"], repo, ref)
    except GitError:
        raise GitError(
            ref=ref, problem="no such branch, tag or commit (fetch it first, e.g. git fetch origin)"
        ) from None
    return out.decode("ascii").strip()


def merge_base(repo: Path, ref: str) -> str:
    """The commit where HEAD left ``ref``: what a pull request is compared with."""
    commit = commit_of(repo, ref)
    try:
        out = _git(["merge-base", commit, "HEAD"], repo, ref)
    except GitError:
        raise GitError(
            ref=ref,
            problem="it shares no history with HEAD (a shallow clone? fetch with fetch-depth: 0)",
        ) from None
    return out.decode("ascii").strip()


@dataclass(frozen=True, slots=True)
class _Entry:
    mode: str
    oid: str
    size: int


class GitSource:
    """The files below ``prefix`` (a folder of ``repo``) at ``commit``."""

    def __init__(self, repo: Path, commit: str, prefix: str, display_root: str, ref: str) -> None:
        self.repo, self.commit, self.ref = repo, commit, ref
        self.prefix = prefix.strip("/")
        self.display_root = display_root
        self._files = self._list()
        self._blobs: dict[str, bytes] = {}

    def _list(self) -> dict[str, _Entry]:
        spec = [f"{self.prefix}/"] if self.prefix else []
        out = _git(["ls-tree", "-r", "-z", "-l", self.commit, "--", *spec], self.repo, self.ref)
        files: dict[str, _Entry] = {}
        cut = len(self.prefix) + 1 if self.prefix else 0
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, kind, oid, size = meta.decode("ascii").split()
            if kind != "blob":
                continue  # submodules
            files[name.decode("utf-8", "surrogateescape")[cut:]] = _Entry(
                mode, oid, int(size) if size.isdigit() else 0
            )
        return files

    def exists(self, rel: str) -> bool:
        return rel in self._files

    def _target(self, rel: str) -> str:
        """``rel`` with symbolic links followed, inside the folder."""
        for _ in range(_MAX_LINKS):
            entry = self._files.get(rel)
            if entry is None or entry.mode != _SYMLINK:
                return rel
            link = self._blob(entry).decode("utf-8", "surrogateescape")
            target = safe_relative(posixpath.dirname(rel), link)
            if target is None:
                raise SourceProblem(
                    "this path leads outside the playbook folder (through a symbolic link)",
                    "keep every playbook file inside the playbook folder",
                )
            rel = target
        raise SourceProblem("too many levels of symbolic links")

    def _blob(self, entry: _Entry) -> bytes:
        data = self._blobs.get(entry.oid)
        if data is None:
            self._fetch([entry])
            data = self._blobs[entry.oid]
        return data

    def _fetch(self, wanted: list[_Entry]) -> None:
        """Read many blobs with one ``git cat-file --batch``."""
        oids = list(dict.fromkeys(e.oid for e in wanted if e.oid not in self._blobs))
        if not oids:
            return
        out = _git(
            ["cat-file", "--batch"], self.repo, self.ref, "".join(f"{o}\n" for o in oids).encode()
        )
        pos = 0
        for oid in oids:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            size = int(header[2])
            self._blobs[oid] = out[end + 1 : end + 1 + size]
            pos = end + 1 + size + 1

    def read(self, rel: str, max_bytes: int) -> bytes:
        rel = self._target(rel)
        entry = self._files.get(rel)
        if entry is None:
            if any(name.startswith(f"{rel}/") for name in self._files):
                raise SourceProblem("this is a folder, not a file", "name a YAML file, or a glob")
            raise SourceProblem(f"no such file at {self.ref}", "check the path and its spelling")
        if entry.size > max_bytes:
            raise SourceProblem(
                f"the file is {entry.size} bytes, over the limit of {max_bytes} bytes",
                "split it into included files",
            )
        if entry.oid not in self._blobs:
            # the playbook's other files are about to be read too: fetch them together
            self._fetch(
                [
                    e
                    for name, e in self._files.items()
                    if name.endswith(_PREFETCH) and e.size <= max_bytes and e.mode != _SYMLINK
                ]
                + [entry]
            )
        return self._blobs[entry.oid]

    def glob(self, pattern: str) -> list[str]:
        """Matching files, in linear time (:mod:`gtmplay.globbing`); links out of
        the folder are listed too, so that reading them reports it."""
        from gtmplay.globbing import Pattern, PatternError

        try:
            compiled = Pattern(pattern)
        except PatternError as exc:
            raise SourceProblem(str(exc)) from None
        found = []
        for name in self._files:
            if compiled.matches(name):
                try:
                    target = self._target(name)
                except SourceProblem:
                    found.append(name)
                    continue
                if target in self._files:
                    found.append(name)
        return sorted(found)

    def display(self, rel: str) -> str:
        return display_path(os.path.join(self.display_root, rel))


@dataclass(frozen=True, slots=True)
class GitPlaybook:
    """A playbook path resolved at a revision; ``source`` is None when it is not there."""

    ref: str
    commit: str
    source: GitSource | None
    root_rel: str


def open_git_playbook(ref: str, path: str, *, base: bool = False) -> GitPlaybook:
    """The playbook at ``path`` (as on the command line) at revision ``ref``.

    With ``base``, the revision is the merge-base of ``ref`` and HEAD.
    ``path`` may name a folder holding ``playbook.yaml`` or a YAML file; it
    need not exist in the working tree.
    """
    repo = repo_root(Path(path), ref)
    commit = merge_base(repo, ref) if base else commit_of(repo, ref)
    absolute = Path(os.path.realpath(os.path.abspath(path)))
    try:
        prefix = absolute.relative_to(Path(os.path.realpath(repo))).as_posix()
    except ValueError:
        raise GitError(ref=ref, problem=f"{path} is outside the git repository {repo}") from None
    prefix = "" if prefix == "." else prefix
    kind = b""
    if prefix:
        listing = _git(["ls-tree", "-z", commit, "--", prefix], repo, ref)
        kind = listing.split(b" ", 2)[1] if listing else b""
    if kind == b"blob":
        folder = posixpath.dirname(prefix)
        display = os.path.dirname(path) or "."
        source = GitSource(repo, commit, folder, display, ref)
        return GitPlaybook(ref, commit, source, posixpath.basename(prefix))
    if kind == b"tree" or not prefix:
        source = GitSource(repo, commit, prefix, path, ref)
        for name in ROOT_NAMES:
            if source.exists(name):
                return GitPlaybook(ref, commit, source, name)
    return GitPlaybook(ref, commit, None, ROOT_NAMES[0])
