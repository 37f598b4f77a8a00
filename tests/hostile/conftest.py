"""Fixtures of the hostile-input tests: every test goes through ``gtmplay.cli.main``."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmplay.cli import main
from hostile.helpers import Run


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run(*args)`` -> (exit status, stdout, stderr); never a traceback, never a crash."""

    def runner(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert "internal error" not in err, err
        assert code in (0, 1, 2), (code, err)
        return code, out, err

    return runner


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder, so that findings show short relative paths."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
