"""``gtmplay diff`` as text, JSON (``"version": 1``) and Markdown."""

from __future__ import annotations

import json
from typing import Any

from gtmplay.diff import (
    ChangeSet,
    CoverageChange,
    FieldChange,
    ObjectChange,
    Value,
    sla_effect,
)
from gtmplay.model import KINDS
from gtmplay.report.text import clean
from gtmplay.textio import json_text
from gtmplay.textio import markdown_cell as cell

_SIGNS = {"added": "+", "removed": "-", "changed": "~"}
_COVERAGE_MOVES = ("gained", "increased", "reduced", "lost")
_SECTIONS = {kind.key: kind.plural for kind in KINDS}


def show(value: Value, field: str = "") -> str:
    if value is None or value == ():
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(value)
    if field == "probability":
        return f"{value}%"
    return str(value)


def field_text(fc: FieldChange) -> str:
    effect = sla_effect(fc)
    text = f"{fc.field} {show(fc.old, fc.field)} -> {show(fc.new, fc.field)}"
    return f"{text} ({effect})" if effect else text


def _object_text(obj: ObjectChange) -> str:
    head = f"{_SIGNS[obj.change]} {obj.id} {json.dumps(obj.name, ensure_ascii=False)}"
    if obj.change != "changed":
        return f"{head} {obj.change}"
    return f"{head}: {'; '.join(field_text(fc) for fc in obj.fields)}"


def _coverage_text(c: CoverageChange) -> str:
    who = (
        f", persona {c.persona} {json.dumps(c.persona_name, ensure_ascii=False)}"
        if c.persona
        else ""
    )
    what = "activities" if c.persona is None else "activities for the persona"
    name = json.dumps(c.name, ensure_ascii=False)
    return f"{c.status:<9} {c.kind} {c.target} {name}{who}: {c.old} -> {c.new} {what}"


def _sections(cs: ChangeSet) -> list[tuple[str, list[ObjectChange]]]:
    return [
        (title, [o for o in cs.objects if o.kind == kind])
        for kind, title in _SECTIONS.items()
        if any(o.kind == kind for o in cs.objects)
    ]


def render_text(cs: ChangeSet) -> str:
    out = [f"gtmplay diff: {cs.old_label} -> {cs.new_label}"]
    if cs.empty:
        out.append("no changes")
    for title, objects in _sections(cs):
        out += ["", title, *(f"  {_object_text(o)}" for o in objects)]
        if title == "Stages" and cs.stage_order:
            out.append(f"  order: {', '.join(cs.stage_order[0])} -> {', '.join(cs.stage_order[1])}")
    if cs.stage_order and not any(o.kind == "stage" for o in cs.objects):
        out += [
            "",
            "Stages",
            f"  order: {', '.join(cs.stage_order[0])} -> {', '.join(cs.stage_order[1])}",
        ]
    if cs.settings:
        out += ["", "Strategy and scoring", *(f"  ~ {field_text(fc)}" for fc in cs.settings)]
    if cs.coverage:
        out += ["", "Coverage", *(f"  {_coverage_text(c)}" for c in cs.coverage)]
    highlights = [*cs.probability_changes, *cs.sla_changes]
    if highlights:
        out += ["", "Probability and SLA changes"]
        out += [f"  {o.kind} {o.id}: {field_text(fc)}" for o, fc in highlights]
    return "".join(f"{clean(line)}\n" for line in out)


def _json_value(value: Value) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _field_json(fc: FieldChange) -> dict[str, Any]:
    return {"field": fc.field, "old": _json_value(fc.old), "new": _json_value(fc.new)}


def document(cs: ChangeSet) -> dict[str, Any]:
    return {
        "version": 1,
        "old": cs.old_label,
        "new": cs.new_label,
        "changes": [
            {
                "kind": o.kind,
                "id": o.id,
                "name": o.name,
                "change": o.change,
                "fields": [_field_json(fc) for fc in o.fields],
            }
            for o in cs.objects
        ],
        "settings": [_field_json(fc) for fc in cs.settings],
        "stage_order": None
        if cs.stage_order is None
        else {"old": list(cs.stage_order[0]), "new": list(cs.stage_order[1])},
        "probability": [
            {"stage": o.id, "old": _json_value(fc.old), "new": _json_value(fc.new)}
            for o, fc in cs.probability_changes
        ],
        "sla": [
            {"handoff": o.id, **_field_json(fc), "effect": sla_effect(fc) or None}
            for o, fc in cs.sla_changes
        ],
        "coverage": [
            {
                "kind": c.kind,
                "id": c.target,
                "name": c.name,
                "persona": c.persona,
                "status": c.status,
                "old": c.old,
                "new": c.new,
            }
            for c in cs.coverage
        ],
    }


def render_json(cs: ChangeSet) -> str:
    return json_text(document(cs))


def _md_value(value: Value, field: str = "") -> str:
    return cell(show(value, field))


def render_markdown(cs: ChangeSet) -> str:
    out = [f"## Playbook changes: `{cs.old_label}` → `{cs.new_label}`", ""]
    if cs.empty:
        return "\n".join([*out, "No changes."]) + "\n"
    counts = {c: sum(1 for o in cs.objects if o.change == c) for c in _SIGNS}
    moves = {m: sum(1 for c in cs.coverage if c.status == m) for m in _COVERAGE_MOVES}
    weaker = sum(1 for _, fc in cs.sla_changes if sla_effect(fc) == "weaker")
    out.append(
        f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed; "
        f"coverage: {', '.join(f'{n} {m}' for m, n in moves.items())}"
        + (f"; {weaker} SLA promise{'s' if weaker != 1 else ''} weaker." if weaker else ".")
    )
    lost_rows = [c for c in cs.coverage if c.status == "lost"]
    if lost_rows:
        out += ["", "**Coverage lost:**", ""]
        out += [
            f"- {c.kind} **{cell(c.name)}**"
            + (f" for {cell(c.persona_name or '')}" if c.persona else "")
            + f": {c.old} → 0 activities"
            for c in lost_rows
        ]
    for title, objects in _sections(cs):
        out += ["", f"### {title}", "", "| Change | Id | Name | Details |", "|---|---|---|---|"]
        for o in objects:
            details = "<br>".join(
                f"{cell(fc.field)}: {_md_value(fc.old, fc.field)} → {_md_value(fc.new, fc.field)}"
                for fc in o.fields
            )
            out.append(f"| {o.change} | `{o.id}` | {cell(o.name)} | {details} |")
    if cs.stage_order:
        out += ["", f"Stage order: {', '.join(cs.stage_order[0])} → {', '.join(cs.stage_order[1])}"]
    if cs.settings:
        out += ["", "### Strategy and scoring", "", "| Setting | Before | After |", "|---|---|---|"]
        out += [f"| {fc.field} | {_md_value(fc.old)} | {_md_value(fc.new)} |" for fc in cs.settings]
    highlights = [*cs.probability_changes, *cs.sla_changes]
    if highlights:
        out += ["", "### Probability and SLA", "", "| Where | Field | Before | After |"]
        out.append("|---|---|---|---|")
        out += [
            f"| {o.kind} {cell(o.name)} | {cell(fc.field)} | {_md_value(fc.old, fc.field)} "
            f"| {_md_value(fc.new, fc.field)}"
            + (f" (**{sla_effect(fc)}**)" if sla_effect(fc) else "")
            + " |"
            for o, fc in highlights
        ]
    if cs.coverage:
        out += ["", "### Coverage", "", "| Stage or step | Persona | Activities before | After | |"]
        out.append("|---|---|---:|---:|---|")
        for c in cs.coverage:
            persona = cell(c.persona_name or "") if c.persona else "all"
            out.append(f"| {c.kind} {cell(c.name)} | {persona} | {c.old} | {c.new} | {c.status} |")
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
# `gtmplay diff --format` offers these
FORMATS = tuple(RENDERERS)


def render(fmt: str, cs: ChangeSet) -> str:
    return RENDERERS[fmt](cs)
