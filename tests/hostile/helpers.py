"""Shared helpers of the hostile-input tests."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "playbooks" / "acme"
BASE = "gtmplay: 1\nname: Hostile\n"

Run = Callable[..., tuple[int, str, str]]


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


class Reads:
    """Paths opened and folders listed while watching (Python's audit events).

    Counting the folders listed measures the work of a glob without a clock.
    """

    watching: ClassVar[bool] = False
    opened: ClassVar[list[str]] = []
    listed: ClassVar[list[str]] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not Reads.watching:
        return
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        Reads.opened.append(os.fsdecode(args[0]))
    elif event in ("os.scandir", "os.listdir") and args and args[0] is not None:
        Reads.listed.append(os.fsdecode(args[0]) if not isinstance(args[0], int) else "")


sys.addaudithook(_audit)  # cannot be removed: it does nothing unless watching


@contextlib.contextmanager
def watching_reads() -> Iterator[type[Reads]]:
    Reads.opened, Reads.listed, Reads.watching = [], [], True
    try:
        yield Reads
    finally:
        Reads.watching = False
