"""The JSON Schemas as shipped, and the defaults they declare.

The schema is the one place a default is written (``outcome: open``,
``kind: funnel``): the model reads it here, so the documentation generated
from the schema and the behaviour cannot disagree. This module imports
nothing of gtmplay, so the model below the validator can use it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).parent / "_data" / "schemas"
PLAYBOOK_SCHEMA = "playbook.schema.json"
FRAGMENT_SCHEMA = "playbook-fragment.schema.json"
# The keys only the root file may hold. The fragment schema is the playbook
# schema without them and without its ``required`` (scripts/gen_fragment_schema.py
# makes it so), which lets schema.py validate a fragment with the playbook's validator.
ROOT_ONLY = ("gtmplay", "name", "description")


def schema_text(name: str = PLAYBOOK_SCHEMA) -> str:
    """The schema as shipped, byte for byte (``gtmplay schema`` prints it)."""
    return (SCHEMA_DIR / name).read_text(encoding="utf-8")


@cache
def load_schema(name: str = PLAYBOOK_SCHEMA) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(schema_text(name))
    return result


def default(definition: str, field: str) -> Any:
    """The ``default`` the schema declares for ``field`` of ``$defs/definition``."""
    return _defaults()[definition, field]


@cache
def _defaults() -> dict[tuple[str, str], Any]:
    """Every default of the schema's definitions, read once. A check needs a few
    of them; keeping them, not the whole schema as Python values, saves the
    0.7 MB that dict takes (the validator compiles the schema from its text)."""
    definitions: dict[str, Any] = json.loads(schema_text())["$defs"]
    return {
        (name, field): spec["default"]
        for name, definition in definitions.items()
        for field, spec in (definition.get("properties") or {}).items()
        if isinstance(spec, dict) and "default" in spec
    }
