"""Where playbook files are read from: the disk, or a git revision.

Everything above this module speaks in paths relative to the playbook folder
(POSIX style); a source turns them into bytes, checks that nothing escapes the
folder, and says how to show a path to the user.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import Protocol

from gtmplay.errors import UsageError

ROOT_NAMES = ("playbook.yaml", "playbook.yml")


class SourceProblem(Exception):
    """A file that cannot be read; reported as a finding at the include."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Source(Protocol):
    """Read-only access to the files of one playbook folder."""

    def read(self, rel: str, max_bytes: int) -> bytes:
        """The bytes of ``rel``; raises :class:`SourceProblem`."""
        ...

    def glob(self, pattern: str) -> list[str]:
        """Files matching ``pattern`` (relative, ``**`` allowed), sorted.

        Raises :class:`SourceProblem` for a pattern that cannot be used."""
        ...

    def display(self, rel: str) -> str:
        """How to print the path of ``rel`` in findings."""
        ...


def display_path(full: str) -> str:
    """``full`` as messages show a file: relative to the current folder, with
    forward slashes (absolute when it is on another drive, on Windows)."""
    try:
        return Path(os.path.relpath(full)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(full).as_posix()


def safe_relative(base_dir: str, entry: str) -> str | None:
    """``entry`` relative to ``base_dir``, normalised; None when it leaves the folder."""
    if entry.startswith(("/", "\\")) or (len(entry) > 1 and entry[1] == ":"):
        return None
    parts: list[str] = []
    for part in PurePosixPath(base_dir, entry).parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB" if n >= 1024 * 1024 else f"{n} bytes"


class DiskSource:
    """A playbook folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._real_root = os.path.realpath(root)

    def _inside(self, real: str) -> bool:
        return real == self._real_root or real.startswith(self._real_root + os.sep)

    def read(self, rel: str, max_bytes: int) -> bytes:
        if "\0" in rel:  # the operating system takes no name with NUL in it
            raise SourceProblem("the name contains a NUL character", "remove it")
        path = self.root / rel
        if not self._inside(os.path.realpath(path)):
            raise SourceProblem(
                "this path leads outside the playbook folder (through a symbolic link)",
                "keep every playbook file inside the playbook folder",
            )
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise SourceProblem("no such file", "check the path and its spelling") from None
        except OSError as exc:
            raise SourceProblem(f"cannot read the file: {exc.strerror}") from None
        if stat.S_ISDIR(info.st_mode):
            real, holder = os.path.realpath(path), os.path.realpath(path.parent)
            if os.path.islink(path) and (holder == real or holder.startswith(real + os.sep)):
                raise SourceProblem(
                    "this symbolic link loops back to a folder that holds it",
                    "remove the link, or include the files by their own path",
                )
            raise SourceProblem("this is a folder, not a file", "name a YAML file, or a glob")
        if not stat.S_ISREG(info.st_mode):
            # a FIFO or device would block or never end: never open one
            raise SourceProblem("this is not a regular file", "name a YAML file")
        if info.st_size > max_bytes:
            raise SourceProblem(
                f"the file is {_size(info.st_size)}, over the limit of {_size(max_bytes)}",
                "split it into included files",
            )
        try:
            # Non-blocking, then checked again on the open file: a file swapped
            # for a FIFO after the stat above must not hang the check.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    raise SourceProblem("this is not a regular file", "name a YAML file")
                # read(max_bytes + 1) alone allocated a 16 MiB buffer per file
                data = handle.read(min(info.st_size, max_bytes) + 1)
                if len(data) > info.st_size:  # the file grew since the stat
                    data += handle.read(max_bytes + 1 - len(data))
        except PermissionError:
            raise SourceProblem("permission denied", "make the file readable") from None
        except OSError as exc:
            raise SourceProblem(f"cannot read the file: {exc.strerror}") from None
        if len(data) > max_bytes:
            raise SourceProblem(
                f"the file is over the limit of {_size(max_bytes)}", "split it into included files"
            )
        return data

    def glob(self, pattern: str) -> list[str]:
        """Matching files; also the links a pattern reaches that lead out of the
        folder or loop, so that reading them reports it (see :mod:`gtmplay.globbing`)."""
        from gtmplay.globbing import PatternError, walk

        try:
            return walk(str(self.root), pattern)
        except PatternError as exc:
            raise SourceProblem(str(exc)) from None

    def display(self, rel: str) -> str:
        return display_path(os.path.join(self.root, rel))


def open_playbook(path: str) -> tuple[DiskSource, str]:
    """The source and root file for a playbook path given on the command line.

    ``path`` is a playbook folder (holding ``playbook.yaml``) or one YAML file.
    """
    target = Path(path)
    if target.is_dir():
        for name in ROOT_NAMES:
            if (target / name).exists():
                return DiskSource(target), name
        raise UsageError(
            problem=f"{path}: no playbook.yaml in this folder",
            fix="pass a playbook folder or a playbook YAML file",
        )
    if target.exists() or target.is_symlink():
        return DiskSource(target.parent), target.name
    raise UsageError(
        problem=f"{path}: no such file or folder", fix="pass a playbook folder or YAML file"
    )
