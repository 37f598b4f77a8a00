"""``gtmplay plan``, as named steps. No click here.

read the playbook -> pick the motion -> resolve the target to won deals per
period -> build the funnel line with its rates (declared, or given) -> walk
it backwards -> render.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from gtmplay.errors import PlaybookHasErrors, UsageError

if TYPE_CHECKING:
    from gtmplay.funnel import Rate
    from gtmplay.measure.plan import Target
    from gtmplay.model import Motion, Playbook

FORMATS: tuple[str, ...] = ("text", "json", "markdown")
_RATE = re.compile(r"^\s*([^:=\s]+)\s*:\s*([^:=\s]+)\s*=\s*([0-9]+(?:\.[0-9]+)?)\s*%?\s*$")


@dataclass(frozen=True)
class PlanOptions:
    path: str
    target: str | None = None  # a number of won deals, or a KPI id
    revenue: float | None = None
    deal_size: float | None = None
    period: str = "month"
    motion: str | None = None
    rates: tuple[str, ...] = ()  # FROM:TO=PERCENT
    source: str = "declared"  # or measured: rates and days from DATA
    data: tuple[str, ...] = ()
    encoding: str | None = None
    format: str = "text"
    output: str | None = None


def run_plan(opts: PlanOptions) -> str:
    """The plan as text in ``opts.format``; written to ``opts.output`` when given."""
    from gtmplay import funnel
    from gtmplay.measure import plan as p
    from gtmplay.textio import deliver, json_text

    playbook = _playbook(opts.path)
    motion = funnel.motion_of(playbook, opts.motion)
    if motion is None:
        known = ", ".join(m.id for m in playbook.sales_motions)
        raise UsageError(
            problem=f"--motion {opts.motion}: the playbook declares no such motion",
            fix=f"Use one of: {known}",
        )
    target = resolve_target(playbook, opts)
    overrides: dict[tuple[str, str], funnel.Rate] = {}
    days: dict[str, float] = {}
    if opts.source == "measured":
        overrides, days = measured_rates(opts, playbook, motion)
    elif opts.data:
        raise UsageError(
            problem="DATA is read only with --rates measured",
            fix="Add --rates measured to plan with the rates measured in DATA",
        )
    overrides.update(parse_rates(opts.rates))
    line = funnel.chain(playbook, motion, overrides=overrides, days=days)
    rates = opts.source + (" and given" if opts.rates else "")
    result = p.make_plan(line, target, period=opts.period, rates=rates)
    if opts.format == "json":
        text = json_text(p.to_json(result))
    elif opts.format == "markdown":
        text = p.render_markdown(result)
    else:
        text = p.render_text(result)
    return deliver(text, opts.output)


def _playbook(path: str) -> Playbook:
    from gtmplay.findings import Level
    from gtmplay.pipeline import check_path

    result = check_path(path, rules=False)
    first = next((f for f in result.findings if f.level is Level.ERROR), None)
    if result.playbook is None or first is not None:
        raise PlaybookHasErrors(label=path, first=first.text() if first else None)
    return result.playbook


def measured_rates(
    opts: PlanOptions, playbook: Playbook, motion: Motion
) -> tuple[dict[tuple[str, str], Rate], dict[str, float]]:
    """Rates and median days in stage measured in ``opts.data`` by ``gtmplay measure``.

    A stage's rate to the next is the share of the deals that entered it and went
    further (``advanced`` of ``entered``); a step's, the share of the leads that
    reached it and reached the next step. Where the data holds no record of a
    stage or step, the declared rate and days stay.
    """
    from gtmplay.funnel import Rate, chain
    from gtmplay.services.measure import measure_path

    if not opts.data:
        raise UsageError(
            problem="--rates measured needs the CRM data to measure",
            fix="Name the data files after the playbook, as for gtmplay measure",
        )
    _, measured = measure_path(opts.path, opts.data, encoding=opts.encoding)
    if measured is None:  # pragma: no cover - the playbook was checked before
        raise PlaybookHasErrors(label=opts.path)
    line = chain(playbook, motion)
    conversions = {r.stage: r for r in measured.stage_conversion if r.motion == motion.id}
    overrides: dict[tuple[str, str], Rate] = {}
    for here, nxt in pairwise(line.nodes):
        row = conversions.get(here.id)
        if here.kind == "stage" and row and row.entered and row.conversion is not None:
            source = f"measured: {row.advanced:,} of {row.entered:,}"
            overrides[(here.id, nxt.id)] = Rate(here.id, nxt.id, row.conversion, source)
    steps = [w for w in measured.waterfall if w.reached]
    for step, after in pairwise(steps):
        if step.next_step == after.step and step.conversion is not None:
            source = f"measured: {after.reached:,} of {step.reached:,}"
            overrides[(step.step, after.step)] = Rate(
                step.step, after.step, step.conversion, source
            )
    days = {
        t.stage: t.median_days
        for t in measured.stage_time
        if t.motion == motion.id and t.median_days is not None
    }
    return overrides, days


def parse_rates(specs: tuple[str, ...]) -> dict[tuple[str, str], Rate]:
    """``FROM:TO=PERCENT`` options as rates keyed by ``(from, to)``."""
    from gtmplay.funnel import Rate

    out: dict[tuple[str, str], Rate] = {}
    for spec in specs:
        m = _RATE.match(spec)
        if m is None or not 0 < float(m.group(3)) <= 100:
            raise UsageError(
                problem=f"--rate {spec!r} is not FROM:TO=PERCENT",
                fix="Write for example --rate sql:opportunity=80 (a percent above 0, at most 100)",
            )
        start, end, percent = m.group(1), m.group(2), float(m.group(3))
        out[(start, end)] = Rate(start, end, percent / 100, f"--rate {start}:{end}={percent:g}")
    return out


def resolve_target(playbook: Playbook, opts: PlanOptions) -> Target:
    """Won deals per period from ``--target``, ``--revenue`` or the playbook's KPIs."""
    from gtmplay.funnel import kpi_per_period
    from gtmplay.measure.plan import Target, target_kpis

    if opts.revenue is not None:
        if opts.target is not None:
            raise UsageError(problem="give --target or --revenue, not both")
        return _from_revenue(opts.revenue, opts.deal_size, "--revenue")
    if opts.target is not None:
        number = _number(opts.target)
        if number is not None:
            if number <= 0:
                raise UsageError(problem=f"--target {opts.target}: the target must be above 0")
            return Target(won=number, source="--target")
        kpi = next((k for k in playbook.kpis if k.id == opts.target), None)
        if kpi is None or kpi not in target_kpis(playbook):
            usable = ", ".join(k.id for k in target_kpis(playbook)) or "none in this playbook"
            raise UsageError(
                problem=f"--target {opts.target}: not a number of won deals nor a KPI to plan from",
                fix="Give a number, or a revenue KPI (unit currency) or a volume KPI counting "
                f"won deals; usable KPIs: {usable}",
            )
    else:
        kpis = target_kpis(playbook)
        if not kpis:
            raise UsageError(
                problem="the playbook has no revenue KPI nor a KPI counting won deals to plan from",
                fix="Give --target N (won deals per period) or --revenue AMOUNT --deal-size AMOUNT",
            )
        kpi = kpis[0]
    per_period = kpi_per_period(kpi, opts.period)
    source = f'KPI "{kpi.name}"'
    if kpi.kind == "revenue":
        return _from_revenue(per_period, opts.deal_size, source)
    return Target(won=per_period, source=source)


def _from_revenue(revenue: float, deal_size: float | None, source: str) -> Target:
    from gtmplay.measure.plan import Target

    if deal_size is None or deal_size <= 0:
        raise UsageError(
            problem=f"the target from {source} is revenue: the plan needs the average deal size",
            fix="Give --deal-size AMOUNT (the average amount of a won deal)",
        )
    return Target(won=revenue / deal_size, source=source, revenue=revenue, deal_size=deal_size)


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None
