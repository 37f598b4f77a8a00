"""A fragment is validated by the playbook schema's validator, stand-ins for the root keys."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gtmplay import schema
from gtmplay.schemafiles import FRAGMENT_SCHEMA, PLAYBOOK_SCHEMA, ROOT_ONLY, schema_text
from gtmplay.sourcemap import SourceMap

ACME = Path(__file__).resolve().parent.parent / "playbooks" / "acme"
FRAGMENTS = sorted(p for p in ACME.rglob("*.yaml") if p.name != "playbook.yaml")
_json = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "a", "x-y", "1d"])
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["id", "name", "kind", "x-note"]), inner, max_size=3),
    ),
    max_leaves=8,
)


def _doc(path: Path) -> dict[str, Any]:
    """A fresh copy of the fragment's document (the property changes it)."""
    return copy.deepcopy(_parsed(path))


# The property's 200 examples draw from a few files and one schema: each file is
# parsed, and the schema compiled, once (they were 90 % of an example's time)
@functools.cache
def _parsed(path: Path) -> dict[str, Any]:
    value: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return value


@functools.cache
def _fragment_validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(schema_text(FRAGMENT_SCHEMA))


def test_the_stand_ins_are_all_the_playbook_schema_requires_and_the_fragment_lacks() -> None:
    main, fragment = json.loads(schema_text()), json.loads(schema_text(FRAGMENT_SCHEMA))
    assert set(main["properties"]) - set(fragment["properties"]) == set(ROOT_ONLY)
    assert jsonschema_rs.validator_for(main).is_valid(dict(schema._STAND_IN))
    assert set(schema._STAND_IN) == set(main["required"])


def test_clean_fragments_compile_only_the_playbook_validator() -> None:
    schema._fast_validator.cache_clear()
    for path in FRAGMENTS:
        assert schema.validate(_doc(path), SourceMap(), root=False) == []
    assert len(FRAGMENTS) > 5
    assert schema._fast_validator.cache_info().currsize == 1
    assert schema._fast_validator(PLAYBOOK_SCHEMA) is not None


@settings(max_examples=200)
@given(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(["stages", "activities", "teams", "strategy", "x-mine", "other", *ROOT_ONLY]),
    st.one_of(st.none(), _json),
)
# a root-only key with a value the playbook schema takes: the fragment schema refuses it
@example(FRAGMENTS[0], "gtmplay", 1)
@example(FRAGMENTS[0], "name", "a")
@example(FRAGMENTS[0], "description", "x")
def test_a_fragment_is_valid_exactly_when_the_fragment_schema_says(
    path: Path, key: str, value: Any
) -> None:
    doc = _doc(path)
    if value is None:
        doc.pop(key, None)
    else:
        doc[key] = value
    assert (schema._fast_errors(doc, FRAGMENT_SCHEMA) == []) is _fragment_validator().is_valid(doc)
