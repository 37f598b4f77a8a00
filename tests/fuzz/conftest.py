"""The fuzz tests run the CLI in-process; this collects what one run said."""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gtmplay.cli import main

# YAML 1.1 line breaks, as libyaml counts lines
_BREAKS = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def cli(*args: str) -> Outcome:
    """Run ``gtmplay ARGS``: never a traceback, never an internal error, a documented status."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    outcome = Outcome(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in outcome.out + outcome.err, outcome.err
    assert "internal error" not in outcome.err, outcome.err
    assert code in (0, 1, 2), (code, outcome.err)
    return outcome


def assert_position(file: str, line: int, column: int) -> None:
    """``file:line:column`` names an existing file and a place inside it (or just after it)."""
    path = Path(file)
    assert path.is_file(), file
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = _BREAKS.split(text)
    assert 1 <= line <= len(lines), (file, line, len(lines))
    assert 1 <= column <= len(lines[line - 1]) + 1, (file, line, column, len(lines[line - 1]))


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@contextlib.contextmanager
def inside_tmp() -> Iterator[Path]:
    """Work in a fresh folder (short relative paths in findings), then come back."""
    back = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            yield Path(tmp)
        finally:
            os.chdir(back)
