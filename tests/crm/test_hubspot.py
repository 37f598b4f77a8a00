"""HubSpot target: payloads accepted by the official hubspot-api-client models."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.crm.hubspot import exporter as hubspot
from gtmplay.crm.hubspot.exporter import probability

from .support import EDGE_DOC, context, many_stages, playbook, stage

hubspot_client = pytest.importorskip("hubspot", reason="hubspot-api-client is a test dependency")

PRIMITIVES = {"str": str, "int": int, "bool": bool}


def build_model(package: Any, type_name: str, value: Any, config: Any) -> Any:
    """``value`` as an instance of the client's model ``type_name``, refusing what it cannot hold.

    The generated models check required fields (client-side validation) but
    not types or unknown keys, so this also checks those against the model's
    own ``openapi_types``.
    """
    if m := re.fullmatch(r"list\[(.+)\]", type_name):
        assert isinstance(value, list), f"{type_name}: {value!r}"
        return [build_model(package, m.group(1), v, config) for v in value]
    if m := re.fullmatch(r"dict\(str, (.+)\)|dict\[str, (.+)\]", type_name):
        assert isinstance(value, dict), f"{type_name}: {value!r}"
        inner = m.group(1) or m.group(2)
        return {k: build_model(package, inner, v, config) for k, v in value.items()}
    if type_name in PRIMITIVES:
        assert type(value) is PRIMITIVES[type_name], f"{type_name}: {value!r}"
        return value
    cls = getattr(package.models, type_name)
    assert isinstance(value, dict), f"{type_name}: {value!r}"
    by_json = {v: k for k, v in cls.attribute_map.items()}
    unknown = set(value) - set(by_json)
    assert not unknown, f"{type_name} has no field {sorted(unknown)}"
    kwargs = {
        by_json[k]: build_model(package, cls.openapi_types[by_json[k]], v, config)
        for k, v in value.items()
    }
    return cls(**kwargs, local_vars_configuration=config)


def accepted(package: Any, type_name: str, payload: Any) -> Any:
    """The payload as the client serialises it after building its model with validation on."""
    config = package.Configuration()
    config.client_side_validation = True
    model = build_model(package, type_name, payload, config)
    return package.ApiClient(configuration=config).sanitize_for_serialization(model)


def payloads(doc: dict[str, Any]) -> tuple[dict[str, bytes], list[str]]:
    ctx = context(playbook(doc))
    return hubspot.render(ctx), ctx.warnings


@pytest.mark.parametrize("doc", [EDGE_DOC, many_stages(45)], ids=["edge", "45-stages"])
def test_payloads_pass_the_official_models_unchanged(doc: dict[str, Any]) -> None:
    from hubspot.crm import pipelines, properties

    files, _ = payloads(doc)
    deal = json.loads(files["hubspot/deal-pipeline.json"])
    assert accepted(pipelines, "PipelineInput", deal) == deal
    if "lifecycle" in doc:
        lead = json.loads(files["hubspot/lead-status.json"])
        assert accepted(properties, "PropertyUpdate", lead) == lead
    else:
        assert "hubspot/lead-status.json" not in files


def test_model_check_rejects_a_bad_payload() -> None:
    from hubspot.crm import pipelines

    with pytest.raises(ValueError, match="display_order"):
        accepted(pipelines, "PipelineInput", {"label": "x", "stages": []})
    with pytest.raises(AssertionError, match="str"):
        bad = {"label": "x", "displayOrder": 0, "metadata": {"probability": 0.5}}
        accepted(pipelines, "PipelineInput", {"label": "x", "displayOrder": 0, "stages": [bad]})


def test_edge_payload_exact() -> None:
    files, warnings = payloads(EDGE_DOC)
    deal = json.loads(files["hubspot/deal-pipeline.json"])
    names = [x["name"] for x in EDGE_DOC["stages"]]
    probs = ["0.1", "0.0", "0.6", "0.8", "1.0", "0.0"]
    assert deal == {
        "label": "Test Pipeline",
        "displayOrder": 0,
        "stages": [
            {"label": n, "displayOrder": i, "metadata": {"probability": p}}
            for i, (n, p) in enumerate(zip(names, probs, strict=True))
        ],
    }
    assert "\u4ea4\u6e09" in files["hubspot/deal-pipeline.json"].decode("utf-8")
    assert json.loads(files["hubspot/lead-status.json"]) == {
        "options": [
            {"label": "Open - Not Contacted", "value": "INQUIRY", "displayOrder": 0,
             "hidden": False},
            {"label": 'Working & "Contacted"', "value": "WORKING", "displayOrder": 1,
             "hidden": False, "description": "Call <today>"},
            {"label": "Closed - Converted", "value": "CONVERTED", "displayOrder": 2,
             "hidden": False},
            {"label": "Closed - Not Converted", "value": "UNQUALIFIED", "displayOrder": 3,
             "hidden": False},
        ]
    }  # fmt: skip
    assert warnings == []


def test_unrepresentable_probabilities_warn() -> None:
    doc = {
        "stages": [
            stage("a", "A", 25),
            stage("b", "B", 0),
            stage("c", "C", 100, "commit"),
            stage("w", "W", 90, "closed", outcome="won"),
            stage("l", "L", 5, "omitted", outcome="lost"),
        ]
    }
    files, warnings = payloads(doc)
    probs = [
        s["metadata"]["probability"]
        for s in json.loads(files["hubspot/deal-pipeline.json"])["stages"]
    ]
    assert probs == ["0.3", "0.0", "1.0", "1.0", "0.0"]
    assert warnings == [
        "hubspot: stage a probability 25% exported as 0.3 "
        "(HubSpot takes 0.0 to 1.0 in steps of 0.1)",
        "hubspot: open stage b has probability 0%; HubSpot treats 0.0 as closed lost",
        "hubspot: open stage c has probability 100%; HubSpot treats 1.0 as closed won",
        "hubspot: won stage w has probability 90%; "
        "exported as 1.0, the only probability of a closed won stage",
        "hubspot: lost stage l has probability 5%; "
        "exported as 0.0, the only probability of a closed lost stage",
    ]


def test_duplicate_labels_and_too_many_stages_warn() -> None:
    doc = many_stages(100)
    doc["stages"].append(stage("again", "Stage 01", 10))
    _, warnings = payloads(doc)
    assert warnings[:2] == [
        "hubspot: 103 stages; a deal pipeline holds at most 100",
        "hubspot: stage label 'Stage 01' is used twice; HubSpot needs unique labels",
    ]


def test_mapping_overrides() -> None:
    doc = {
        **EDGE_DOC,
        "crm": {
            "hubspot": {
                "pipeline_label": "New business",
                "display_order": 3,
                "stages": {"qualify": {"display_order": 7}},
                "statuses": {"inquiry": {"value": "NEW", "hidden": True}},
            }
        },
    }
    files, _ = payloads(doc)
    deal = json.loads(files["hubspot/deal-pipeline.json"])
    assert (deal["label"], deal["displayOrder"], deal["stages"][0]["displayOrder"]) == (
        "New business",
        3,
        7,
    )
    first = json.loads(files["hubspot/lead-status.json"])["options"][0]
    assert (first["value"], first["hidden"]) == ("NEW", True)


@given(st.integers(0, 100))
def test_probability_is_a_tenth_string(percent: int) -> None:
    value = probability(percent)
    assert re.fullmatch(r"(0\.[0-9]|1\.0)", value)
    assert abs(float(value) * 100 - percent) <= 5
