"""``gtmplay init``: every template gives a playbook that checks and builds clean."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gtmplay.cli import main
from gtmplay.pipeline import check_path
from gtmplay.services.build import Options, build
from gtmplay.services.init import STARTERS, STARTERS_DIR, starter_files

NAMES = [s.name for s in STARTERS]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_there_are_the_three_templates() -> None:
    assert NAMES == ["sdr-led", "product-led", "enterprise-partners"]
    assert sorted(p.name for p in STARTERS_DIR.iterdir()) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_template_checks_and_builds_clean(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "pb"
    code, out, err = run(["init", str(target), "--template", name], capsys)
    files = starter_files(name)
    assert (code, err) == (0, "")
    assert out == (
        f"wrote {len(files)} files to {target} from the template {name}\n"
        f"next: edit them, then run: gtmplay check {target}\n"
    )
    written = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*")}
    assert written == files
    # not a single finding, not even a note: a new team starts from a clean check
    result = check_path(str(target))
    assert [f"{f.rule} {f.message}" for f in result.findings] == []
    assert main(["check", str(target), "--fail-on", "note"]) == 0
    capsys.readouterr()
    outcome = build(str(target), Options(output=tmp_path / "site"))
    assert outcome.status == 0
    assert (tmp_path / "site" / "html" / "index.html").is_file()
    assert (tmp_path / "site" / "handoffs" / "handoffs.md").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_templates_teach_the_format_in_comments(name: str) -> None:
    files = starter_files(name)
    assert "playbook.yaml" in files
    for rel, data in files.items():
        text = data.decode("utf-8")
        comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
        assert len(comments) >= 2, f"{name}/{rel} explains nothing"
    root = files["playbook.yaml"].decode()
    assert "gtmplay check ." in root and f'template "{name}"' in root


def test_without_a_terminal_nothing_is_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, out, _ = run(["init", str(tmp_path / "new")], capsys)
    assert code == 0 and "from the template sdr-led" in out


def test_on_a_terminal_it_asks_for_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setattr("click.prompt", lambda *a, **kw: "product-led")
    code, out, _ = run(["init", str(tmp_path / "new")], capsys)
    assert code == 0
    assert out.startswith("Templates:\n  sdr-led ")
    assert "from the template product-led" in out


def test_the_current_folder_when_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["init", "-t", "enterprise-partners"], capsys)
    assert code == 0 and out.startswith("wrote 6 files to . from")
    assert (tmp_path / "playbook.yaml").is_file()


def test_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, out, err = run(["init", str(tmp_path), "-t", "sdr-led"], capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"gtmplay: error: {tmp_path} is not empty. Name a new or empty folder; "
        "gtmplay init never overwrites files.\n"
    )
    assert os.listdir(tmp_path) == ["notes.txt"]


def test_refuses_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f").write_text("x")
    code, _, err = run(["init", str(tmp_path / "f")], capsys)
    assert code == 2 and "exists and is not a folder" in err


def test_unknown_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["init", str(tmp_path / "x"), "-t", "nope"], capsys)
    assert code == 2 and "'nope' is not one of 'sdr-led', 'product-led'" in err
    assert not (tmp_path / "x").exists()


def test_an_unwritable_place_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    tmp_path.chmod(0o500)
    try:
        code, _, err = run(["init", str(tmp_path / "pb")], capsys)
    finally:
        tmp_path.chmod(0o700)
    assert code == 2 and err.startswith(f"gtmplay: error: cannot write {tmp_path / 'pb'}:")
    assert os.listdir(tmp_path) == []
