"""The playbook JSON Schema, its generated companions and the example playbook.

The schema is the single source of truth of the format: editors read it, the
tool validates with it (jsonschema-rs, jsonschema for error details; both
2020-12), and docs/format.md and the fragment schema are generated
from it. These tests keep it usable by all of them.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
MAIN = SCHEMAS / "playbook.schema.json"
FRAGMENT = SCHEMAS / "playbook-fragment.schema.json"
EXAMPLE = ROOT / "playbooks" / "acme"

Schema = dict[str, Any]

# Keywords that mean the same in every draft since 7 (editors and other validators
# of the playbook still read older drafts) and give precise error messages.
VALIDATION = {
    "type", "properties", "required", "additionalProperties", "patternProperties", "items",
    "enum", "const", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems",
    "maxItems", "uniqueItems", "$ref",
}  # fmt: skip
ANNOTATION = {"description", "title", "examples", "default"}
ALLOWED = VALIDATION | ANNOTATION
ROOT_ONLY = {"$schema", "$id", "$defs"}
EXTENSION = "^x-"


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"gtmplay_scripts_{name}", ROOT / "scripts" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(path: Path) -> Schema:
    result: Schema = json.loads(path.read_text(encoding="utf-8"))
    return result


SCHEMA_FILES = {"main": MAIN, "fragment": FRAGMENT}


@pytest.fixture(scope="module", params=sorted(SCHEMA_FILES))
def schema(request: pytest.FixtureRequest) -> Schema:
    return load(SCHEMA_FILES[request.param])


def subschemas(node: Schema, where: str = "#") -> Iterator[tuple[str, Schema]]:
    """Every schema in ``node`` (itself included), with a readable location."""
    yield where, node
    for key in ("properties", "patternProperties", "$defs"):
        for name, sub in node.get(key, {}).items():
            yield from subschemas(sub, f"{where}/{key}/{name}")
    for key in ("items", "additionalProperties"):
        sub = node.get(key)
        if isinstance(sub, dict):
            yield from subschemas(sub, f"{where}/{key}")


# --------------------------------------------------------------------------
# The schema as a schema


def test_schemas_are_valid_2020_12(schema: Schema) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://gtmplay.dev/schemas/")
    assert schema["title"] and schema["description"]
    jsonschema.Draft202012Validator.check_schema(schema)


def test_only_portable_keywords(schema: Schema) -> None:
    defs = schema["$defs"]
    for where, node in subschemas(schema):
        allowed = ALLOWED | ROOT_ONLY if where == "#" else ALLOWED
        assert set(node) <= allowed, f"{where}: {sorted(set(node) - allowed)}"
        if "$ref" in node:
            ref = node["$ref"]
            assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in defs, where
            # drafts before 2019-09 ignore the siblings of $ref: only annotations there
            assert set(node) - {"$ref"} <= ANNOTATION, f"{where}: constraint next to $ref"
        if "items" in node:
            assert isinstance(node["items"], dict), f"{where}: items must be one schema"


def test_every_property_has_a_description(schema: Schema) -> None:
    missing = []
    for where, node in subschemas(schema):
        for key in ("properties", "patternProperties"):
            for name, sub in node.get(key, {}).items():
                description = sub.get("description")
                if not (isinstance(description, str) and description.strip()):
                    missing.append(f"{where}/{key}/{name}")
    for name, sub in schema["$defs"].items():
        if not sub.get("description", "").strip():
            missing.append(f"#/$defs/{name}")
    assert missing == []


def test_every_enum_value_is_explained(schema: Schema) -> None:
    for where, node in subschemas(schema):
        if "enum" in node and where.split("/")[-2] == "properties":
            description = node["description"]
            for value in node["enum"]:
                assert f"`{value}` (" in description, f"{where}: {value} not explained"


def test_objects_are_closed_but_extensible(schema: Schema) -> None:
    for where, node in subschemas(schema):
        if node.get("type") != "object":
            continue
        if "properties" in node:
            assert node.get("additionalProperties") is False, where
            extension = node.get("patternProperties", {}).get(EXTENSION)
            assert extension is not None and extension["description"], where
        else:
            # a mapping (field names, per-id settings, rule levels): keys are checked
            # by patternProperties or values by additionalProperties
            assert "patternProperties" in node or isinstance(
                node.get("additionalProperties"), dict
            ), where


def test_every_section_and_object_type_is_a_def() -> None:
    main = load(MAIN)
    for name, prop in main["properties"].items():
        if name not in ("gtmplay", "name", "description"):
            assert set(prop) <= {"$ref"} | ANNOTATION, name
    for where, node in subschemas(main):
        if "properties" in node and where != "#":
            assert re.fullmatch(r"#/\$defs/[a-z_]+", where), f"inline object at {where}"


def test_shared_definitions() -> None:
    defs = load(MAIN)["$defs"]
    assert defs["id"]["pattern"] == defs["ref"]["pattern"] == "^[a-z0-9][a-z0-9_-]*$"
    assert defs["id"]["maxLength"] == 64
    assert defs["duration"]["pattern"] == "^([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?$"
    duration = re.compile(defs["duration"]["pattern"])
    for example in defs["duration"]["examples"]:
        assert duration.fullmatch(example)
    assert defs["suppression"]["required"] == ["rule", "reason"]


# --------------------------------------------------------------------------
# Generated files


def test_fragment_schema_is_generated() -> None:
    gen = load_script("gen_fragment_schema")
    assert FRAGMENT.read_text(encoding="utf-8") == gen.render(MAIN)
    fragment = load(FRAGMENT)
    assert "required" not in fragment
    assert not {"gtmplay", "name", "description"} & set(fragment["properties"])
    assert "include" in fragment["properties"]
    assert fragment["$defs"] == load(MAIN)["$defs"]


def test_format_docs_are_up_to_date() -> None:
    gen = load_script("gen_format_docs")
    text = gen.render_file(MAIN)
    assert (ROOT / "docs" / "format.md").read_text(encoding="utf-8") == text
    assert gen.render_file(MAIN) == text  # deterministic


def test_format_docs_cover_every_field() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    main = load(MAIN)
    for name, node in main["$defs"].items():
        assert f'<a id="{name.replace("_", "-")}"></a>' in text or "properties" not in node
        for key in node.get("properties", {}):
            assert f"| `{key}` |" in text, f"{name}.{key}"
    for link in set(re.findall(r"\]\(#([a-z-]+)\)", text)):
        assert f'<a id="{link}"></a>' in text, link


# --------------------------------------------------------------------------
# Validation: jsonschema-rs (the fast gear) and jsonschema (the explaining one) agree


def fast(schema: Schema) -> Callable[[Any], Any]:
    validator: Callable[[Any], Any] = jsonschema_rs.validator_for(schema).is_valid
    return validator


@pytest.fixture(scope="module")
def validators() -> dict[str, tuple[Callable[[Any], Any], jsonschema.Draft202012Validator]]:
    return {
        name: (fast(load(path)), jsonschema.Draft202012Validator(load(path)))
        for name, path in SCHEMA_FILES.items()
    }


def verdicts(
    validators: dict[str, tuple[Callable[[Any], Any], jsonschema.Draft202012Validator]],
    which: str,
    doc: Any,
) -> tuple[bool, bool]:
    fast_validate, full = validators[which]
    return bool(fast_validate(copy.deepcopy(doc))), full.is_valid(doc)


BASE: dict[str, Any] = {"gtmplay": 1, "name": "Test"}

DOCS: list[tuple[str, str, Any, bool]] = [
    ("minimal", "main", BASE, True),
    ("extension-fields", "main", {**BASE, "x-owner": "ops", "teams": [
        {"id": "mkt", "name": "Marketing", "function": "marketing", "x-slack": "#mkt"}]}, True),
    ("suppression", "main", {**BASE, "stages": [{
        "id": "proposal", "name": "Proposal", "probability": 60, "forecast": "best-case",
        "suppress": [{"rule": "GTM101", "reason": "Partner-led"}]}]}, True),
    ("rule-levels", "main", {**BASE, "checks": {
        "rules": {"GTM101": "warning", "coverage.stage-without-marketing": "off"},
        "fail_on": "note"}}, True),
    ("durations", "main", {**BASE, "handoffs": [{
        "id": "h", "from": "a", "to": "b", "at": "sal",
        "sla": {"respond_within": "1d12h", "attempts": 6, "window": "2w"}}]}, True),
    ("imported-salesforce-crm", "main", {**BASE, "crm": {"salesforce": {
        "sales_path": "Enterprise_Path", "default_status": None, "lead_path": "Leads_Path",
        "statuses": {"working-contacted": {"description": "Being worked"}},
        "stages": {"proposal-price-quote": {"full_name": "Proposal/Price Quote",
                                            "color": "#00FF00"},
                   "negociation-uberprufung": {"active": False,
                                               "forecast_category": "MostLikely"}},
        "default_stage": "qualify-discovery", "sales_process": "Enterprise / Direct",
        "opportunity_record_type": "Enterprise", "guidance_format": "html",
        "api_version": "62.0"}}}, True),
    ("imported-hubspot-crm", "main", {**BASE, "crm": {"hubspot": {
        "pipeline_label": "Sales", "display_order": 0, "pipeline_id": "default",
        "stages": {"appointment": {"id": "appointmentscheduled", "display_order": 2}}}}}, True),
    ("fragment-sections", "fragment", {"include": ["more/*.yaml"], "kpis": [
        {"id": "win-rate", "name": "Win rate", "target": 25.5, "unit": "percent"}]}, True),
    ("missing-name", "main", {"gtmplay": 1}, False),
    ("missing-version", "main", {"name": "Test"}, False),
    ("wrong-version", "main", {**BASE, "gtmplay": 2}, False),
    ("version-as-text", "main", {**BASE, "gtmplay": "1"}, False),
    ("unknown-root-field", "main", {**BASE, "stage": []}, False),
    ("unknown-nested-field", "main", {**BASE, "teams": [
        {"id": "mkt", "name": "Marketing", "function": "marketing", "leader": "X"}]}, False),
    ("bad-id", "main", {**BASE, "teams": [
        {"id": "Field Sales", "name": "Field Sales", "function": "sales"}]}, False),
    ("bad-reference", "main", {**BASE, "cadence": [
        {"id": "qbr", "name": "QBR", "every": "quarterly", "attendees": ["Sales"]}]}, False),
    ("bad-enum", "main", {**BASE, "teams": [
        {"id": "s", "name": "S", "function": "salespeople"}]}, False),
    ("probability-over-100", "main", {**BASE, "stages": [
        {"id": "s", "name": "S", "probability": 101, "forecast": "commit"}]}, False),
    ("probability-not-whole", "main", {**BASE, "stages": [
        {"id": "s", "name": "S", "probability": 12.5, "forecast": "commit"}]}, False),
    ("bad-duration", "main", {**BASE, "handoffs": [{
        "id": "h", "from": "a", "to": "b", "at": "sal", "sla": {"respond_within": "4 hours"}}]},
     False),
    ("duration-unit-order", "main", {**BASE, "cadence": [
        {"id": "m", "name": "M", "every": "weekly", "duration": "30m1h"}]}, False),
    ("suppression-without-reason", "main", {**BASE, "assets": [
        {"id": "a", "name": "A", "suppress": [{"rule": "GTM106"}]}]}, False),
    ("empty-suppression-reason", "main", {**BASE, "assets": [
        {"id": "a", "name": "A", "suppress": [{"rule": "GTM106", "reason": ""}]}]}, False),
    ("unknown-rule-key-shape", "main", {**BASE, "checks": {"rules": {"gtm101": "off"}}}, False),
    ("bad-rule-level", "main", {**BASE, "checks": {"rules": {"GTM101": "ignore"}}}, False),
    ("include-escapes", "main", {**BASE, "include": ["../other/playbook.yaml"]}, False),
    ("include-absolute", "main", {**BASE, "include": ["/etc/passwd"]}, False),
    ("zero-attempts", "main", {**BASE, "handoffs": [{
        "id": "h", "from": "a", "to": "b", "at": "sal", "sla": {"attempts": 0}}]}, False),
    ("empty-list-entry", "main", {**BASE, "stages": [
        {"id": "s", "name": "S", "probability": 5, "forecast": "pipeline", "exit": [""]}]},
     False),
    ("bad-api-version", "main", {**BASE, "crm": {"salesforce": {"api_version": 62}}}, False),
    ("bad-crm-stage-key", "main", {**BASE, "crm": {"salesforce": {
        "stages": {"Closed Won": {"color": "#fff"}}}}}, False),
    ("fragment-with-version", "fragment", {"gtmplay": 1}, False),
    ("fragment-with-name", "fragment", {"name": "Part"}, False),
]  # fmt: skip


@pytest.mark.parametrize(("which", "doc", "valid"), [d[1:] for d in DOCS], ids=[d[0] for d in DOCS])
def test_validators_agree(
    validators: dict[str, tuple[Callable[[Any], Any], jsonschema.Draft202012Validator]],
    which: str,
    doc: Any,
    valid: bool,
) -> None:
    assert verdicts(validators, which, doc) == (valid, valid)


# --------------------------------------------------------------------------
# The example playbook


def example_files() -> list[Path]:
    return sorted(EXAMPLE.rglob("*.yaml"))


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "path", example_files(), ids=[p.relative_to(EXAMPLE).as_posix() for p in example_files()]
)
def test_example_file_is_valid(
    validators: dict[str, tuple[Callable[[Any], Any], jsonschema.Draft202012Validator]],
    path: Path,
) -> None:
    which = "main" if path == EXAMPLE / "playbook.yaml" else "fragment"
    doc = read_yaml(path)
    errors = [e.message for e in validators[which][1].iter_errors(doc)]
    assert errors == []
    assert verdicts(validators, which, doc) == (True, True)
    # the editor hint points at the right schema from where the file is
    target = SCHEMA_FILES[which]
    first = path.read_text(encoding="utf-8").splitlines()[0]
    relative = Path(*[".."] * (len(path.relative_to(ROOT).parts) - 1), "schemas", target.name)
    assert first == f"# yaml-language-server: $schema={relative.as_posix()}"


def merged_example() -> dict[str, Any]:
    """The example with its includes merged (lists joined, mappings combined)."""
    root = read_yaml(EXAMPLE / "playbook.yaml")
    merged = {k: v for k, v in root.items() if k != "include"}
    included = [
        p
        for pattern in root["include"]
        for p in sorted(EXAMPLE.glob(pattern))
        if p.name != "playbook.yaml" or p.parent != EXAMPLE
    ]
    assert sorted(set(included)) == sorted(set(example_files()) - {EXAMPLE / "playbook.yaml"})
    for path in included:
        for key, value in read_yaml(path).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                assert key not in merged, f"{key} defined twice"
                merged[key] = value
    return merged


def test_merged_example_is_valid(
    validators: dict[str, tuple[Callable[[Any], Any], jsonschema.Draft202012Validator]],
) -> None:
    assert verdicts(validators, "main", merged_example()) == (True, True)


def test_example_is_complete() -> None:
    doc = merged_example()
    strategy = doc["strategy"]
    assert {"innovation", "value", "brand", "sales_role"} <= set(strategy)
    personas = {p["id"] for p in strategy["personas"]}
    markets = {m["id"] for m in strategy["markets"]}
    teams = {t["id"] for t in doc["teams"]}
    steps = {s["id"] for s in doc["lifecycle"]}
    stages = {s["id"]: s for s in doc["stages"]}
    assets = {a["id"] for a in doc["assets"]}
    kpis = {k["id"] for k in doc["kpis"]}

    for kind in ("teams", "lifecycle", "stages", "assets", "activities", "handoffs", "kpis",
                 "cadence"):  # fmt: skip
        ids = [item["id"] for item in doc[kind]]
        assert len(ids) == len(set(ids)), kind

    open_stages = [s for s in doc["stages"] if s.get("outcome", "open") == "open"]
    assert len(doc["stages"]) >= 7
    probabilities = [s["probability"] for s in open_stages]
    assert probabilities == sorted(probabilities)
    activities = doc["activities"]
    assert len(activities) >= 18 and len(doc["assets"]) >= 8
    for activity in activities:
        assert activity["owner"] in teams
        assert set(activity["supports"]) <= steps | set(stages)
        assert set(activity.get("personas", ())) <= personas
        assert set(activity.get("markets", ())) <= markets
        assert set(activity.get("assets", ())) <= assets
    covered = {(t, p) for a in activities for t in a["supports"] for p in a.get("personas", ())}
    for stage in open_stages:
        for persona in personas:
            assert (stage["id"], persona) in covered, (stage["id"], persona)
    assert {"inquiry", "mql"} <= {t for a in activities for t in a["supports"]}
    assert assets == {x for a in activities for x in a.get("assets", ())}

    cycle = [k for k in doc["kpis"] if k["kind"] == "sales-cycle"]
    assert cycle and cycle[0]["target"] >= sum(s["target_days"] for s in open_stages)
    for kpi in doc["kpis"]:
        assert {"owner", "target", "unit", "kind"} <= set(kpi), kpi["id"]
    assert {"response-time", "conversion", "win-rate"} <= {k["kind"] for k in doc["kpis"]}
    for meeting in doc["cadence"]:
        assert set(meeting["attendees"]) <= teams and set(meeting["kpis"]) <= kpis
    for handoff in doc["handoffs"]:
        assert {"respond_within", "attempts", "window"} <= set(handoff["sla"])
        assert {handoff["at"], handoff["on_accept"], handoff["on_reject"]} <= steps
