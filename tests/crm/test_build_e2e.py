"""End to end through the command line: build the CRM targets, import, build again."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmplay.cli import main

from .support import EXAMPLE, ROOT

GOLDEN = ROOT / "tests" / "golden" / "crm"
CRM = "salesforce,hubspot,pipedrive,csv"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


@pytest.fixture(autouse=True)
def needs_build() -> None:
    from gtmplay.cli import COMMANDS

    if "build" not in COMMANDS:
        pytest.skip("gtmplay build is not there")


def test_build_writes_the_golden_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["build", str(EXAMPLE), "-o", str(out), "--only", CRM])
    stdout, stderr = capsys.readouterr()
    golden = tree(GOLDEN)
    warnings = golden.pop("warnings.txt").decode("utf-8").splitlines()
    assert (code, stdout) == (0, f"built {len(golden)} files into {out}\n")
    assert stderr.splitlines() == [f"gtmplay: warning: {w}" for w in warnings]
    assert tree(out) == golden


def test_import_of_the_build_builds_the_same_salesforce_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, imported, second = tmp_path / "first", tmp_path / "imported", tmp_path / "second"
    assert main(["build", str(EXAMPLE), "-o", str(first), "--only", "salesforce"]) == 0
    assert main(["import", "salesforce", str(first / "salesforce"), "-o", str(imported)]) == 0
    assert main(["check", str(imported)]) == 1
    assert "error[GTM0" not in capsys.readouterr().out  # no schema or load errors
    # the alignment gaps are errors, so an imported playbook builds with --force until filled
    assert main(["build", str(imported), "-o", str(second), "--only", "salesforce"]) == 1
    assert main(["build", str(imported), "-o", str(second), "--only", "salesforce", "--force"]) == 0
    assert tree(second) == tree(first)
