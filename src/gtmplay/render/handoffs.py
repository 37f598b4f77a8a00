"""Build target ``handoffs``: the handoff definitions, machine-readable and as a contract.

``handoffs/handoffs.json`` and ``handoffs/handoffs.yaml`` hold the same data,
valid against ``schemas/handoffs.schema.json``: who hands what to whom, at
which lifecycle step, the acceptance criteria, the SLA (as written, as an
ISO-8601 duration and in hours), the reject reasons and where an accepted or
rejected lead goes. ``handoffs/handoffs.md`` is the SLA contract both teams
sign off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gtmplay.render import Page, collected
from gtmplay.render.templating import environment
from gtmplay.render.templating import render as render_template
from gtmplay.render.views import Duration, HandoffView, Ref, for_context
from gtmplay.textio import json_text

if TYPE_CHECKING:
    from gtmplay.render import BuildContext

FORMAT = "gtmplay-handoffs"
VERSION = 1
SCHEMA_ID = "https://gtmplay.dev/schemas/handoffs.schema.json"


def _ref(ref: Ref | None) -> dict[str, str] | None:
    return None if ref is None else {"id": ref.id, "name": ref.name}


def _duration(d: Duration | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"text": d.text, "iso8601": d.iso, "hours": d.hours}


def _handoff(h: HandoffView) -> dict[str, Any]:
    sla = None
    if h.handoff.sla is not None:
        sla = {
            "respond_within": _duration(h.respond_within),
            "attempts": h.attempts,
            "window": _duration(h.window),
        }
    return {
        "id": h.handoff.id,
        "name": h.handoff.name,
        "from": _ref(h.source),
        "to": _ref(h.destination),
        "at": _ref(h.at),
        "accept": list(h.handoff.accept),
        "sla": sla,
        "reject_reasons": list(h.handoff.reject_reasons),
        "on_accept": _ref(h.on_accept),
        "on_reject": _ref(h.on_reject),
        "description": h.handoff.description,
    }


def document(ctx: BuildContext) -> dict[str, Any]:
    """The handoff definitions as plain data (what the JSON and YAML files hold)."""
    site = for_context(ctx)
    doc: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "version": VERSION,
        "playbook": ctx.playbook.name,
    }
    if ctx.stamp:
        doc["built"] = ctx.stamp
    doc["handoffs"] = [_handoff(h) for h in site.handoffs]
    return doc


def render(ctx: BuildContext) -> dict[str, bytes]:
    return collected(pages(ctx))


def pages(ctx: BuildContext) -> Iterator[Page]:
    """The three files, each as soon as it is made (see ``gtmplay.render``)."""
    import yaml

    doc = document(ctx)
    yield "handoffs/handoffs.json", json_text(doc).encode("utf-8")
    as_yaml = yaml.safe_dump(
        doc, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    yield "handoffs/handoffs.yaml", as_yaml.encode("utf-8")
    del doc, as_yaml
    site = for_context(ctx)
    env = environment("markdown", ctx.templates)
    contract = render_template(env, "handoffs/handoffs.md.j2", {"site": site, "pb": site.playbook})
    yield "handoffs/handoffs.md", contract.encode("utf-8")
