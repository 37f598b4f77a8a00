"""JSON Schema validation, with every error mapped to file:line:column.

Validation runs in two gears. ``jsonschema-rs`` (Rust; it compiles the schema
in milliseconds, so nothing is cached) answers "valid or not"; most playbooks
are valid, so that is all the work done. Only for an invalid file does
``jsonschema`` (imported then, not at start-up) walk it again to list
every error with its path, which this module turns into findings that a
RevOps person can act on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from gtmplay.didyoumean import suggest
from gtmplay.findings import Finding, at
from gtmplay.paths import semantic_path
from gtmplay.ruleids import (
    SCHEMA_REQUIRED,
    SCHEMA_TYPE,
    SCHEMA_UNKNOWN_FIELD,
    SCHEMA_VALUE,
    YAML_AMBIGUOUS_VALUE,
)
from gtmplay.schemafiles import (
    FRAGMENT_SCHEMA,
    PLAYBOOK_SCHEMA,
    ROOT_ONLY,
    load_schema,
    schema_text,
)
from gtmplay.sourcemap import SourceMap

_TYPE_NAMES = {
    "object": "a mapping of keys to values",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}
_PATTERN_MEANINGS = {
    "^[a-z0-9][a-z0-9_-]*$": (
        "is not a valid id",
        "use lowercase letters, digits, '-' and '_', starting with a letter or digit",
    ),
    "^([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?$": (
        "is not a duration",
        "write it like 30m, 4h, 2d, 1d12h or 1w",
    ),
}


@cache
def _fast_validator(name: str) -> Any:
    """jsonschema-rs's validator of the schema ``name`` (compiled in a few ms)."""
    import jsonschema_rs

    # from the text: the schema as Python values is only needed to list errors
    return jsonschema_rs.validator_for(schema_text(name))


# The root-only keys a fragment is given to be validated as a playbook, with
# values the playbook schema takes (tests/test_schema.py checks they are valid).
_STAND_IN = {"gtmplay": 1, "name": "fragment"}


def _fast_errors(doc: Any, name: str) -> list[Any]:
    """jsonschema-rs's errors of ``doc``: none when it is valid."""
    # The fragment schema is the playbook schema less the root-only keys, so
    # a fragment without them is valid when it is, given stand-ins for the
    # required ones, as a playbook: one compiled validator (0.9 MiB less
    # resident); the fragment's own is compiled only for an invalid file.
    as_playbook = (
        name == FRAGMENT_SCHEMA and type(doc) is dict and not any(k in doc for k in ROOT_ONLY)
    )
    try:
        if as_playbook and _fast_validator(PLAYBOOK_SCHEMA).is_valid({**_STAND_IN, **doc}):
            return []
        validator = _fast_validator(name)
        return [] if validator.is_valid(doc) else list(validator.iter_errors(doc))
    except ValueError:  # a value that is not JSON: let jsonschema judge it alone
        return [None]


def validate(doc: Any, smap: SourceMap, *, root: bool) -> list[Finding]:
    """Findings for everything in ``doc`` that the schema does not allow."""
    name = PLAYBOOK_SCHEMA if root else FRAGMENT_SCHEMA
    fast = _fast_errors(doc, name)
    if not fast:
        return []
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema(name))
    findings = [_finding(err, doc, smap) for err in _leaves(validator.iter_errors(doc))]
    if not findings and fast[0] is not None:
        # The two validators differ on a few corners of regular expressions
        # (Python's ``$`` also matches before a final newline): the stricter,
        # ECMA-like answer of jsonschema-rs stands.
        findings = [_fast_finding(fast[0], doc, smap)]
    return sorted(set(findings))


def _fast_finding(error: Any, doc: Any, smap: SourceMap) -> Finding:
    path = tuple(error.instance_path)
    keyword = error.schema_path[-1] if error.schema_path else "schema"
    field = f"'{path[-1]}'" if path and isinstance(path[-1], str) else "this value"
    pattern = getattr(error.kind, "pattern", "")
    meaning = _PATTERN_MEANINGS.get(pattern) if keyword == "pattern" else None
    message = f"{field} is not allowed here ({keyword} {pattern or error.message})"
    hint = ""
    if meaning:
        message, hint = f"{_show(error.instance)} {meaning[0]}", meaning[1]
    return at(
        smap.locate(doc, path),
        SCHEMA_VALUE,
        message,
        path=semantic_path(doc, path),
        hint=hint,
    )


def _leaves(errors: Iterator[Any]) -> Iterator[Any]:
    for error in errors:
        if error.context:
            yield from _leaves(iter(error.context))
        else:
            yield error


def _finding(error: Any, doc: Any, smap: SourceMap) -> Finding:
    path = tuple(error.absolute_path)
    keyword = error.validator
    instance = error.instance
    schema = error.schema
    where = smap.locate(doc, path)
    spath = semantic_path(doc, path)
    field = f"'{path[-1]}'" if path and isinstance(path[-1], str) else "this value"
    hint = ""
    rule = SCHEMA_VALUE

    if keyword == "required":
        rule = SCHEMA_REQUIRED
        missing = [k for k in schema.get("required", ()) if k not in instance]
        message = f"missing required field '{missing[0] if missing else '?'}'"
        if path:
            message += f" in {spath}"
    elif keyword == "additionalProperties":
        rule = SCHEMA_UNKNOWN_FIELD
        known = list(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        extra = sorted(
            k for k in instance if k not in known and not any(re.search(p, k) for p in patterns)
        )
        key = extra[0] if extra else "?"
        where = smap.locate(doc, (*path, key), key=True)
        spath = semantic_path(doc, (*path, key))
        message = f"unknown field '{key}'" + (f" in {semantic_path(doc, path)}" if path else "")
        hint = suggest(key, known)
        if not hint and known:
            hint = f"allowed here: {', '.join(known)}" if len(known) <= 12 else "see docs/format.md"
    elif keyword == "type":
        rule = SCHEMA_TYPE
        expected = schema.get("type")
        names = [expected] if isinstance(expected, str) else list(expected or [])
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        surprise = smap.ambiguity(doc, path)
        if surprise is not None and "string" in names:
            rule = YAML_AMBIGUOUS_VALUE
            message = f"YAML 1.1 reads {surprise[0]} as {surprise[1]}, but {field} must be text"
            hint = f'quote it: "{surprise[0]}"'
        else:
            message = f"{field} must be {wanted}, not {_describe(instance)}"
    elif keyword == "enum":
        allowed = [str(v) for v in schema.get("enum", ())]
        message = f"{field} cannot be {_show(instance)}: use one of {', '.join(allowed)}"
        if isinstance(instance, str):
            hint = suggest(instance, allowed)
        surprise = smap.ambiguity(doc, path)
        if surprise is not None:
            hint = f'quote it: "{surprise[0]}" (YAML 1.1 reads it as {surprise[1]})'
    elif keyword == "const":
        message = f"{field} must be {_show(schema.get('const'))}, not {_show(instance)}"
        if path == ("gtmplay",):
            message = f"this gtmplay reads format version 1, not {_show(instance)}"
            hint = "set gtmplay: 1, or upgrade gtmplay"
    elif keyword == "pattern":
        meaning = _PATTERN_MEANINGS.get(schema.get("pattern", ""))
        if meaning:
            message = f"{_show(instance)} {meaning[0]}"
            hint = meaning[1]
        else:
            message = f"{_show(instance)} does not match the pattern {schema.get('pattern')}"
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = schema.get(keyword)
        word = "at least" if "inimum" in keyword else "at most"
        message = f"{field} must be {word} {bound}, not {_show(instance)}"
    elif keyword == "minLength":
        message = f"{field} must not be empty"
    elif keyword == "maxLength":
        message = f"{field} is longer than {schema.get('maxLength')} characters"
    elif keyword == "minItems":
        message = f"{field} needs at least {schema.get('minItems')} item(s)"
    elif keyword == "uniqueItems":
        message = f"{field} lists the same item twice"
    else:
        message = str(error.message)
    return at(where, rule, message, path=spath, hint=hint)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {_show(value)}"
    if isinstance(value, str):
        return f"the text {_show(value)}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _show(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**20:
        return f"a number of {len(str(abs(value)))} digits"  # at most 1,000: the loader's bound
    return json.dumps(value, ensure_ascii=False)
