"""Writing a build: all files at once, or nothing.

The files of every target are written into a fresh folder beside OUT (same
file system, so renames are atomic) as each target makes them, one by one, so
a build holds one page at a time (a target that returns a mapping, all of
its files), not all of them; then the folder is swapped in: OUT is renamed aside,
the new folder renamed to OUT, and the old one removed. Any failure before
the swap, a ``KeyboardInterrupt`` included, removes the new folder and keeps
the old OUT, so readers only ever see the previous build or the next one.
Ctrl-C (and SIGTERM) during the swap itself is held until the swap is done:
it then stops the command saying that the new build is in place, which is
the truth, rather than leaving the previous build aside as ``.OUT.old-*``.

A build killed outright (SIGKILL, power loss) may leave ``.OUT.tmp-*`` or
``.OUT.old-*`` beside OUT; the next build into OUT removes them. A build at
work holds an ``flock`` on its temporary folder, so only dead ones are removed.

Concurrent builds into the same OUT take an exclusive ``flock`` on OUT's
parent folder for the swap (where ``fcntl`` exists); temporary names are unique
in any case, so two builds never write into each other's folder.

OUT is replaced only if it is missing, empty, or carries the marker file of a
previous build: a typo in ``-o`` must never delete somebody's documents.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from gtmplay.errors import OutputError
from gtmplay.render import Page

MARKER = ".gtmplay-build"
MARKER_TEXT = b"This folder is written by `gtmplay build`; a new build replaces all of it.\n"
_UNCHANGED = "the previous output is unchanged"


def check_output(out: Path, playbook_dir: Path) -> None:
    """Refuse an output folder that is the playbook folder or holds it, or is not ours."""
    shown = str(out)
    real_out, real_pb = out.resolve(), playbook_dir.resolve()
    if real_out == real_pb or real_out in real_pb.parents:
        raise OutputError(
            path=shown,
            problem=f"it is the playbook folder {playbook_dir} or contains it, "
            "and a build replaces the whole output folder",
            fix="Choose an output folder outside the playbook, e.g. -o site/.",
        )
    if real_pb in real_out.parents:
        raise OutputError(
            path=shown,
            problem=f"it is inside the playbook folder {playbook_dir}, so the next check "
            "would read the generated files as part of the playbook",
            fix="Choose an output folder outside the playbook, e.g. -o site/.",
        )
    if out.is_symlink():
        raise OutputError(
            path=shown, problem="it is a symbolic link", fix="Pass the folder it points to."
        )
    if out.exists() and not out.is_dir():
        raise OutputError(
            path=shown, problem="it is a file, not a folder", fix="Choose another output path."
        )
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputError(
            path=shown,
            problem="the folder is not empty and was not written by gtmplay build",
            fix="Choose a new or empty folder: a build replaces everything in it.",
        )


def check_paths(files: Mapping[str, bytes]) -> list[str]:
    """The relative paths of ``files``, sorted; raises on any path that could escape."""
    return Paths().add("", files)


class Paths:
    """The paths the targets of one build have written so far.

    Each target's files are checked as they come: a path that could leave the
    output folder, one that two targets write, or one written both as a file
    and as a folder (by one target or by two) is an error.
    """

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.dirs: set[str] = set()

    def add(self, target: str, files: Mapping[str, bytes]) -> list[str]:
        """Record the files of ``target``; their paths, sorted."""
        for rel in files:
            self.add_one(target, rel)
        return sorted(files)

    def add_one(self, target: str, rel: str) -> None:
        """Record one file of ``target``, before it is written."""
        pure = PurePosixPath(rel)
        bad = (
            not rel
            or "\\" in rel
            or "\x00" in rel
            or pure.is_absolute()
            or (len(rel) > 1 and rel[1] == ":")
            or any(part in ("", ".", "..") for part in rel.split("/"))
            or rel == MARKER
        )
        if bad:
            raise OutputError(
                path=repr(rel),
                problem="a build target produced a path that is absolute or leaves the "
                "output folder",
                fix="This is a bug in the target; nothing was written.",
            )
        if rel in self.files:
            raise OutputError(
                path=rel,
                problem=f"two build targets write this file (the second is {target!r})",
                fix="Build them into different folders with --only.",
            )
        parents = [str(p) for p in pure.parents if str(p) != "."]
        # a file where a folder is, or a file below a file (at most one of its
        # parents can be a file: the others would have clashed before)
        clash = rel if rel in self.dirs else next((p for p in parents if p in self.files), None)
        if clash is not None:
            raise OutputError(
                path=clash,
                problem="a build target wrote it both as a file and as a folder",
                fix="This is a bug in the target; nothing was written.",
            )
        self.files.add(rel)
        self.dirs.update(parents)


def write_tree(
    out: Path, files: Mapping[str, bytes], *, playbook_dir: Path, fsync: bool = False
) -> None:
    """Replace the folder ``out`` with exactly ``files`` (plus the marker), atomically."""
    write_targets(out, [("", files)], playbook_dir=playbook_dir, fsync=fsync)


def write_targets(
    out: Path,
    targets: Iterable[tuple[str, Mapping[str, bytes] | Iterable[Page]]],
    *,
    playbook_dir: Path,
    fsync: bool = False,
) -> int:
    """Replace the folder ``out`` with the files of ``targets`` (plus the marker),
    atomically; the number of files written.

    ``targets`` yields each target's name and files, a mapping or an iterable
    of :data:`~gtmplay.render.Page`; all are consumed while the temporary
    folder is open, so the targets, their files and a file's chunks may be made
    lazily: each file is checked and written as it comes, and dropped before the
    next is asked for.
    Whatever they raise removes the temporary folder and passes through
    unchanged (only the writer's own ``OSError`` becomes an ``OutputError``).
    """
    check_output(out, playbook_dir)
    shown = out
    out = Path(os.path.abspath(out))  # "." and "site/.." need a real name to rename
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(path=str(parent), problem=exc.strerror or str(exc)) from exc
    tmp = parent / f".{out.name}.tmp-{_token()}"
    held: list[int] = []
    paths = Paths()
    try:
        with contextlib.ExitStack() as working:
            with _written(tmp, parent), _locked(parent):
                # under the parent's lock, so that no build takes a folder
                # another has just made for a leftover
                _remove_leftovers(parent, out.name)
                os.mkdir(tmp)
                working.enter_context(_locked(tmp, wait=False))  # "at work" till the end
            _write_one(tmp, parent, MARKER, MARKER_TEXT, fsync)
            for name, files in targets:  # a target renders here: its errors are its own
                pages = iter(files.items() if isinstance(files, Mapping) else files)
                del files
                try:
                    for rel, data in pages:  # and here, one page at a time
                        paths.add_one(name, rel)
                        try:
                            _write_one(tmp, parent, rel, data, fsync)
                        finally:
                            _close(data)
                        del data  # on disk: not held while the next page is made
                finally:
                    _close(pages)
                del pages  # this target's files are on disk: only the next one's are held
            with _locked(parent):
                check_output(shown, playbook_dir)  # again: another build may have won the race
                with _signals_held() as held:
                    _swap(tmp, out)
    finally:
        _rmtree(tmp)
    _deliver(held)
    return len(paths.files)


def _close(made: object) -> None:
    """Close a generator left unfinished (a write failed, Ctrl-C), so that its
    ``finally`` blocks run now, in this context, not when it is collected."""
    close = getattr(made, "close", None)
    if close is not None:
        close()


@contextlib.contextmanager
def _written(tmp: Path, parent: Path) -> Iterator[None]:
    """Turn an ``OSError`` of writing into ``tmp`` into an ``OutputError`` saying what to do."""
    try:
        yield
    except OSError as exc:
        raise OutputError(
            path=str(exc.filename or tmp),
            problem=exc.strerror or str(exc),
            fix=_fix_for(exc, parent),
        ) from exc


def _remove_leftovers(parent: Path, name: str) -> None:
    """Remove the ``.NAME.tmp-*`` and ``.NAME.old-*`` folders of builds killed outright.

    Called with the parent's lock held: a live build holds the lock of its
    ``tmp-`` folder, and makes and removes its ``old-`` folder under the
    parent's lock, so what can be locked here is dead.
    """
    try:
        import fcntl  # noqa: F401
    except ImportError:  # Windows: no way to tell a live build's folder; keep them
        return
    pattern = re.compile(rf"\.{re.escape(name)}\.(tmp|old)-[0-9a-f]{{12}}")
    try:
        leftovers = [p for p in parent.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return
    for path in leftovers:
        try:
            with _locked(path, wait=False):
                _rmtree(path)
        except OSError:
            continue  # a build at work holds it (BlockingIOError), or it is gone


@contextlib.contextmanager
def _signals_held() -> Iterator[list[int]]:
    """Hold SIGINT and SIGTERM for the block; yields the signals that arrived."""
    held: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield held  # only the main thread receives signals
        return
    wanted = [signal.SIGINT, getattr(signal, "SIGTERM", signal.SIGINT)]
    previous = {sig: signal.signal(sig, lambda sig, frame: held.append(sig)) for sig in wanted}
    try:
        yield held
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _deliver(held: list[int]) -> None:
    """Act on a signal held during the swap, now that the new build is in place."""
    if getattr(signal, "SIGTERM", None) in held:
        signal.raise_signal(signal.SIGTERM)
    if signal.SIGINT in held:
        raise KeyboardInterrupt("the new build was already complete and is in place")


def _fix_for(exc: OSError, parent: Path) -> str:
    """What the user can do about a write error, by its cause."""
    import errno

    if exc.errno == errno.ENAMETOOLONG:
        return f"Shorten the name it comes from (an id or a crm: name); {_UNCHANGED}."
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"Free some space on the disk of {parent}; {_UNCHANGED}."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Make {parent} writable; {_UNCHANGED}."
    return f"Check that {parent} is writable and has free space; {_UNCHANGED}."


def _write_one(
    tmp: Path, parent: Path, rel: str, data: bytes | Iterable[bytes], fsync: bool
) -> None:
    """Write one file; its chunks, if it comes in chunks, are made here, between
    two writes, so that their errors are theirs and not the writer's."""
    target = tmp.joinpath(*rel.split("/"))
    with _written(tmp, parent):
        target.parent.mkdir(parents=True, exist_ok=True)
        # closed below, where its errors (a flush on a full disk) are the writer's
        handle = open(target, "xb")  # noqa: SIM115
    try:
        for chunk in [data] if isinstance(data, bytes) else data:
            with _written(tmp, parent):
                handle.write(chunk)
            del chunk  # written: not held while the next is made
        if fsync:
            with _written(tmp, parent):
                handle.flush()
                os.fsync(handle.fileno())
    finally:
        with _written(tmp, parent):
            handle.close()


# Neither secrets nor shutil is imported with this module: build imports it
# before the check, and secrets loads hashlib and OpenSSL (3.7 MiB resident),
# shutil lzma and bz2 (0.5 MiB), which then sat under the check's peak too.


def _token() -> str:
    """Twelve random hex digits for a folder's name (what secrets.token_hex(6) gives)."""
    return os.urandom(6).hex()


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _swap(tmp: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{_token()}"
    had_old = out.exists()
    try:
        if had_old:
            os.rename(out, old)
        try:
            os.rename(tmp, out)
        except BaseException:
            if had_old:
                os.rename(old, out)
            raise
    except OSError as exc:
        raise OutputError(
            path=str(out),
            problem=exc.strerror or str(exc),
            fix=f"Check that the folder is not open elsewhere and is writable; {_UNCHANGED}.",
        ) from exc
    if had_old:
        _rmtree(old)


@contextlib.contextmanager
def _locked(folder: Path, *, wait: bool = True) -> Iterator[None]:
    """An exclusive ``flock`` on ``folder``; without ``wait``, BlockingIOError if taken."""
    try:
        import fcntl
    except ImportError:  # Windows: unique temp names still keep builds apart
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        yield
    finally:
        os.close(fd)
