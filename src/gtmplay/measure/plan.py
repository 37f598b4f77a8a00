"""The reverse waterfall of ``gtmplay plan``: from won deals back to what must enter.

The funnel line and its rates come from :mod:`gtmplay.funnel`; here a target
(won deals per period) walks it backwards into a :class:`Plan` (volumes per
step and stage, days before the close each must enter) and the plan's text,
Markdown and JSON forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gtmplay.funnel import Chain, NodeKind, volumes
from gtmplay.model import Kpi, Playbook

_DIGITS = 6  # JSON rounds to this many decimals, so output is stable across platforms


@dataclass(frozen=True, slots=True)
class Target:
    """Won deals per period, and what they came from."""

    won: float
    source: str
    revenue: float | None = None
    deal_size: float | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One node of the plan."""

    id: str
    name: str
    kind: NodeKind
    needed: float | None  # records entering per period
    rate_to_next: float | None
    rate_source: str
    enter_days_before_close: float | None
    days_known: bool  # False: some node after this one declares no time


@dataclass(frozen=True, slots=True)
class Plan:
    motion: str
    period: str
    rates: str  # declared or measured
    target: Target
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = field(default=())


def make_plan(c: Chain, target: Target, *, period: str, rates: str) -> Plan:
    """Volumes and entry times per node of ``c`` for ``target`` won deals per ``period``."""
    needed = volumes(c, target.won)
    rows = []
    notes = list(c.gaps)
    n = len(c.nodes)
    for i, node in enumerate(c.nodes):
        link = c.links[i] if i < n - 1 else None
        after = c.nodes[i:-1] if node.kind != "won" else ()
        lead = sum(x.days or 0.0 for x in after)
        rows.append(
            Row(
                id=node.id,
                name=node.name,
                kind=node.kind,
                needed=needed[i],
                rate_to_next=link.value if link else None,
                rate_source=link.source if link else "",
                enter_days_before_close=lead if node.kind != "won" else 0.0,
                days_known=all(x.days is not None for x in after),
            )
        )
    first_known = next((i for i, v in enumerate(needed) if v is not None), None)
    if first_known is not None and first_known > 0:
        here = c.nodes[first_known - 1]
        there = c.nodes[first_known]
        notes.append(
            f"declare a conversion from {here.id} to {there.id} (a conversion KPI, or "
            f"--rate {here.id}:{there.id}=PERCENT) to plan the steps before {there.id}"
        )
    skipped = [c.nodes[i].id for i in range(first_known or 0, n) if needed[i] is None]
    if skipped:
        notes.append(
            f"{', '.join(skipped)}: inside a conversion KPI that spans several steps; "
            "declare each step's conversion to plan them one by one"
        )
    return Plan(c.motion, period, rates, target, tuple(rows), tuple(notes))


def target_kpis(playbook: Playbook) -> list[Kpi]:
    """KPIs a plan can start from: revenue (in currency) or a count of won deals."""
    won = {s.id for s in playbook.stages if s.won}
    return [
        k
        for k in playbook.kpis
        if k.target is not None
        and k.target > 0
        and (
            (k.kind == "revenue" and k.unit == "currency")
            or (k.kind == "volume" and k.unit == "count" and (k.to_step or k.stage) in won)
        )
    ]


# -- output ------------------------------------------------------------------


def to_json(plan: Plan) -> dict[str, Any]:
    def num(value: float | None) -> float | None:
        return None if value is None else round(value, _DIGITS)

    return {
        "motion": plan.motion,
        "period": plan.period,
        "rates": plan.rates,
        "target": {
            "won": num(plan.target.won),
            "source": plan.target.source,
            "revenue": num(plan.target.revenue),
            "deal_size": num(plan.target.deal_size),
        },
        "rows": [
            {
                "id": r.id,
                "name": r.name,
                "kind": r.kind,
                "needed": num(r.needed),
                "rate_to_next": num(r.rate_to_next),
                "rate_source": r.rate_source,
                "enter_days_before_close": num(r.enter_days_before_close),
                "days_known": r.days_known,
            }
            for r in plan.rows
        ],
        "notes": list(plan.notes),
    }


def _count(value: float | None) -> str:
    return "?" if value is None else f"{value:,.1f}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def _days(row: Row) -> str:
    if row.enter_days_before_close is None:
        return ""
    text = f"{round(row.enter_days_before_close, 1):g} d"
    return text if row.days_known else f"≥ {text}"


def _headline(plan: Plan) -> str:
    t = plan.target
    what = f"{t.won:,.1f} won deals per {plan.period}"
    if t.revenue is not None and t.deal_size is not None:
        what += f" ({t.revenue:,.0f} at {t.deal_size:,.0f} a deal)"
    motion = f", motion {plan.motion}" if plan.motion else ""
    return f"Plan for {what}, from {t.source}{motion}; {plan.rates} rates"


HEADERS = ("step", "needed", "to next", "rate from", "enter before close")


def _cells(plan: Plan) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            f"{r.name} ({r.id})",
            _count(r.needed),
            _percent(r.rate_to_next),
            r.rate_source,
            _days(r),
        )
        for r in plan.rows
    ]


def render_text(plan: Plan) -> str:
    rows = [HEADERS, *_cells(plan)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    right = {1, 2, 4}
    lines = [_headline(plan), ""]
    for r in rows:
        cells = [
            r[i].rjust(widths[i]) if i in right else r[i].ljust(widths[i])
            for i in range(len(HEADERS))
        ]
        lines.append("  ".join(cells).rstrip())
    lines += [""] + [f"note: {n}" for n in plan.notes] if plan.notes else []
    return "\n".join(lines) + "\n"


def render_markdown(plan: Plan) -> str:
    from gtmplay.textio import markdown_cell

    lines = [f"# {markdown_cell(_headline(plan))}", ""]
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|---|---:|---:|---|---:|")
    for cells in _cells(plan):
        lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    if plan.notes:
        lines.append("")
        lines += [f"- {markdown_cell(n)}" for n in plan.notes]
    return "\n".join(lines) + "\n"
