"""Helpers of the CRM tests: hand-made playbooks, edge-case names, where the shared
test data is, and XSD errors as text. Fixtures stay in ``conftest.py``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from gtmplay.model import Playbook, build_playbook
from gtmplay.render import BuildContext

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "playbooks" / "acme"


def playbook(doc: dict[str, Any]) -> Playbook:
    """A model straight from a document (these tests exercise exporters, not the schema)."""
    return build_playbook({"gtmplay": 1, "name": "Test", **doc})


def context(pb: Playbook) -> BuildContext:
    return BuildContext(playbook=pb, result=None)  # type: ignore[arg-type]


def stage(sid: str, name: str, p: int, forecast: str = "pipeline", **kw: Any) -> dict[str, Any]:
    return {"id": sid, "name": name, "probability": p, "forecast": forecast, **kw}


# Names a CRM export must carry exactly: XML and JSON specials, slashes, non-ASCII.
EDGE_DOC: dict[str, Any] = {
    "stages": [
        stage("qualify", "Qualify / Discovery", 10, guidance="Ask *why* & <how>"),
        stage("lost-early", 'Closed Lost - "No fit"', 0, "omitted", outcome="lost"),
        stage("proposal", "Proposal & Price 'Quote'", 60, "best-case", key_fields=["Amount"]),
        stage(
            "negotiation",
            "N\u00e9gociation \u2013 \u00dcberpr\u00fcfung \u4ea4\u6e09",
            80,
            "commit",
            target_days=14,
        ),
        stage("won", "Closed Won", 100, "closed", outcome="won"),
        stage("lost", "Closed Lost", 0, "omitted", outcome="lost"),
    ],
    "lifecycle": [
        {"id": "inquiry", "name": "Open - Not Contacted"},
        {"id": "working", "name": 'Working & "Contacted"', "description": "Call <today>"},
        {"id": "converted", "name": "Closed - Converted", "converted": True},
        {"id": "unqualified", "name": "Closed - Not Converted", "kind": "disqualified"},
    ],
}


def many_stages(n: int) -> dict[str, Any]:
    stages = [stage(f"s{i:02d}", f"Stage {i:02d}", min(90, i * 2)) for i in range(1, n + 1)]
    stages.append(stage("won", "Won", 100, "closed", outcome="won"))
    stages.insert(n // 2, stage("lost", "Lost midway", 0, "omitted", outcome="lost"))
    return {"stages": stages}


def reference_dir() -> Path:
    value = os.environ.get("GTMPLAY_REFERENCE_DIR")
    if not value:
        pytest.skip("GTMPLAY_REFERENCE_DIR is not set (CI sets it to ../shared/reference)")
    return Path(value)


def realworld_dir() -> Path:
    value = os.environ.get("GTMPLAY_REALWORLD_DIR")
    path = Path(value) if value else reference_dir().parent / "realworld"
    if not path.is_dir():
        pytest.skip(f"no real-world CRM files at {path} (set GTMPLAY_REALWORLD_DIR)")
    return path


def xsd_errors(schema: Any, data: bytes) -> list[str]:
    import io

    return [str(e).splitlines()[0] for e in schema.iter_errors(io.BytesIO(data))]


# -- HubSpot round trips -------------------------------------------------------


def semantics(pipeline: dict[str, Any]) -> tuple[Any, ...]:
    """Label, order and each stage's label, probability and closed flag, in HubSpot's order."""
    stages = sorted(pipeline["stages"], key=lambda s: (s["displayOrder"], s["label"]))
    return (
        pipeline["label"],
        pipeline["displayOrder"],
        [(s["label"], s["displayOrder"], float(s["metadata"]["probability"])) for s in stages],
    )


def hubspot_round_trip(tmp_path: Path, data: dict[str, Any]) -> None:
    """Import ``data``, export it again: every pipeline comes back, and the
    imported playbook checks without an error."""
    from gtmplay.crm.hubspot import exporter as hubspot
    from gtmplay.crm.hubspot.importer import import_hubspot
    from gtmplay.pipeline import check_path

    path = tmp_path / "pipelines.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    doc = import_hubspot(str(path)).doc
    pb = build_playbook(doc)
    files = hubspot.render(context(pb))
    pipelines = data.get("results", [data])
    again = {
        json.loads(files[f"hubspot/{hubspot.pipeline_file(m)}"])["label"]: json.loads(
            files[f"hubspot/{hubspot.pipeline_file(m)}"]
        )
        for m in pb.sales_motions
    }
    assert sorted(again) == sorted(p["label"] for p in pipelines)
    for original in pipelines:
        assert semantics(again[original["label"]]) == semantics(original)
    # HubSpot's ids are kept, per pipeline when there are several (a stage has
    # another id in each)
    settings = doc["crm"]["hubspot"]
    kept = (
        {m["name"]: settings["motions"][m["id"]]["stages"] for m in doc["motions"]}
        if "motions" in doc
        else {settings["pipeline_label"]: settings["stages"]}
    )
    for original in pipelines:
        ids = {s.get("id", s.get("stageId")) for s in original["stages"]}
        assert {v["id"] for v in kept[original["label"]].values()} == ids
    (tmp_path / "pb").mkdir()
    (tmp_path / "pb" / "playbook.yaml").write_text(json.dumps(doc), encoding="utf-8")
    result = check_path(str(tmp_path / "pb"))
    assert result.playbook is not None
    assert [f.rule for f in result.findings if f.level == "error"] == []
