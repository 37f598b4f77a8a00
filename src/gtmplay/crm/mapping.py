"""What the typed settings of every CRM share: the schema's defaults and raw readers.

A playbook's ``crm:`` section is optional: it holds only what a CRM needs
beyond the playbook (process, pipeline and path names, API version, field API
names) and the per-value details an import must keep for an exact round trip.
Each CRM package (``salesforce``, ``hubspot``, ``pipedrive``) reads its part
into frozen dataclasses with ``from_raw`` and writes it back with ``to_raw``;
the defaults are the schema's ``default`` values (read with
:func:`gtmplay.schemafiles.default`, never written again here), so the schema,
the docs generated from it and the code cannot disagree. The schema has
already checked types, so these readers only fill defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gtmplay.model import Playbook


def section(playbook: Playbook, name: str) -> Mapping[str, Any]:
    """``crm.<name>`` of the playbook, or an empty mapping."""
    value = playbook.crm.get(name)
    return value if isinstance(value, Mapping) else {}


def overrides(raw: Mapping[str, Any], key: str) -> dict[str, Mapping[str, Any]]:
    value = raw.get(key)
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, Mapping)}


def opt_str(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) else None


def opt_bool(raw: Mapping[str, Any], key: str) -> bool | None:
    value = raw.get(key)
    return value if isinstance(value, bool) else None


def opt_int(raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def put(out: dict[str, Any], key: str, value: Any, skip: Any = None) -> None:
    """Set ``out[key]`` unless ``value`` is ``None`` or ``skip`` (the default a
    reader fills in): ``to_raw`` writes only what a playbook must say."""
    if value is not None and value != skip:
        out[key] = value
