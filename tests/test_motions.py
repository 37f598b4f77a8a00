"""Sales motions in the format: model, references, diff, the example playbook."""

from __future__ import annotations

from typing import Any

from gtmplay.diff import diff
from gtmplay.model import build_playbook
from gtmplay.pipeline import check_path

STAGES = [
    {"id": "discovery", "probability": 10, "forecast": "pipeline"},
    {"id": "proposal", "probability": 60, "forecast": "best-case"},
    {"id": "won", "probability": 100, "forecast": "closed", "outcome": "won"},
]


def _playbook(**doc: Any) -> Any:
    return build_playbook({"gtmplay": 1, "name": "T", "stages": STAGES, **doc})


def test_a_playbook_without_motions_has_one_implicit_motion() -> None:
    playbook = _playbook()
    assert playbook.motions == ()
    (motion,) = playbook.sales_motions
    assert motion.implicit
    assert motion.stages == ("discovery", "proposal", "won")
    assert motion.start == "discovery"


def test_declared_motions_and_the_activities_that_support_them() -> None:
    playbook = _playbook(
        motions=[
            {"id": "new", "name": "New business", "stages": ["discovery", "proposal", "won"]},
            {
                "id": "expansion",
                "name": "Expansion",
                "stages": ["proposal", "won"],
                "default_stage": "proposal",
                "crm": {"salesforce": {"process": "Expansion"}, "hubspot": {"pipeline": "Exp"}},
            },
        ],
        activities=[
            {"id": "all", "name": "All", "supports": ["proposal"]},
            {"id": "exp", "name": "Exp", "supports": ["proposal"], "motions": ["expansion"]},
        ],
    )
    new, expansion = playbook.sales_motions
    assert (new.start, expansion.start) == ("discovery", "proposal")
    assert expansion.crm.salesforce_process == "Expansion"
    assert expansion.crm.hubspot_pipeline == "Exp"
    assert expansion.crm.pipedrive_pipeline is None
    all_, exp = playbook.activities
    assert [m.id for m in playbook.motions_of(all_)] == ["new", "expansion"]
    assert [m.id for m in playbook.motions_of(exp)] == ["expansion"]


def test_unknown_motion_and_stage_references_are_findings(tmp_path: Any) -> None:
    (tmp_path / "playbook.yaml").write_text(
        "gtmplay: 1\n"
        "name: T\n"
        "stages:\n"
        "  - {id: discovery, name: D, probability: 10, forecast: pipeline}\n"
        "motions:\n"
        "  - {id: new, name: New, stages: [discovery, proposl]}\n"
        "activities:\n"
        "  - {id: a, name: A, kind: content, supports: [discovery], motions: [nwe]}\n",
        encoding="utf-8",
    )
    result = check_path(str(tmp_path / "playbook.yaml"), rules=False)
    got = [(f.line, f.column, f.rule, f.message) for f in result.findings]
    assert got == [
        (6, 46, "GTM020", "unknown stage 'proposl'"),
        (8, 70, "GTM020", "unknown motion 'nwe'"),
    ]


def test_diff_reports_motions_added_removed_and_changed() -> None:
    motion = {"id": "exp", "name": "Expansion", "stages": ["proposal", "won"]}
    old = _playbook(motions=[motion, {"id": "gone", "name": "Gone", "stages": ["won"]}])
    changed = {**motion, "stages": ["discovery", "proposal", "won"], "owner": "cs"}
    new = _playbook(motions=[changed, {"id": "new", "name": "New", "stages": ["won"]}])
    cs = diff(old, new)
    got = [
        (o.kind, o.id, o.change, [(f.field, f.old, f.new) for f in o.fields]) for o in cs.objects
    ]
    assert got == [
        ("motion", "gone", "removed", []),
        (
            "motion",
            "exp",
            "changed",
            [
                ("stages", ("proposal", "won"), ("discovery", "proposal", "won")),
                ("owner", None, "cs"),
            ],
        ),
        ("motion", "new", "added", []),
    ]


def test_the_example_playbook_with_motions_checks_clean() -> None:
    result = check_path("playbooks/acme-motions")
    assert result.findings == []
    assert result.playbook is not None
    assert [m.id for m in result.playbook.motions] == ["new-business", "expansion"]
