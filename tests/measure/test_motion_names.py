"""CRM names per motion: one name, two stages, told apart by the deal's motion."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmplay.cli import main
from gtmplay.measure import figures as fig
from gtmplay.services.measure import parse_json

STAGES = """\
gtmplay: 1
name: T
stages:
  - {id: discovery, name: Discovery, probability: 10, forecast: pipeline, target_days: 5}
  - {id: review, name: Account review, probability: 30, forecast: pipeline, target_days: 3}
  - {id: proposal, name: Proposal, probability: 60, forecast: best-case, target_days: 9}
  - {id: won, name: Won, probability: 100, forecast: closed, outcome: won}
"""

PLAYBOOK = (
    STAGES
    + """\
motions:
  - {id: new, name: New business, stages: [discovery, proposal, won]}
  - {id: expansion, name: Expansion, stages: [review, proposal, won]}
measure:
  min_sample: 1
  motions:
    expansion:
      names:
        Discovery: review
"""
)

# "Discovery" is the stage discovery in new business and review in expansion;
# n2 names no motion (the global name, then its stages, put it in new business)
EVENTS = """\
record_id,kind,motion,crm_stage,entered_at,exited_at
n1,deal,New business,Discovery,2024-01-01,2024-01-03
n1,deal,New business,Proposal,2024-01-03,2024-01-13
n1,deal,New business,Won,2024-01-13,
n2,deal,,discovery,2024-01-01,2024-01-07
n2,deal,,Demo,2024-01-07,
x1,deal,expansion,Discovery,2024-01-02,2024-01-06
x1,deal,expansion,Proposal,2024-01-06,
x2,deal,Expansion,DISCOVERY,2024-01-01,2024-01-09
x2,deal,Expansion,Demo,2024-01-09,2024-01-10
x2,deal,Expansion,Won,2024-01-10,
"""


def run(tmp_path: Path, playbook: str, events: str, *args: str) -> int:
    (tmp_path / "p.yaml").write_text(playbook, encoding="utf-8")
    (tmp_path / "e.csv").write_text(events, encoding="utf-8")
    files = [str(tmp_path / "p.yaml"), str(tmp_path / "e.csv")]
    return main(["measure", *files, *args, "--fail-on", "error"])


def measured(
    tmp_path: Path, playbook: str, events: str, capsys: pytest.CaptureFixture[str]
) -> fig.Measurement:
    code = run(tmp_path, playbook, events, "--format", "json")
    out = capsys.readouterr()
    assert code == 0, out.err
    return parse_json(out.out)


def stage_time(m: fig.Measurement) -> list[tuple[str, str, int, float | None, float | None]]:
    return [(s.motion, s.stage, s.completed, s.median_days, s.p90_days) for s in m.stage_time]


def test_one_crm_name_is_two_stages_in_two_motions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    m = measured(tmp_path, PLAYBOOK, EVENTS, capsys)
    # expansion/review: x1 4 days, x2 8 days (p90 4 + 0.9 * 4);
    # new/discovery: n1 2 days, n2 6 days (p90 2 + 0.9 * 4)
    assert stage_time(m) == [
        ("expansion", "review", 2, 6.0, 7.6),
        ("expansion", "proposal", 0, None, None),
        ("new", "discovery", 2, 4.0, 5.6),
        ("new", "proposal", 1, 10.0, 10.0),
    ]
    # x2 from 2024-01-01 to won on 01-10, n1 from 01-01 to won on 01-13
    assert [(c.motion, c.won, c.median_days) for c in m.cycle_length] == [
        ("expansion", 1, 9.0),
        ("new", 1, 12.0),
    ]
    assert m.unmapped == (
        fig.Unmapped("deal", "Demo", 1, "expansion"),
        fig.Unmapped("deal", "Demo", 1, "new"),
    )


def test_without_the_motion_s_names_the_name_goes_to_the_global_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    playbook = PLAYBOOK.replace("  motions:\n    expansion:\n      names:\n", "  x-was:\n    x:\n")
    playbook = playbook.replace("        Discovery: review\n", "")
    m = measured(tmp_path, playbook, EVENTS, capsys)
    # "Discovery" is the stage discovery, which is not a stage of expansion
    assert stage_time(m) == [
        ("expansion", "proposal", 0, None, None),
        ("new", "discovery", 2, 4.0, 5.6),
        ("new", "proposal", 1, 10.0, 10.0),
    ]
    assert m.unmapped == (
        fig.Unmapped("deal", "DISCOVERY", 1, "expansion"),
        fig.Unmapped("deal", "Demo", 1, "expansion"),
        fig.Unmapped("deal", "Discovery", 1, "expansion"),
        fig.Unmapped("deal", "Demo", 1, "new"),
    )


def test_the_terminal_lists_unmapped_names_per_motion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, PLAYBOOK, EVENTS) == 0
    assert (
        "Names in the data that map to no stage or step (add them to measure.names, "
        "or a motion's to measure.motions):\n"
        "  Demo (deals of motion expansion): 1 rows\n"
        "  Demo (deals of motion new): 1 rows\n"
    ) in capsys.readouterr().out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    expansion:\n",
            "    expansio:\n",
            "p.yaml:14:5: measure.motions names 'expansio', which is not a motion "
            '(did you mean "expansion"?). Name the id of one of the playbook\'s motions.',
        ),
        (
            "Discovery: review",
            "Discovery: discovery",
            "p.yaml:16:20: measure.motions.expansion.names maps 'Discovery' to 'discovery', "
            "which is not a stage of motion 'expansion'. Name one of the motion's stages, "
            "or move the name to measure.names.",
        ),
    ],
    ids=["no-such-motion", "stage-of-another-motion"],
)
def test_a_motion_entry_that_fits_no_motion_is_an_error_at_its_line(
    old: str,
    new: str,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "p.yaml").write_text(PLAYBOOK.replace(old, new), encoding="utf-8")
    (tmp_path / "e.csv").write_text(EVENTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["measure", "p.yaml", "e.csv"]) == 2
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", f"gtmplay: error: {message}\n")


def test_a_playbook_without_motions_has_no_motion_to_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    playbook = STAGES + "measure:\n  motions:\n    new:\n      names: {Intro: discovery}\n"
    (tmp_path / "p.yaml").write_text(playbook, encoding="utf-8")
    (tmp_path / "e.csv").write_text(EVENTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["measure", "p.yaml", "e.csv"]) == 2
    assert capsys.readouterr().err == (
        "gtmplay: error: p.yaml:10:5: measure.motions names 'new', which is not a motion. "
        "Name the id of one of the playbook's motions.\n"
    )


# two Salesforce sales processes storing one value name for two stages: a bound
# process (motion: new) and one the expansion motion names (%-encoded, as written)
SALESFORCE = (
    STAGES
    + """\
motions:
  - id: new
    name: New business
    stages: [discovery, proposal, won]
    crm: {salesforce: {process: New Business}}
  - id: expansion
    name: Expansion
    stages: [review, proposal, won]
    crm: {salesforce: {process: Growth%2FExpansion}}
crm:
  salesforce:
    processes:
      - name: New Business
        object: Opportunity
        motion: new
        value_names: {discovery: Qualify%20%26%20Discover}
      - name: Growth%2FExpansion
        object: Opportunity
        values: [review, proposal, won]
        value_names: {review: Qualify%20%26%20Discover}
measure:
  min_sample: 1
"""
)

SALESFORCE_EVENTS = """\
record_id,kind,motion,crm_stage,entered_at,exited_at
n1,deal,New Business,Qualify & Discover,2024-01-01,2024-01-03
n1,deal,New Business,Proposal,2024-01-03,
x1,deal,Growth/Expansion,Qualify & Discover,2024-01-02,2024-01-06
x1,deal,Growth/Expansion,Won,2024-01-06,
x2,deal,Growth%2FExpansion,qualify & discover,2024-01-01,2024-01-09
u1,deal,,Qualify & Discover,2024-01-01,2024-01-02
"""


def test_each_salesforce_process_s_values_map_in_its_motion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    m = measured(tmp_path, SALESFORCE, SALESFORCE_EVENTS, capsys)
    # review: x1 4 days, x2 8 days; discovery: n1 2 days
    assert stage_time(m) == [
        ("expansion", "review", 2, 6.0, 7.6),
        ("new", "discovery", 1, 2.0, 2.0),
        ("new", "proposal", 0, None, None),
    ]
    # u1 names no motion, and the name is a stage of each: it cannot say which
    assert m.unmapped == (fig.Unmapped("deal", "Qualify & Discover", 1, ""),)


# HubSpot: each motion's pipeline has its own internal stage ids; "appointment"
# is discovery in one and review in the other, "closedwon" won in both
HUBSPOT = (
    STAGES
    + """\
motions:
  - {id: new, name: New business, stages: [discovery, proposal, won]}
  - {id: expansion, name: Expansion, stages: [review, proposal, won]}
crm:
  hubspot:
    motions:
      new:
        stages:
          discovery: {id: appointment}
          won: {id: closedwon}
      expansion:
        stages:
          review: {id: appointment}
          won: {id: closedwon}
measure:
  min_sample: 1
"""
)

HUBSPOT_EVENTS = """\
record_id,kind,motion,crm_stage,entered_at,exited_at
n1,deal,new,appointment,2024-01-01,2024-01-04
n1,deal,new,closedwon,2024-01-04,
x1,deal,expansion,appointment,2024-01-01,2024-01-06
x1,deal,expansion,closedwon,2024-01-06,
u1,deal,,closedwon,2024-01-01,
"""


def test_each_hubspot_pipeline_s_stage_ids_map_in_its_motion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    m = measured(tmp_path, HUBSPOT, HUBSPOT_EVENTS, capsys)
    assert stage_time(m) == [
        ("expansion", "review", 1, 5.0, 5.0),
        ("new", "discovery", 1, 3.0, 3.0),
    ]
    # u1 names no pipeline: closedwon is won in every motion, so it maps (and
    # joins new business, the first of two equal fits) with a cycle of 0 days
    assert m.unmapped == ()
    assert [(c.motion, c.won, c.median_days) for c in m.cycle_length] == [
        ("expansion", 1, 5.0),
        ("new", 2, 1.5),
    ]
