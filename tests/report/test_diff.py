"""``gtmplay diff``: the change set, its three formats, paths and git refs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gtmplay.cli import main
from gtmplay.diff import CoverageChange, FieldChange, ObjectChange, diff, sla_effect
from gtmplay.model import build_playbook
from gtmplay.report.diff_formats import render

from .support import Repo
from .test_base import ACTIVITIES, PLAYBOOK, STAGES, WEBINAR


def _stage(sid: str, p: int, **kw: Any) -> dict[str, Any]:
    return {"id": sid, "name": sid.title(), "probability": p, "forecast": "pipeline", **kw}


OLD: dict[str, Any] = {
    "gtmplay": 1,
    "name": "T",
    "strategy": {"personas": [{"id": "cfo", "name": "CFO"}, {"id": "ops", "name": "Ops"}]},
    "stages": [_stage("discovery", 10), _stage("demo", 30), _stage("proposal", 50)],
    "lifecycle": [{"id": "mql"}, {"id": "sql"}],
    "activities": [
        {"id": "webinar", "supports": ["proposal"], "personas": ["cfo"]},
        {"id": "guide", "supports": ["discovery", "mql"], "personas": ["ops"]},
    ],
    "handoffs": [
        {
            "id": "mql-sdr",
            "from": "marketing",
            "to": "sdr",
            "at": "mql",
            "sla": {"respond_within": "4h", "attempts": 3},
        }
    ],
    "scoring": {"threshold": 50},
}
NEW: dict[str, Any] = {
    **OLD,
    "stages": [_stage("discovery", 10), _stage("proposal", 60), _stage("negotiation", 80)],
    "activities": [
        {"id": "guide", "supports": ["discovery", "mql", "proposal"], "personas": ["ops"]},
    ],
    "handoffs": [
        {
            "id": "mql-sdr",
            "from": "marketing",
            "to": "sdr",
            "at": "mql",
            "sla": {"respond_within": "1d", "attempts": 3},
        }
    ],
    "scoring": {"threshold": 60},
}


def test_change_set_is_exact() -> None:
    cs = diff(build_playbook(OLD), build_playbook(NEW), "a", "b")
    assert cs.objects == (
        ObjectChange("stage", "demo", "Demo", "removed"),
        ObjectChange(
            "stage", "proposal", "Proposal", "changed", (FieldChange("probability", 50, 60),)
        ),
        ObjectChange("stage", "negotiation", "Negotiation", "added"),
        ObjectChange(
            "handoff",
            "mql-sdr",
            "mql-sdr",
            "changed",
            (FieldChange("sla.respond_within", "4h", "1d"),),
        ),
        ObjectChange("activity", "webinar", "webinar", "removed"),
        ObjectChange(
            "activity",
            "guide",
            "guide",
            "changed",
            (FieldChange("supports", ("discovery", "mql"), ("discovery", "mql", "proposal")),),
        ),
    )
    assert cs.settings == (FieldChange("scoring.threshold", 50, 60),)
    assert cs.stage_order is None
    assert cs.coverage == (
        CoverageChange("stage", "proposal", "Proposal", "cfo", "CFO", 1, 0),
        CoverageChange("stage", "proposal", "Proposal", "ops", "Ops", 0, 1),
    )
    assert [c.status for c in cs.coverage] == ["lost", "gained"]
    assert [(o.id, f.field) for o, f in cs.probability_changes] == [("proposal", "probability")]
    assert [(o.id, f.field) for o, f in cs.sla_changes] == [("mql-sdr", "sla.respond_within")]


def test_same_playbook_has_no_changes_and_reordering_is_seen() -> None:
    same = diff(build_playbook(OLD), build_playbook(OLD))
    assert same.empty
    swapped = {**OLD, "stages": [OLD["stages"][1], OLD["stages"][0], OLD["stages"][2]]}
    cs = diff(build_playbook(OLD), build_playbook(swapped))
    assert cs.stage_order == (("discovery", "demo", "proposal"), ("demo", "discovery", "proposal"))
    assert cs.objects == ()


def test_only_objects_that_differ_are_compared_field_by_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gtmplay import diff as diff_module

    flattened: list[str] = []
    flatten = diff_module.flatten

    def counting(obj: Any, prefix: str = "") -> Any:
        if not prefix:  # an object, not one of its nested values
            flattened.append(obj.id)
        return flatten(obj, prefix)

    monkeypatch.setattr(diff_module, "flatten", counting)
    assert diff(build_playbook(OLD), build_playbook(OLD)).empty
    assert flattened == []
    diff(build_playbook(OLD), build_playbook(NEW))
    # discovery and the personas are equal; proposal moved (its path differs), so it is compared
    assert flattened == ["proposal", "proposal", "mql-sdr", "mql-sdr", "guide", "guide"]


def _write(repo: Repo, activities: str = ACTIVITIES) -> None:
    repo.write("playbook/playbook.yaml", PLAYBOOK)
    repo.write("playbook/stages.yaml", STAGES)
    repo.write("playbook/activities.yaml", activities)


def test_cli_compares_a_ref_with_the_working_tree(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(repo)
    repo.commit("base")
    _write(repo, ACTIVITIES.replace(WEBINAR, ""))
    assert main(["diff", "HEAD", "playbook"]) == 0
    out = capsys.readouterr().out
    assert out == (
        "gtmplay diff: HEAD:playbook -> playbook\n"
        "\n"
        "Activities\n"
        '  - webinar "Proposal webinar" removed\n'
        "\n"
        "Coverage\n"
        '  lost      stage proposal "Proposal": 1 -> 0 activities\n'
    )
    assert main(["diff", "HEAD:playbook", "playbook", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["version"] == 1
    assert doc["old"] == "HEAD:playbook"
    assert doc["coverage"] == [
        {
            "kind": "stage",
            "id": "proposal",
            "name": "Proposal",
            "persona": None,
            "status": "lost",
            "old": 1,
            "new": 0,
        }
    ]
    assert main(["diff", "HEAD", "playbook", "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("## Playbook changes: `HEAD:playbook` → `playbook`\n\n")
    assert "- stage **Proposal**: 1 → 0 activities" in md
    assert main(["diff", "playbook", "HEAD"]) == 0  # either side may be the ref
    assert "+ webinar" in capsys.readouterr().out


def test_cli_writes_the_output_file(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    _write(repo)
    assert main(["diff", "playbook", "playbook", "-o", "out/diff.md", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == ""
    text = (repo.root / "out/diff.md").read_text(encoding="utf-8")
    assert text == "## Playbook changes: `playbook` → `playbook`\n\nNo changes.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["nope", "HEAD"],
            "gtmplay: error: nope: no such file or folder, and no playbook path to read at "
            "that revision. Name a playbook path on one side, or write REF:PATH "
            "(e.g. origin/main:playbooks/acme).\n",
        ),
        (
            ["HEAD:missing", "playbook"],
            "gtmplay: error: HEAD:missing: no playbook there at that revision. "
            "Check the path: it is relative to the current folder.\n",
        ),
        (
            ["nope", "playbook"],
            "gtmplay: error: nope: no such file or folder, and not a git revision (cannot read "
            "the playbook at git revision 'nope': no such branch, tag or commit (fetch it "
            "first, e.g. git fetch origin)). Check the spelling, or fetch the revision first.\n",
        ),
    ],
)
def test_cli_errors_exit_2(
    repo: Repo, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    _write(repo)
    repo.commit("base")
    assert main(["diff", *args]) == 2
    assert capsys.readouterr().err == message


def test_a_broken_side_exits_2(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    _write(repo)
    repo.write("playbook/stages.yaml", "stages: [unclosed\n")
    assert main(["diff", "playbook", "playbook"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gtmplay: error: playbook: the playbook has errors (first: playbook/")


def test_markdown_diff_shows_hidden_characters() -> None:
    from gtmplay.textio import markdown_cell as cell

    assert cell("Disc\u202eovery\x1b[31m") == "Disc&lt;U+202E&gt;overy&lt;U+001B&gt;[31m"


def test_sla_changes_say_whether_the_promise_got_weaker_or_stronger() -> None:
    def effect(field: str, old: Any, new: Any) -> str:
        return sla_effect(FieldChange(field, old, new))

    assert effect("sla.respond_within", "4h", "1d") == "weaker"  # answered later
    assert effect("sla.respond_within", "1d", "30m") == "stronger"
    assert effect("sla.respond_within", "1d", "24h") == ""  # the same time, written otherwise
    assert effect("sla.attempts", 6, 3) == "weaker"  # fewer tries
    assert effect("sla.attempts", 3, 6) == "stronger"
    assert effect("sla.attempts", None, 3) == "stronger"  # a promise made
    assert effect("sla.respond_within", "4h", None) == "weaker"  # a promise dropped
    assert effect("sla.window", "5d", "10d") == ""  # neither: see sla_effect
    assert effect("probability", 50, 60) == ""


def test_every_format_marks_weaker_sla_and_reduced_coverage() -> None:
    old = {**OLD, "activities": [*OLD["activities"], {"id": "demo-day", "supports": ["proposal"]}]}
    new = {
        **NEW,
        "handoffs": [{**NEW["handoffs"][0], "sla": {"respond_within": "1d", "attempts": 2}}],
    }
    cs = diff(build_playbook(old), build_playbook(new), "a", "b")
    text = render("text", cs)
    assert "  handoff mql-sdr: sla.respond_within 4h -> 1d (weaker)\n" in text
    assert "  handoff mql-sdr: sla.attempts 3 -> 2 (weaker)\n" in text
    assert '  reduced   stage proposal "Proposal": 2 -> 1 activities\n' in text
    doc = json.loads(render("json", cs))
    assert [(s["field"], s["effect"]) for s in doc["sla"]] == [
        ("sla.respond_within", "weaker"),
        ("sla.attempts", "weaker"),
    ]
    assert {"id": "proposal", "persona": None, "status": "reduced", "old": 2, "new": 1}.items() <= (
        doc["coverage"][0].items()
    )
    md = render("markdown", cs)
    assert "| handoff mql-sdr | sla.respond_within | 4h | 1d (**weaker**) |" in md
    assert "coverage: 1 gained, 0 increased, 1 reduced, 1 lost; 2 SLA promises weaker." in md
    assert "| stage Proposal | all | 2 | 1 | reduced |" in md
