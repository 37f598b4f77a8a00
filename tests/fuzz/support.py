"""The fuzz tests run the CLI in-process; this collects what one run said."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from gtmplay.cli import main

BENCH = Path(__file__).resolve().parents[2] / "bench"

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
    """``file:line:column`` names an existing file and a place inside it (or just after it).

    Lines are counted as YAML counts them (CR, LF, CRLF, NEL, LS, PS) or, for
    the byte-level checks that run before YAML (NUL bytes, encodings), by LF
    alone; editors differ on a lone CR too.
    """
    path = Path(file)
    assert path.is_file(), file
    text = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    assert any(_inside(lines, line, column) for lines in (_BREAKS.split(text), text.split("\n"))), (
        file,
        line,
        column,
    )


def _inside(lines: list[str], line: int, column: int) -> bool:
    return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1


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


def bench_module(name: str) -> ModuleType:
    """``bench/NAME.py``, imported by its path (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"gtmplay_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
