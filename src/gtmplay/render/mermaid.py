"""Mermaid diagrams for the Markdown docs (GitHub renders ``mermaid`` code blocks).

Node ids are generated (``s0``, ``s1``, ...) rather than taken from the
playbook, so an id such as ``end`` can never break the chart; every label is
quoted with its special characters written as Mermaid entity codes.
"""

from __future__ import annotations

import itertools

from gtmplay.model import Stage
from gtmplay.render.sanitize import mermaid_label as _q
from gtmplay.render.views import Site, StepView


def _block(lines: list[str]) -> str:
    return "```mermaid\n" + "\n".join(lines) + "\n```"


def waterfall(site: Site) -> str:
    """The demand waterfall as a left-to-right flow; handoffs label the edges.

    The funnel steps form a group; a step off the main line that no rejected
    lead goes to (disqualified, say) is reached from the group, so no node floats.
    """
    steps = site.steps
    if not steps:
        return ""
    node = {v.step.id: f"s{i}" for i, v in enumerate(steps)}
    funnel = [v for v in steps if v.step.kind == "funnel"]
    lines = ["flowchart LR"]

    def declare(v: StepView, indent: str) -> None:
        owner = v.owner.name if v.owner else "no owner"
        shape = ('["', '"]') if v.step.kind == "funnel" else ('(["', '"])')
        lines.append(
            f"{indent}{node[v.step.id]}{shape[0]}{_q(v.step.name)}<br/>{_q(owner)}{shape[1]}"
        )

    if funnel:
        lines.append('    subgraph g_funnel ["Funnel"]')
        lines.append("        direction LR")
        for v in funnel:
            declare(v, "        ")
    for a, b in itertools.pairwise(funnel):
        handoff = next((h for h in b.handoffs), None)
        if handoff is not None:
            label = f"{handoff.source.name} to {handoff.destination.name}"
            if handoff.respond_within:
                label += f", {handoff.respond_within.words}"
            lines.append(f'        {node[a.step.id]} -->|"{_q(label)}"| {node[b.step.id]}')
        else:
            lines.append(f"        {node[a.step.id]} --> {node[b.step.id]}")
    if funnel:
        lines.append("    end")
    for v in steps:
        if v.step.kind != "funnel":
            declare(v, "    ")
    reached = set()
    for v in steps:
        for h in v.handoffs:
            if h.on_reject is not None and h.on_reject.id in node:
                reached.add(h.on_reject.id)
                lines.append(f'    {node[v.step.id]} -.->|"rejected"| {node[h.on_reject.id]}')
    for v in steps:
        if funnel and v.step.kind != "funnel" and v.step.id not in reached:
            lines.append(f'    g_funnel -.->|"{_q(v.step.kind)}"| {node[v.step.id]}')
    return _block(lines)


def process(site: Site) -> str:
    """The sales process: open stages in order; a deal can close won or lost from any.

    The open stages form a group and the outcomes hang off the group, which
    says "from any stage" with one edge per outcome (the chart stays linear
    in the number of stages).
    """
    if not site.stages:
        return ""
    node = {v.stage.id: f"p{i}" for i, v in enumerate(site.stages)}
    lines = ["flowchart LR"]

    def declare(s: Stage, indent: str) -> None:
        days = f", {s.target_days} d" if s.target_days is not None else ""
        shape = ('(["', '"])') if s.closed else ('["', '"]')
        lines.append(
            f"{indent}{node[s.id]}{shape[0]}{_q(s.name)}<br/>{s.probability}%{days}{shape[1]}"
        )

    open_ = [v.stage for v in site.stages if not v.stage.closed]
    closed = [v.stage for v in site.stages if v.stage.closed]
    if open_:
        lines.append('    subgraph g_open ["Open stages"]')
        lines.append("        direction LR")
        for s in open_:
            declare(s, "        ")
        for a, b in itertools.pairwise(open_):
            lines.append(f"        {node[a.id]} --> {node[b.id]}")
        lines.append("    end")
    for c in closed:
        declare(c, "    ")
    if open_:
        for c in closed:
            if c.won:
                lines.append(f"    {node[open_[-1].id]} --> {node[c.id]}")
            else:
                lines.append(f'    g_open -.->|"from any stage"| {node[c.id]}')
    return _block(lines)
