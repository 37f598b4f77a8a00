"""Salesforce metadata as comparable components, read independently of the importer.

Each component (value set, business process, record type, Path) becomes a
plain value keyed by (kind, object, name): the fields Salesforce gives it,
booleans and whitespace normalised, Path guidance compared by HTML meaning.
Element order inside a component's XML, indentation and the XML declaration
do not matter; the order of values and steps does.

The one thing left out is named here (EXCEPTIONS) and in docs/crm.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gtmplay.crm.salesforce.guidance import canonical
from gtmplay.crm.salesforce.xmlio import Element, parse

# What the comparison leaves out, and why (the README names it too).
EXCEPTIONS = {
    "RecordType.picklistValues": (
        "the values a record type allows for other picklists (industry, lead source, ...) "
        "are not part of a sales or lead process; the import reports how many it leaves out"
    ),
}
OBJECTS = ("Opportunity", "Lead")
VALUE_SETS = ("OpportunityStage", "LeadStatus")


def _text(e: Element | None) -> str | None:
    return None if e is None else e.text


def _flag(e: Element, tag: str) -> str | None:
    value = e.get(tag)
    return None if value is None else value.strip().lower()


def _value(v: Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in v.children:
        text = (
            child.text.strip()
            if child.tag not in ("fullName", "label", "description")
            else child.text
        )
        out[child.tag] = text
    return out


def _set_name(path: Path, root: Element) -> str:
    stem = path.name.split(".", 1)[0]
    if stem in VALUE_SETS:
        return stem
    full = root.get("fullName")
    if full:
        return full.strip()
    tags = {c.tag for v in root.all("standardValue") for c in v.children}
    return "LeadStatus" if "converted" in tags else "OpportunityStage"


def _object(path: Path) -> str:
    parts = path.parts
    if "objects" in parts[:-1]:
        i = len(parts) - 1 - parts[::-1].index("objects")
        return parts[i + 1].split(".", 1)[0]
    return ""


def _process(root: Element) -> dict[str, Any]:
    return {
        "description": root.get("description"),
        "isActive": _flag(root, "isActive"),
        "values": [(v.get("fullName"), _flag(v, "default")) for v in root.all("values")],
    }


def _record_type(root: Element) -> dict[str, Any]:
    return {
        "active": _flag(root, "active"),
        "businessProcess": root.get("businessProcess"),
        "compactLayoutAssignment": root.get("compactLayoutAssignment"),
        "description": root.get("description"),
        "label": root.get("label"),
    }


def _path(root: Element) -> dict[str, Any]:
    return {
        "active": _flag(root, "active"),
        "entityName": root.get("entityName"),
        "fieldName": root.get("fieldName"),
        "masterLabel": root.get("masterLabel"),
        "recordTypeName": root.get("recordTypeName"),
        "steps": [
            (
                s.get("picklistValueName"),
                [f.text for f in s.all("fieldNames")],
                canonical(s.get("info") or ""),
            )
            for s in s_all(root)
        ],
    }


def s_all(root: Element) -> list[Element]:
    return root.all("pathAssistantSteps")


def _name(path: Path, root: Element) -> str:
    full = root.get("fullName")
    if full and "." in full and full.split(".", 1)[0] in OBJECTS:
        return full.split(".", 1)[1]
    return full or path.name.split(".", 1)[0]


def components(folder: Path) -> dict[tuple[str, str, str], Any]:
    """Every Opportunity / Lead component under ``folder``."""
    out: dict[tuple[str, str, str], Any] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix in (".json", ".md"):
            continue
        if path.suffix == ".object" and path.stem not in OBJECTS:
            continue
        root = parse(path.read_bytes(), str(path))
        obj = _object(path)
        if root.tag == "StandardValueSet":
            name = _set_name(path, root)
            if name in VALUE_SETS:
                values = [_value(v) for v in root.all("standardValue")]
                out[("StandardValueSet", "", name)] = {
                    "sorted": _flag(root, "sorted"),
                    "values": values,
                }
        elif root.tag == "CustomObject" and obj in OBJECTS:
            for p in root.all("businessProcesses"):
                out[("BusinessProcess", obj, p.get("fullName") or "")] = _process(p)
            for r in root.all("recordTypes"):
                out[("RecordType", obj, r.get("fullName") or "")] = _record_type(r)
        elif root.tag == "BusinessProcess" and obj in OBJECTS:
            out[("BusinessProcess", obj, _name(path, root))] = _process(root)
        elif root.tag == "RecordType" and obj in OBJECTS:
            out[("RecordType", obj, _name(path, root))] = _record_type(root)
        elif root.tag == "PathAssistant" and root.get("entityName") in OBJECTS:
            out[("PathAssistant", root.get("entityName") or "", _name(path, root))] = _path(root)
    return out


def differences(before: dict[Any, Any], after: dict[Any, Any]) -> list[str]:
    """What differs, one line per component (empty when identical)."""
    lines = []
    for key in sorted(set(before) | set(after)):
        if key not in after:
            lines.append(f"{key}: missing after the round trip")
        elif key not in before:
            lines.append(f"{key}: new after the round trip")
        elif before[key] != after[key]:
            lines.append(f"{key}: {before[key]!r}\n    != {after[key]!r}")
    return lines
