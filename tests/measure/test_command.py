"""``gtmplay measure`` end to end: output, exit statuses, errors, the JSON and -o."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gtmplay.cli import main
from gtmplay.measure import figures as fig
from gtmplay.services.measure import parse_json

PLAYBOOK = """\
gtmplay: 1
name: T
stages:
  - {id: discovery, name: Discovery, probability: 10, forecast: pipeline, target_days: 5}
  - {id: won, name: Closed Won, probability: 100, forecast: closed, outcome: won}
  - {id: lost, name: Closed Lost, probability: 0, forecast: omitted, outcome: lost}
measure:
  min_sample: 2
  names:
    Disco: discovery
checks:
  fail_on: warning
"""

EVENTS = """\
record_id,kind,crm_stage,entered_at,exited_at
d1,deal,Disco,2024-01-01,2024-01-11
d1,deal,Closed Won,2024-01-11,
d2,deal,discovery,2024-01-01,2024-01-21
d2,deal,closed lost,2024-01-21,
d3,deal,Negotiation,2024-01-02,
d4,deal,discovery,not a date,
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "playbook.yaml").write_text(PLAYBOOK, encoding="utf-8")
    (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
    return str(tmp_path / "playbook.yaml"), str(tmp_path / "events.csv")


def test_text_table_findings_and_exit_1(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    playbook, events = files
    assert main(["measure", playbook, events]) == 1
    out = capsys.readouterr()
    assert out.err == ""  # no progress line: not a terminal
    assert "  Discovery      2      15  17.5   19       5     0                 0\n" in out.out
    assert (
        "Names in the data that map to no stage or step (add them to measure.names, "
        "or a motion's to measure.motions):\n  Negotiation (deals): 1 rows\n"
    ) in out.out
    assert f"1 rows could not be read:\n  {events}:7: entered_at: " in out.out
    assert (
        'playbook.yaml:4:88: warning[GTM601] Deals spent a median of 15 days in "Discovery" '
        "(p90 19 days, 2 stays), over its 5-day target" in out.out
    )
    assert out.out.endswith("2 findings: 2 warnings\n")


def test_json_holds_every_figure_and_the_findings(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    playbook, events = files
    assert main(["measure", playbook, events, "--format", "json", "--fail-on", "error"]) == 0
    text = capsys.readouterr().out
    data = json.loads(text)
    assert [f["rule"] for f in data["findings"]] == ["GTM603", "GTM601"]
    m = parse_json(text)
    assert m.stage_time[0] == fig.StageTime("", "discovery", 2, 2, 15.0, 17.5, 19.0, 5.0, 0, 0, 2)
    assert m.bad_row_count == 1
    assert m.unmapped == (fig.Unmapped("deal", "Negotiation", 1),)
    # byte-identical on a second run
    main(["measure", playbook, events, "--format", "json", "--fail-on", "error"])
    assert capsys.readouterr().out == text


def test_output_folder_is_the_site_with_the_scorecard(
    files: tuple[str, str],
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    playbook, events = files
    out = tmp_path_factory.mktemp("out") / "site"  # outside the playbook folder
    main(["measure", playbook, events, "-o", str(out), "--format", "sarif"])
    sarif = json.loads(capsys.readouterr().out)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["GTM603", "GTM601"]
    data = json.loads((out / "html" / "scorecard.json").read_text(encoding="utf-8"))
    # d4's only row is bad: three deals
    assert (data["version"], data["deals"], data["bad_row_count"]) == (1, 3, 1)
    assert (out / "html" / "scorecard.html").is_file()


def test_a_missing_column_is_exit_2_naming_file_and_columns(
    files: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    playbook, _ = files
    bad = tmp_path / "e.csv"
    bad.write_text("record_id,kind,stage\n1,deal,x\n", encoding="utf-8")
    assert main(["measure", playbook, str(bad)]) == 2
    assert capsys.readouterr().err == (
        f"gtmplay: error: {bad}: no column 'crm_stage' (columns found: record_id, kind, stage)."
        " The generic event format needs record_id, kind, crm_stage.\n"
    )


def test_an_unknown_name_target_is_exit_2_at_its_line(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    playbook, events = files
    Path(playbook).write_text(PLAYBOOK.replace("Disco: discovery", "Disco: discvery"), "utf-8")
    assert main(["measure", playbook, events]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gtmplay: error: ")
    assert err.endswith(
        "playbook.yaml:10:12: measure.names maps 'Disco' to 'discvery', which is "
        "neither a stage nor a lifecycle step. Name the id of a stage or a lifecycle step.\n"
    )


def test_a_broken_playbook_is_exit_2_with_its_findings(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    playbook, events = files
    Path(playbook).write_text("gtmplay: 1\nname: T\nstages: 3\n", "utf-8")
    assert main(["measure", playbook, events]) == 2
    assert "error[GTM012]" in capsys.readouterr().out


def test_the_rules_rest_under_check(files: tuple[str, str]) -> None:
    from gtmplay.pipeline import check_path

    result = check_path(files[0])
    assert not [f for f in result.findings if f.rule.startswith("GTM6")]
