"""Pipedrive target: API v2 bodies."""

from __future__ import annotations

import json

from gtmplay.crm.pipedrive import exporter as pipedrive

from .support import EDGE_DOC, context, playbook


def test_bodies_exact() -> None:
    ctx = context(playbook({**EDGE_DOC, "crm": {"pipedrive": {"pipeline_name": "New & Co"}}}))
    files = pipedrive.render(ctx)
    assert sorted(files) == [
        "pipedrive/README.md",
        "pipedrive/pipeline.json",
        "pipedrive/stages.json",
    ]
    assert json.loads(files["pipedrive/pipeline.json"]) == {
        "name": "New & Co",
        "is_deal_probability_enabled": True,
    }
    assert json.loads(files["pipedrive/stages.json"]) == [
        {"name": "Qualify / Discovery", "pipeline_id": 0, "deal_probability": 10,
         "is_deal_rot_enabled": False},
        {"name": "Proposal & Price 'Quote'", "pipeline_id": 0, "deal_probability": 60,
         "is_deal_rot_enabled": False},
        {"name": "N\u00e9gociation \u2013 \u00dcberpr\u00fcfung \u4ea4\u6e09", "pipeline_id": 0,
         "deal_probability": 80, "is_deal_rot_enabled": True, "days_to_rotten": 14},
    ]  # fmt: skip
    assert ctx.warnings == [
        "pipedrive: closed stages are deal statuses in Pipedrive, not stages; left out: "
        "lost-early, won, lost"
    ]


def test_rotting_can_be_turned_off() -> None:
    ctx = context(playbook({**EDGE_DOC, "crm": {"pipedrive": {"rotten_days": False}}}))
    stages = json.loads(pipedrive.render(ctx)["pipedrive/stages.json"])
    assert [s["is_deal_rot_enabled"] for s in stages] == [False, False, False]
    assert all("days_to_rotten" not in s for s in stages)
    assert json.loads(pipedrive.render(ctx)["pipedrive/pipeline.json"])["name"] == "Test"
