"""Several pipelines: a HubSpot file with several imports as one motion per
pipeline, and each motion exports as its own HubSpot and Pipedrive pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gtmplay.crm.hubspot import exporter as hubspot
from gtmplay.crm.hubspot.importer import import_hubspot
from gtmplay.crm.pipedrive import exporter as pipedrive
from gtmplay.model import build_playbook
from gtmplay.pipeline import check_path

from .support import ROOT, context, hubspot_round_trip, realworld_dir

MOTIONS_EXAMPLE = ROOT / "playbooks" / "acme-motions"


def hs_stage(sid: str, label: str, order: int, p: str, closed: bool = False) -> dict[str, Any]:
    meta = {"probability": p, "isClosed": "true" if closed else "false"}
    return {"id": sid, "label": label, "displayOrder": order, "metadata": meta}


# Two pipelines as GET /crm/v3/pipelines/deals lists them: the second comes first
# in HubSpot's order, shares "Closed won" (another id there) and has its own
# "Proposal" at another probability.
TWO = {
    "results": [
        {
            "id": "default",
            "label": "Sales Pipeline",
            "displayOrder": 1,
            "stages": [
                hs_stage("appointmentscheduled", "Discovery", 0, "0.2"),
                hs_stage("proposal", "Proposal", 1, "0.6"),
                hs_stage("closedwon", "Closed won", 2, "1.0", closed=True),
                hs_stage("closedlost", "Closed lost", 3, "0.0", closed=True),
            ],
        },
        {
            "id": "7001",
            "label": "Renewals",
            "displayOrder": 0,
            "stages": [
                hs_stage("7002", "Proposal", 0, "0.8"),
                hs_stage("7003", "Closed won", 5, "1.0", closed=True),
            ],
        },
    ]
}


def import_doc(tmp_path: Path, data: Any, pipeline: str | None = None) -> dict[str, Any]:
    path = tmp_path / "pipelines.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return import_hubspot(str(path), pipeline).doc


def test_several_pipelines_become_motions(tmp_path: Path) -> None:
    doc = import_doc(tmp_path, TWO)
    assert doc["stages"] == [
        {"id": "proposal", "name": "Proposal", "probability": 80, "forecast": "pipeline"},
        {"id": "closed-won", "name": "Closed won", "probability": 100, "forecast": "closed",
         "outcome": "won"},
        {"id": "discovery", "name": "Discovery", "probability": 20, "forecast": "pipeline"},
        {"id": "proposal-2", "name": "Proposal", "probability": 60, "forecast": "pipeline"},
        {"id": "closed-lost", "name": "Closed lost", "probability": 0, "forecast": "omitted",
         "outcome": "lost"},
    ]  # fmt: skip
    assert doc["motions"] == [
        {"id": "renewals", "name": "Renewals", "stages": ["proposal", "closed-won"],
         "crm": {"hubspot": {"pipeline": "Renewals", "pipeline_id": "7001"}}},
        {"id": "sales-pipeline", "name": "Sales Pipeline",
         "stages": ["discovery", "proposal-2", "closed-won", "closed-lost"],
         "crm": {"hubspot": {"pipeline": "Sales Pipeline", "pipeline_id": "default"}}},
    ]  # fmt: skip
    assert doc["crm"] == {
        "hubspot": {
            "motions": {
                "renewals": {
                    "stages": {
                        "proposal": {"id": "7002"},
                        "closed-won": {"id": "7003", "display_order": 5},
                    }
                },
                "sales-pipeline": {
                    "stages": {
                        "discovery": {"id": "appointmentscheduled"},
                        "proposal-2": {"id": "proposal"},
                        "closed-won": {"id": "closedwon"},
                        "closed-lost": {"id": "closedlost"},
                    }
                },
            }
        }
    }


def test_pipeline_option_imports_one_as_a_playbook_without_motions(tmp_path: Path) -> None:
    doc = import_doc(tmp_path, TWO, "Renewals")
    assert "motions" not in doc
    assert [s["id"] for s in doc["stages"]] == ["proposal", "closed-won"]
    assert doc["crm"]["hubspot"]["pipeline_id"] == "7001"
    assert import_doc(tmp_path, TWO, "default")["crm"]["hubspot"]["pipeline_label"] == (
        "Sales Pipeline"
    )


def test_several_pipelines_round_trip(tmp_path: Path) -> None:
    hubspot_round_trip(tmp_path, TWO)


def real_deal_pipelines() -> list[dict[str, Any]]:
    """Every deal pipeline of the corpus (a task pipeline has no probabilities)."""
    out = []
    for path in sorted((realworld_dir() / "hubspot").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        for p in data.get("results", [data]):
            if all("probability" in (s.get("metadata") or {}) for s in p.get("stages", [])):
                out.append(p)
    return out


def test_the_real_pipelines_round_trip_in_one_file(tmp_path: Path) -> None:
    """Every real deal pipeline, plus a copy of each under another label whose
    stages have their own ids (as a second pipeline of the same portal has),
    in one file: each comes back from its motion."""
    pipelines = real_deal_pipelines()
    if not pipelines:
        pytest.skip("no real HubSpot deal pipeline in the corpus")
    copies = []
    for n, p in enumerate(pipelines):
        stages = [
            {**s, "id": f"copy{n}-{i}", "stageId": f"copy{n}-{i}"}
            for i, s in enumerate(p["stages"])
        ]
        copies.append({**p, "id": f"copy-{n}", "label": f"{p['label']} (copy)", "stages": stages})
    hubspot_round_trip(tmp_path, {"results": pipelines + copies})


# -- export ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def motions_playbook() -> Any:
    result = check_path(str(MOTIONS_EXAMPLE))
    assert result.playbook is not None
    return result.playbook


def test_each_motion_is_its_own_hubspot_pipeline(motions_playbook: Any) -> None:
    files = hubspot.render(context(motions_playbook))
    assert sorted(files) == [
        "hubspot/README.md",
        "hubspot/deal-pipeline-expansion.json",
        "hubspot/deal-pipeline-new-business.json",
        "hubspot/lead-status.json",
    ]
    expansion = json.loads(files["hubspot/deal-pipeline-expansion.json"])
    assert expansion == {
        "label": "Expansion",
        "displayOrder": 1,
        "stages": [
            {"label": "Discovery", "displayOrder": 0, "metadata": {"probability": "0.1"}},
            {"label": "Proposal & Pricing", "displayOrder": 1,
             "metadata": {"probability": "0.6"}},
            {"label": "Negotiation & Procurement", "displayOrder": 2,
             "metadata": {"probability": "0.8"}},
            {"label": "Closed Won", "displayOrder": 3, "metadata": {"probability": "1.0"}},
            {"label": "Closed Lost", "displayOrder": 4, "metadata": {"probability": "0.0"}},
        ],
    }  # fmt: skip
    new = json.loads(files["hubspot/deal-pipeline-new-business.json"])
    assert (new["label"], new["displayOrder"], len(new["stages"])) == ("New business", 0, 7)
    readme = files["hubspot/README.md"].decode("utf-8")
    assert readme.count("curl -X POST https://api.hubapi.com/crm/v3/pipelines/deals") == 2
    assert "--data @deal-pipeline-new-business.json" in readme
    assert "--data @deal-pipeline-expansion.json" in readme


def test_each_motion_is_its_own_pipedrive_pipeline(motions_playbook: Any) -> None:
    ctx = context(motions_playbook)
    files = pipedrive.render(ctx)
    assert sorted(files) == [
        "pipedrive/README.md",
        "pipedrive/pipeline-expansion.json",
        "pipedrive/pipeline-new-business.json",
        "pipedrive/stages-expansion.json",
        "pipedrive/stages-new-business.json",
    ]
    assert json.loads(files["pipedrive/pipeline-expansion.json"]) == {
        "name": "Expansion",
        "is_deal_probability_enabled": True,
    }
    assert [s["name"] for s in json.loads(files["pipedrive/stages-expansion.json"])] == [
        "Discovery",
        "Proposal & Pricing",
        "Negotiation & Procurement",
    ]
    assert len(json.loads(files["pipedrive/stages-new-business.json"])) == 5
    readme = files["pipedrive/README.md"].decode("utf-8")
    assert "Create each pipeline (one per sales motion)" in readme
    assert "--data @pipeline-expansion.json" in readme
    assert "stages-expansion.json | while read" in readme


def test_a_motion_names_nothing_it_does_not_declare() -> None:
    """Pipeline names come from the motion's crm names, else its name: never invented."""
    doc = {
        "gtmplay": 1,
        "name": "T",
        "stages": [
            {"id": "open", "name": "Open", "probability": 10, "forecast": "pipeline"},
            {"id": "won", "name": "Won", "probability": 100, "forecast": "closed",
             "outcome": "won"},
        ],
        "motions": [{"id": "self-serve", "name": "Self-serve assist", "stages": ["open", "won"]}],
    }  # fmt: skip
    pb = build_playbook(doc)
    hub = hubspot.render(context(pb))
    assert json.loads(hub["hubspot/deal-pipeline-self-serve.json"])["label"] == (
        "Self-serve assist"
    )
    pd = pipedrive.render(context(pb))
    assert json.loads(pd["pipedrive/pipeline-self-serve.json"])["name"] == "Self-serve assist"
    assert "hubspot/deal-pipeline.json" not in hub
    assert "pipedrive/pipeline.json" not in pd
