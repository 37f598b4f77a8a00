"""Include patterns (``activities/*.yaml``, ``**/*.yaml``) matched in linear time.

``pathlib.Path.glob`` takes time exponential in the number of ``**`` in a
pattern (20 s with six of them over a 25-deep tree), follows symbolic links
into loops, and silently drops what it cannot use. Here a pattern is a list of
path segments run as a small automaton: the set of positions reached so far
advances by one path segment at a time, so matching a path costs
O(segments x pattern) whatever the ``**``. The disk walk visits each real
folder at most once per set of positions, never leaves the playbook folder,
and hands back the symbolic links it will not follow (out of the folder, or
looping back to a folder that holds them) so that reading them reports why.
"""

from __future__ import annotations

import os
import stat
from collections import deque
from fnmatch import fnmatchcase

MAX_FOLDERS = 20_000  # folders one pattern may walk


class PatternError(ValueError):
    """A pattern that cannot be used, with a message for the user."""


class Pattern:
    """A compiled include pattern: segments, ``**`` matching any number of them."""

    def __init__(self, pattern: str) -> None:
        self.segments = [p for p in pattern.split("/") if p not in ("", ".")]
        for segment in self.segments:
            if "**" in segment and segment != "**":
                raise PatternError(
                    f"'**' must be a whole part of the path (as in **/*.yaml), not {segment!r}"
                )
        self.start = self._closure({0})

    def _closure(self, states: set[int]) -> frozenset[int]:
        """``states`` plus the positions reachable by letting ``**`` match nothing."""
        out = set(states)
        todo = list(states)
        while todo:
            i = todo.pop()
            if i < len(self.segments) and self.segments[i] == "**" and i + 1 not in out:
                out.add(i + 1)
                todo.append(i + 1)
        return frozenset(out)

    def step(self, states: frozenset[int], name: str) -> frozenset[int]:
        """The positions after matching one more path segment ``name``."""
        nxt: set[int] = set()
        for i in states:
            if i == len(self.segments):
                continue
            segment = self.segments[i]
            if segment == "**":
                nxt.add(i)  # ** takes this segment and may take more
            elif fnmatchcase(name, segment):
                nxt.add(i + 1)
        return self._closure(nxt) if nxt else frozenset()

    def done(self, states: frozenset[int]) -> bool:
        return len(self.segments) in states

    def matches(self, path: str) -> bool:
        states = self.start
        for name in path.split("/"):
            states = self.step(states, name)
            if not states:
                return False
        return self.done(states)


def walk(root: str, pattern: str) -> list[str]:
    """Files below ``root`` matching ``pattern`` (relative POSIX paths), sorted.

    Also listed, once each: symbolic links the pattern reaches that lead out
    of ``root`` or loop back to a folder holding them; reading them fails with
    the reason. Folders are walked breadth first and each real folder once
    (per set of pattern positions), so links between folders cost nothing and
    a file reached twice keeps its shortest name. Raises :class:`PatternError`
    for a malformed pattern or too large a walk.
    """
    compiled = Pattern(pattern)
    real_root = os.path.realpath(root)
    found: set[str] = set()
    refused: set[str] = set()  # real paths of the links already listed
    seen: set[tuple[str, frozenset[int]]] = {(real_root, compiled.start)}
    queue: deque[tuple[str, str, frozenset[int]]] = deque([("", real_root, compiled.start)])
    while queue:
        rel_dir, real_dir, states = queue.popleft()
        try:
            entries = sorted(os.scandir(os.path.join(root, rel_dir)), key=lambda e: e.name)
        except OSError:
            continue  # unreadable folder: as pathlib does, nothing below it
        for entry in entries:
            after = compiled.step(states, entry.name)
            if not after:
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            is_link = entry.is_symlink()
            real = os.path.realpath(entry.path) if is_link else os.path.join(real_dir, entry.name)
            if is_link and not _within(real, real_root):
                _refuse(found, refused, rel, os.path.join(real_dir, entry.name))
                continue
            try:
                info = os.stat(entry.path)
            except OSError:
                continue  # a dangling link inside the folder: as pathlib does, skipped
            if stat.S_ISDIR(info.st_mode):
                if is_link and _within(real_dir, real):
                    _refuse(found, refused, rel, os.path.join(real_dir, entry.name))
                elif any(i < len(compiled.segments) for i in after) and (real, after) not in seen:
                    seen.add((real, after))
                    if len(seen) > MAX_FOLDERS:
                        raise PatternError(
                            f"it reaches more than {MAX_FOLDERS:,} folders; "
                            "name the folders to include"
                        )
                    queue.append((rel, real, after))
            elif compiled.done(after) and stat.S_ISREG(info.st_mode):
                found.add(rel)
    return sorted(found)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + os.sep)


def _refuse(found: set[str], refused: set[str], rel: str, link: str) -> None:
    """List a link that must not be followed, once whatever the path it was reached by."""
    if link not in refused:
        refused.add(link)
        found.add(rel)
