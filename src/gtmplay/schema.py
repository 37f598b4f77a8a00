"""JSON Schema validation, with every error mapped to file:line:column.

Validation runs in two gears. ``fastjsonschema`` compiles the schema to Python
code and answers "valid or not" about twenty times faster than ``jsonschema``;
most playbooks are valid, so that is all the work done. Only for an invalid
file does ``jsonschema`` (imported then, not at start-up) walk it again to list
every error with its path, which this module turns into findings that a
RevOps person can act on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
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
from gtmplay.schemafiles import FRAGMENT_SCHEMA, PLAYBOOK_SCHEMA, load_schema, schema_text
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
def _fast_validator(name: str) -> Callable[[Any], Any]:
    """The compiled validator, from the code cache when possible.

    fastjsonschema turns the schema into ~600 kB of Python whose compilation
    costs more than checking a typical playbook, so the compiled code object
    is kept (marshalled) in the user's cache folder, keyed by everything it
    depends on. Any problem with the cache just means compiling again.
    """
    import hashlib
    import marshal
    import sys
    import types

    import fastjsonschema

    text = schema_text(name)
    key = hashlib.sha256(f"{text}\0{fastjsonschema.VERSION}\0{sys.version}".encode()).hexdigest()[
        :24
    ]
    cached = _cache_dir() / f"{name}.{key}.marshal"
    code = None
    try:
        code = marshal.loads(cached.read_bytes())
        if not isinstance(code, types.CodeType):
            raise TypeError("not a code object")
    except (OSError, ValueError, EOFError, TypeError):
        # fastjsonschema knows drafts 4 to 7; the schema keeps to keywords that
        # mean the same there (tests/test_schema.py holds it to that).
        schema = dict(load_schema(name))
        schema["$schema"] = "http://json-schema.org/draft-07/schema#"
        source = fastjsonschema.compile_to_code(schema, use_default=False)
        # the entry point is the first function, named after the schema's $id
        entry = source.split("\ndef ", 1)[1].split("(", 1)[0]
        source += f"\nvalidate = {entry}\n"
        code = compile(source, f"<validator {name}>", "exec")
        _store(cached, marshal.dumps(code))
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    validator: Callable[[Any], Any] = namespace["validate"]
    return validator


def _cache_dir() -> Path:
    from gtmplay.cachedir import user_cache_dir

    return user_cache_dir()


def _store(path: Path, data: bytes) -> None:
    import contextlib

    from gtmplay.errors import OutputError
    from gtmplay.textio import write_atomic

    with contextlib.suppress(OutputError):  # a read-only home just means no cache
        write_atomic(path, data)


def _fast_error(doc: Any, name: str) -> Any:
    """fastjsonschema's first error, or None when ``doc`` is valid."""
    import fastjsonschema

    try:
        _fast_validator(name)(doc)
    except fastjsonschema.JsonSchemaValueException as exc:
        return exc
    return None


def validate(doc: Any, smap: SourceMap, *, root: bool) -> list[Finding]:
    """Findings for everything in ``doc`` that the schema does not allow."""
    name = PLAYBOOK_SCHEMA if root else FRAGMENT_SCHEMA
    fast = _fast_error(doc, name)
    if fast is None:
        return []
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema(name))
    findings = [_finding(err, doc, smap) for err in _leaves(validator.iter_errors(doc))]
    if not findings:
        # The two validators differ on a few corners of regular expressions
        # (Python's ``$`` also matches before a final newline): the stricter,
        # ECMA-like answer of fastjsonschema stands.
        findings = [_fast_finding(fast, doc, smap)]
    return sorted(set(findings))


def _fast_finding(exc: Any, doc: Any, smap: SourceMap) -> Finding:
    path: list[str | int] = []
    node = doc
    for step in list(exc.path)[1:]:  # the first step is fastjsonschema's "data"
        key: str | int = int(step) if isinstance(node, list) and str(step).isdigit() else step
        path.append(key)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    field = f"'{path[-1]}'" if path and isinstance(path[-1], str) else "this value"
    meaning = _PATTERN_MEANINGS.get(str(exc.rule_definition)) if exc.rule == "pattern" else None
    message = f"{field} is not allowed here ({exc.rule} {exc.rule_definition})"
    hint = ""
    if meaning:
        message, hint = f"{_show(node)} {meaning[0]}", meaning[1]
    return at(
        smap.locate(doc, tuple(path)),
        SCHEMA_VALUE,
        message,
        path=semantic_path(doc, tuple(path)),
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
