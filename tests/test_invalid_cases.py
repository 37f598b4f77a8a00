"""The corpus of broken playbooks: exact findings (line, column, rule) and exit status."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from regen_invalid_cases import CASES, expected_text  # noqa: E402

CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case(case: Path) -> None:
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert expected_text(case) == expected


def test_every_case_expects_a_finding() -> None:
    for case in CASE_DIRS:
        lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert lines[0] in ("exit: 1", "exit: 2"), case.name
        assert len(lines) >= 2, case.name
