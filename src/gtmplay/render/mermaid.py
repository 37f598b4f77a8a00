"""Mermaid diagrams for the Markdown docs (GitHub renders ``mermaid`` code blocks).

Node ids are generated (``s0``, ``s1``, ...) rather than taken from the
playbook, so an id such as ``end`` can never break the chart; every label is
quoted with its special characters written as Mermaid entity codes.
"""

from __future__ import annotations

import itertools

from gtmplay.render.sanitize import mermaid_label as _q
from gtmplay.render.views import Site


def _block(lines: list[str]) -> str:
    return "```mermaid\n" + "\n".join(lines) + "\n```"


def waterfall(site: Site) -> str:
    """The demand waterfall as a left-to-right flow; handoffs label the edges."""
    steps = site.steps
    if not steps:
        return ""
    node = {v.step.id: f"s{i}" for i, v in enumerate(steps)}
    lines = ["flowchart LR"]
    for v in steps:
        owner = v.owner.name if v.owner else "no owner"
        shape = ('["', '"]') if v.step.kind == "funnel" else ('(["', '"])')
        lines.append(f"    {node[v.step.id]}{shape[0]}{_q(v.step.name)}<br/>{_q(owner)}{shape[1]}")
    funnel = [v for v in steps if v.step.kind == "funnel"]
    for a, b in itertools.pairwise(funnel):
        handoff = next((h for h in b.handoffs), None)
        if handoff is not None:
            label = f"{handoff.source.name} to {handoff.destination.name}"
            if handoff.respond_within:
                label += f", {handoff.respond_within.text}"
            lines.append(f'    {node[a.step.id]} -->|"{_q(label)}"| {node[b.step.id]}')
        else:
            lines.append(f"    {node[a.step.id]} --> {node[b.step.id]}")
    for v in steps:
        for h in v.handoffs:
            if h.on_reject is not None and h.on_reject.id in node:
                lines.append(f'    {node[v.step.id]} -.->|"rejected"| {node[h.on_reject.id]}')
    return _block(lines)


def process(site: Site) -> str:
    """The sales process: open stages in order, each able to close won or lost."""
    if not site.stages:
        return ""
    node = {v.stage.id: f"p{i}" for i, v in enumerate(site.stages)}
    lines = ["flowchart LR"]
    for v in site.stages:
        s = v.stage
        days = f", {s.target_days} d" if s.target_days is not None else ""
        shape = ('(["', '"])') if s.closed else ('["', '"]')
        lines.append(f"    {node[s.id]}{shape[0]}{_q(s.name)}<br/>{s.probability}%{days}{shape[1]}")
    open_ = [v.stage for v in site.stages if not v.stage.closed]
    closed = [v.stage for v in site.stages if v.stage.closed]
    for a, b in itertools.pairwise(open_):
        lines.append(f"    {node[a.id]} --> {node[b.id]}")
    if open_:
        for c in closed:
            arrow = "-->" if c.won else "-.->"
            lines.append(f"    {node[open_[-1].id]} {arrow} {node[c.id]}")
    return _block(lines)
