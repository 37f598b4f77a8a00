"""Shared fixtures of the CRM tests: hand-made playbooks and the Salesforce XSD."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def salesforce_xsd() -> Any:
    """Salesforce's metadata XSD, loaded once: it takes seconds."""
    import xmlschema

    path = reference_dir() / "salesforce-metadata.xsd"
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    return xmlschema.XMLSchema(str(path))


def xsd_errors(schema: Any, data: bytes) -> list[str]:
    import io

    return [str(e).splitlines()[0] for e in schema.iter_errors(io.BytesIO(data))]
