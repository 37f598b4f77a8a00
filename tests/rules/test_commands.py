"""``gtmplay rules``, ``gtmplay explain`` and the generated docs/rules.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gtmplay.cli import main
from gtmplay.rules.listing import markdown_document
from gtmplay.rules.registry import all_rules

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_rules_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rules")
    lines = out.splitlines()
    assert (code, err) == (0, "")
    assert len(lines) == 1 + len(all_rules())
    assert lines[0].split() == ["ID", "LEVEL", "NAME", "SUMMARY"]
    assert lines[1] == (
        "GTM001  error   yaml.syntax" + " " * 27 + "A playbook file is not valid YAML."
    )
    assert "GTM101  error   coverage.stage-without-marketing" in out
    assert lines[-1].startswith("GTM607  warning measure.kpi-missed ")


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["version"] == 1
    assert [r["id"] for r in data["rules"]] == list(all_rules())
    assert data["rules"][0] == {
        "id": "GTM001",
        "name": "yaml.syntax",
        "level": "error",
        "configurable": False,
        "summary": "A playbook file is not valid YAML.",
    }


def test_rules_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "markdown")
    assert code == 0
    assert out.splitlines()[:3] == [
        "| ID | Name | Level | Summary |",
        "|---|---|---|---|",
        "| [GTM001](#gtm001) | `yaml.syntax` | error | A playbook file is not valid YAML. |",
    ]


@pytest.mark.parametrize("key", ["GTM101", "gtm101", "coverage.stage-without-marketing"])
def test_explain(capsys: pytest.CaptureFixture[str], key: str) -> None:
    code, out, err = run(capsys, "explain", key)
    head = "GTM101 coverage.stage-without-marketing (default level: error)"
    assert (code, err) == (0, "")
    assert out == f"{head}\n{'=' * len(head)}\n\n{all_rules()['GTM101'].doc}\n"
    assert "Failing:" in out and "Passing:" in out


def test_explain_a_foundation_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "GTM002")
    assert code == 0
    assert out.startswith("GTM002 yaml.duplicate-key (default level: error)\n")


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("GTM1O1", "unknown rule 'GTM1O1' (did you mean \"GTM101\"?)"),
        ("GTM777", "unknown rule 'GTM777'"),
        (
            "coverage.unused-assets",
            "unknown rule 'coverage.unused-assets' (did you mean \"coverage.unused-asset\"?)",
        ),
    ],
)
def test_explain_unknown_rule(capsys: pytest.CaptureFixture[str], key: str, message: str) -> None:
    code, out, err = run(capsys, "explain", key)
    assert (code, out) == (2, "")
    assert err == f"gtmplay: error: {message}. Run gtmplay rules to list every rule.\n"


def test_docs_are_current() -> None:
    docs = ROOT / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == markdown_document(), (
        "docs/rules.md is stale: run python scripts/gen_rules_docs.py"
    )


def test_docs_script_check_mode(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "gen_rules_docs.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_docs_document_every_rule() -> None:
    text = markdown_document()
    for rule_id, info in all_rules().items():
        assert f"\n## {rule_id}\n\n`{info.name}`, default level **{info.level}**" in text


def test_explain_matches_a_name_by_its_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "coverage.stage-without")
    assert (code, err) == (
        0,
        "gtmplay: 'coverage.stage-without' is coverage.stage-without-marketing (GTM101)\n",
    )
    assert out.startswith("GTM101 coverage.stage-without-marketing (default level: error)\n")
    # not the closest spelling (coverage.step-without-owner), the words in order
    code, out, _ = run(capsys, "explain", "cov.unused")
    assert (code, out.splitlines()[0]) == (
        0,
        "GTM106 coverage.unused-asset (default level: warning)",
    )


def test_explain_names_every_rule_words_fit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "coverage.step-without")
    assert (code, out) == (2, "")
    assert err == (
        "gtmplay: error: 'coverage.step-without' fits 2 rules: coverage.step-without-owner, "
        "coverage.step-without-activity. Name one of them.\n"
    )
