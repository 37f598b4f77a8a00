"""Figures per motion: each deal joins the motion its CRM names, or the one its stages fit."""

from __future__ import annotations

from typing import Any

from gtmplay.measure import figures as fig
from gtmplay.measure.engine import measure
from gtmplay.model import build_playbook

PLAYBOOK: dict[str, Any] = {
    "gtmplay": 1,
    "name": "T",
    "stages": [
        {"id": "discovery", "probability": 10, "forecast": "pipeline", "target_days": 10},
        {"id": "proposal", "probability": 60, "forecast": "best-case", "target_days": 5},
        {"id": "won", "probability": 100, "forecast": "closed", "outcome": "won"},
    ],
    "motions": [
        {"id": "new", "name": "New business", "stages": ["discovery", "proposal", "won"]},
        {
            "id": "expansion",
            "name": "Expansion",
            "stages": ["proposal", "won"],
            "crm": {"salesforce": {"record_type": "Upsell"}},
        },
    ],
}


def stay(rid: str, stage: str, entered: str, exited: str | None, motion: str | None = None):
    return {
        "record_id": rid,
        "kind": "deal",
        "crm_stage": stage,
        "entered_at": entered,
        "exited_at": exited,
        "motion": motion,
    }


def test_deals_join_their_motion() -> None:
    m = measure(
        build_playbook(PLAYBOOK),
        [
            # A: every stage of "new"
            stay("A", "discovery", "2024-01-01", "2024-01-03"),
            stay("A", "proposal", "2024-01-03", "2024-01-07"),
            stay("A", "won", "2024-01-07", None),
            # B: proposal and won fit both; expansion is the closer fit
            stay("B", "proposal", "2024-01-01", "2024-01-02"),
            stay("B", "won", "2024-01-02", None),
            # C: the CRM names the motion by its record type
            stay("C", "proposal", "2024-01-01", "2024-01-09", motion="upsell"),
            stay("C", "won", "2024-01-09", None, motion="upsell"),
            # D: names expansion, but discovery is not one of its stages
            stay("D", "discovery", "2024-01-01", "2024-01-02", motion="Expansion"),
        ],
    )
    assert [(s.motion, s.stage, s.completed, s.median_days) for s in m.stage_time] == [
        ("expansion", "proposal", 2, 4.5),
        ("new", "discovery", 1, 2.0),
        ("new", "proposal", 1, 4.0),
    ]
    assert [(c.motion, c.won, c.median_days) for c in m.cycle_length] == [
        ("expansion", 2, 4.5),
        ("new", 1, 6.0),
    ]
    assert m.unmapped == (fig.Unmapped("deal", "discovery", 1, "expansion"),)
