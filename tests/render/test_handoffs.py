"""handoffs.json / handoffs.yaml: valid against their schema, exact for the example."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import yaml

from .support import ROOT, TINY, model, render

SCHEMA = json.loads((ROOT / "schemas" / "handoffs.schema.json").read_text(encoding="utf-8"))


def _errors(doc: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return [e.message for e in validator.iter_errors(doc)]


def test_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_tiny_handoffs_exact() -> None:
    files = render(model({k: v for k, v in TINY.items() if k not in ("gtmplay", "name")}),
                   ("handoffs",))  # fmt: skip
    doc = json.loads(files["handoffs/handoffs.json"])
    assert doc == {
        "$schema": "https://gtmplay.dev/schemas/handoffs.schema.json",
        "format": "gtmplay-handoffs",
        "version": 1,
        "playbook": "Test",
        "handoffs": [
            {
                "id": "mql-to-sales",
                "name": "mql-to-sales",
                "from": {"id": "marketing", "name": "Marketing"},
                "to": {"id": "sales", "name": "Sales"},
                "at": {"id": "sql", "name": "SQL"},
                "accept": ["Fits"],
                "sla": {
                    "respond_within": {"text": "4h", "iso8601": "PT4H", "hours": 4.0},
                    "attempts": 3,
                    "window": {"text": "2d", "iso8601": "P2D", "hours": 48.0},
                },
                "reject_reasons": ["No fit"],
                "on_accept": None,
                "on_reject": {"id": "nurture", "name": "Nurture"},
                "description": "",
            }
        ],
    }
    assert yaml.safe_load(files["handoffs/handoffs.yaml"]) == doc
    assert _errors(doc) == []


def test_outputs_validate_including_missing_sla_and_stamp() -> None:
    handoff = {"id": "h", "from": "x", "to": "y", "at": "z"}
    files = render(model({"handoffs": [handoff]}), ("handoffs",), stamp="2024-01-02T03:04:05Z")
    for name in ("handoffs/handoffs.json", "handoffs/handoffs.yaml"):
        doc = yaml.safe_load(files[name])
        assert _errors(doc) == [], name
        assert doc["built"] == "2024-01-02T03:04:05Z"
        assert doc["handoffs"][0]["sla"] is None
        assert doc["handoffs"][0]["from"] == {"id": "x", "name": "x"}


def test_schema_rejects_what_is_wrong() -> None:
    files = render(model({k: v for k, v in TINY.items() if k not in ("gtmplay", "name")}),
                   ("handoffs",))  # fmt: skip
    doc = json.loads(files["handoffs/handoffs.json"])
    doc["handoffs"][0]["sla"]["respond_within"]["iso8601"] = "4 hours"
    doc["handoffs"][0]["extra"] = 1
    assert len(_errors(doc)) == 2


def test_contract_lists_every_commitment() -> None:
    files = render(model({k: v for k, v in TINY.items() if k not in ("gtmplay", "name")}),
                   ("handoffs",))  # fmt: skip
    text = files["handoffs/handoffs.md"].decode()
    assert "## 1. mql-to-sales\n" in text
    assert "| First response within | 4 hours | PT4H | 4 |\n" in text
    assert "| Follow-up attempts | 3 | | |\n" in text
    assert "| Attempts spread over | 2 days | P2D | 48 |\n" in text
    assert "- [ ] Fits\n" in text
    assert "rejected leads move to **Nurture**" in text
    assert "| Marketing | | | |\n| Sales | | | |\n" in text


def test_example_outputs_validate() -> None:
    golden = ROOT / "tests" / "golden" / "render" / "handoffs"
    if not golden.is_dir():
        return
    for name in ("handoffs.json", "handoffs.yaml"):
        assert _errors(yaml.safe_load((golden / name).read_text(encoding="utf-8"))) == []
