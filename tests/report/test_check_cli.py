"""``gtmplay check`` options: --format, --output, GitHub Actions, --fail-on, exit codes."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from gtmplay.cli import main

from .support import FIXTURES, ROOT


@pytest.fixture()
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture playbook in a clean cwd, outside any CI."""
    shutil.copytree(FIXTURES / "acme-mini", tmp_path / "acme-mini")
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_outputs_are_written_beside_stdout(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "check",
        "acme-mini",
        "--output",
        "sarif=reports/gtmplay.sarif",
        "-o",
        "junit=reports/junit.xml",
        "-o",
        "JSON=out.json",
    )
    assert (code, err) == (1, "")
    assert out.splitlines()[-1].endswith("notes")  # the text report, plain: not a terminal
    assert "\x1b[" not in out
    sarif = json.loads((here / "reports/gtmplay.sarif").read_text(encoding="utf-8"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"acme-mini/playbook.yaml", "acme-mini/stages.yaml"}
    data = json.loads((here / "out.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert len(data["findings"]) == len(sarif["runs"][0]["results"]) == len(out.splitlines()) - 1
    suites = ET.parse(here / "reports/junit.xml").getroot()
    assert suites.get("tests") == str(len(data["findings"]))
    assert sorted(p.name for p in (here / "reports").iterdir()) == ["gtmplay.sarif", "junit.xml"]


def test_github_actions_selects_annotations_and_appends_the_summary(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = here / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run(capsys, "check", "acme-mini")
    assert code == 1
    lines = out.splitlines()
    assert all(line.startswith("::") for line in lines[:-1])
    assert lines[-1].startswith("gtmplay: ")
    assert "::error file=acme-mini/playbook.yaml,line=29,col=12," in out
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## gtmplay check: failing\n")
    assert "### Coverage by stage: `acme-mini`" in text
    # an explicit format wins, and without annotations there is no summary
    summary.write_text("", encoding="utf-8")
    code, out, _ = run(capsys, "check", "acme-mini", "--format", "text")
    assert not out.startswith("::")
    assert summary.read_text(encoding="utf-8") == ""


def test_fail_on_from_the_option_and_from_the_playbook(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pb = here / "acme-mini" / "playbook.yaml"
    text = pb.read_text(encoding="utf-8").replace("marketng", "marketing")
    pb.write_text(text, encoding="utf-8")
    _, out, _ = run(capsys, "check", "acme-mini", "--format", "json")
    errors = sorted({f["rule"] for f in json.loads(out)["findings"] if f["level"] == "error"})
    assert errors  # GTM101 and GTM201 today
    # the alignment rules that report errors, lowered to warnings: no error is left
    lowered = "".join(f"    {rule}: warning\n" for rule in errors)
    pb.write_text(f"{text}checks:\n  rules:\n{lowered}", encoding="utf-8")
    assert run(capsys, "check", "acme-mini")[0] == 0
    assert run(capsys, "check", "acme-mini", "--fail-on", "warning")[0] == 1
    pb.write_text(f"{text}checks:\n  fail_on: warning\n  rules:\n{lowered}", encoding="utf-8")
    code, out, _ = run(capsys, "check", "acme-mini", "--format", "json")
    assert (code, json.loads(out)["fail_on"]) == (1, "warning")
    assert run(capsys, "check", "acme-mini", "--fail-on", "error")[0] == 0


def test_clean_playbook_exits_0_in_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    example = ROOT / "playbooks" / "acme"
    if not (example / "playbook.yaml").is_file():
        pytest.skip("playbooks/acme is not there yet")
    expected: dict[str, Any] = {
        "text": "",
        "github": "gtmplay: no findings\n",
        "gitlab": "[]\n",
    }
    for fmt, out in expected.items():
        assert run(capsys, "check", str(example), "--format", fmt) == (0, out, "")
    code, out, _ = run(capsys, "check", str(example), "--format", "junit")
    assert code == 0
    assert ET.fromstring(out).get("failures") == "0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-o", "sarif"],
            "gtmplay: error: --output 'sarif' is not FORMAT=PATH. "
            "Write it like --output sarif=gtmplay.sarif.\n",
        ),
        (
            ["-o", "sarf=x.sarif"],
            "gtmplay: error: --output: unknown format 'sarf'. Did you mean \"sarif\"? "
            "Formats: text, json, sarif, github, junit, gitlab, markdown.\n",
        ),
        (
            ["-o", "json=a.json", "-o", "sarif=./a.json"],
            "gtmplay: error: --output names ./a.json twice. Give each report its own file.\n",
        ),
    ],
)
def test_bad_outputs_exit_2_and_write_nothing(
    here: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = sorted(p.name for p in here.iterdir())
    assert run(capsys, "check", "acme-mini", *args) == (2, "", message)
    assert sorted(p.name for p in here.iterdir()) == before


def test_unwritable_output_exits_2(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "file").write_text("", encoding="utf-8")
    code, _, err = run(capsys, "check", "acme-mini", "-o", "json=file/out.json")
    assert code == 2
    assert err.startswith("gtmplay: error: cannot write file/out.json: ")
    assert "Traceback" not in err


def test_unusable_input_exits_2_in_every_format(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "acme-mini" / "stages.yaml").write_text("stages: [unclosed\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "acme-mini", "--format", "markdown")
    assert code == 2
    assert out.startswith("## gtmplay check: unusable input\n")
    code, out, _ = run(capsys, "check", "acme-mini", "--format", "json")
    assert code == 2
    assert json.loads(out)["playbooks"][0]["usable"] is False


def test_sarif_from_the_cli_is_valid(
    here: Path, capsys: pytest.CaptureFixture[str], sarif_validator: Any
) -> None:
    code, out, _ = run(capsys, "check", "acme-mini", "--format", "sarif")
    assert code == 1
    doc = json.loads(out)
    errors = [e.message for e in sarif_validator.iter_errors(doc)]
    assert errors == []
    rules = [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]]
    assert rules == sorted(set(rules))
    for result in doc["runs"][0]["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert len(result["partialFingerprints"]["gtmplay/v1"]) == 32
