"""The value of each declared KPI that the measured figures can give.

A KPI is computed from the figures, not from the data again, so it always
agrees with the table it sits beside; the amounts and the per-period counts
are summed by the SQL of :mod:`gtmplay.measure.queries` (``deal_values``,
``open_pipeline``, ``revenue_by_*``, ``volume_by_*``) and only picked and
divided here.

Kinds and what they read:

- ``win-rate``, ``conversion``, ``sales-cycle``, ``time-in-stage``,
  ``response-time``: the stage, cycle, handoff and waterfall figures;
- ``revenue`` (currency): won amount per period of the KPI's ``frequency``,
  by the date of the win; the value judged is the last complete period;
- ``volume`` (count): records reaching the ``to`` (else ``from``) stage or
  step per period, judged on the last complete period;
- ``pipeline``: open amount on the date of the data from the ``from`` stage
  on (currency), or that over the target of the one revenue KPI (ratio);
- ``velocity``: open deals x win rate x average won amount / median cycle
  days (currency per day; in count, deals won per day), each factor kept.

A revenue, volume, pipeline or velocity KPI the data cannot give is kept with
no value and a ``note`` saying what is missing, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from gtmplay.measure import figures as fig
from gtmplay.measure.queries import FREQUENCY_GRAINS
from gtmplay.model import Kpi, Playbook

NOT_COMPUTABLE = "not computable from this data: "
# a KPI that says no frequency is judged month by month
DEFAULT_FREQUENCY = "monthly"


Period = tuple[str, float | None, int, bool]  # first day, value, sample, complete


@dataclass(frozen=True, slots=True)
class _Got:
    """What one KPI computes to: its value, or a note saying why there is none."""

    value: float | None
    sample: int
    period: str | None = None
    grain: str | None = None
    note: str | None = None
    periods: tuple[Period, ...] = ()
    factors: tuple[tuple[str, float | None], ...] = field(default=())


def _missing(
    why: str,
    grain: str | None = None,
    periods: tuple[Period, ...] = (),
) -> _Got:
    return _Got(None, 0, grain=grain, note=NOT_COMPUTABLE + why, periods=periods)


def _no_amount(what: str) -> _Got:
    return _missing(f"no amount column (no {what} has an amount)")


def _round(value: float) -> float:
    return round(value, fig.DIGITS)


def _scaled(kpi: Kpi, ratio: float | None) -> float | None:
    if ratio is None:
        return None
    return round(ratio * 100, fig.DIGITS) if kpi.unit == "percent" else ratio


# --------------------------------------------------------------------------
# kinds read from the stage, cycle, handoff and waterfall figures


def _win_rate(kpi: Kpi, m: fig.Measurement) -> tuple[float | None, int] | None:
    if kpi.from_step is not None:
        rows = [c for c in m.stage_conversion if c.stage == kpi.from_step]
        if len(rows) == 1:
            return _scaled(kpi, rows[0].win_rate), rows[0].closed
    won = sum(b.won for b in m.breakdowns if b.dimension == "source" and b.kind == "deal")
    lost = sum(b.lost for b in m.breakdowns if b.dimension == "source" and b.kind == "deal")
    return _scaled(kpi, won / (won + lost) if won + lost else None), won + lost


def _conversion(kpi: Kpi, m: fig.Measurement) -> tuple[float | None, int] | None:
    reached = {w.step: w.reached for w in m.waterfall}
    if kpi.from_step in reached and kpi.to_step in reached:
        base = reached[kpi.from_step]
        return _scaled(kpi, reached[kpi.to_step] / base if base else None), base
    rows = [c for c in m.stage_conversion if c.stage == kpi.from_step]
    if len(rows) == 1 and kpi.to_step is not None:
        # a stage to a won stage: the win rate from it; to the next stage: its conversion
        return _scaled(kpi, rows[0].win_rate), rows[0].closed
    return None


def _cycle(kpi: Kpi, m: fig.Measurement) -> tuple[float | None, int] | None:
    rows = [c for c in m.cycle_length if c.kind == "deal"]
    if len(rows) != 1 or kpi.unit != "days":
        return None  # medians of several motions do not add up to one
    return rows[0].median_days, rows[0].won


def _time_in_stage(kpi: Kpi, m: fig.Measurement) -> tuple[float | None, int] | None:
    rows = [s for s in m.stage_time if s.stage == kpi.stage]
    if len(rows) != 1 or kpi.unit != "days":
        return None
    return rows[0].median_days, rows[0].completed


def _response(kpi: Kpi, m: fig.Measurement) -> tuple[float | None, int] | None:
    rows = [h for h in m.handoff_sla if h.step in (kpi.to_step, kpi.from_step)]
    if len(rows) != 1 or kpi.unit not in ("hours", "days"):
        return None
    value = rows[0].median_response_hours
    if value is not None and kpi.unit == "days":
        value = round(value / 24, fig.DIGITS)
    return value, rows[0].responded


# --------------------------------------------------------------------------
# periods of a KPI's frequency


def grain_of(kpi: Kpi) -> str:
    """The DATE_TRUNC unit of a KPI's ``frequency`` (monthly when it says none)."""
    return FREQUENCY_GRAINS.get(kpi.frequency, FREQUENCY_GRAINS[DEFAULT_FREQUENCY])


def period_start(grain: str, day: dt.date) -> dt.date:
    """The first day of the period of ``grain`` holding ``day`` (DATE_TRUNC's)."""
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day


def next_period(grain: str, start: dt.date) -> dt.date:
    """The first day of the period after the one starting on ``start``."""
    if grain in ("day", "week"):
        return start + dt.timedelta(days=1 if grain == "day" else 7)
    months = start.month - 1 + (1 if grain == "month" else 3)
    return dt.date(start.year + months // 12, months % 12 + 1, 1)


def _series(
    grain: str, totals: dict[str, tuple[float, int]], first: str, as_of: str | None
) -> _Got:
    """Every period from ``first`` to the one the date of the data falls in.

    A period without records is 0; a period is complete when the data reaches
    its last day. The value judged is the last complete period's.
    """
    end = dt.date.fromisoformat(as_of[:10]) if as_of else dt.date.fromisoformat(first)
    periods: list[Period] = []
    start = dt.date.fromisoformat(first)
    while start <= end:
        after = next_period(grain, start)
        total, sample = totals.get(start.isoformat(), (0.0, 0))
        periods.append((start.isoformat(), _round(total), sample, end >= after - dt.timedelta(1)))
        start = after
    done = [p for p in periods if p[3]]
    if not done:
        return _missing(
            f"no complete {grain} (the data ends on {end.isoformat()})",
            grain=grain,
            periods=tuple(periods),
        )
    period, value, sample, _ = done[-1]
    return _Got(value, sample, period=period, grain=grain, periods=tuple(periods))


# --------------------------------------------------------------------------
# kinds read from the amounts and the per-period counts


@dataclass(frozen=True, slots=True)
class _Context:
    playbook: Playbook
    m: fig.Measurement

    def motions(self, kpi: Kpi) -> set[str]:
        """The motions holding a stage the KPI names; every motion when it names none."""
        named = {kpi.stage, kpi.from_step, kpi.to_step} - {None}
        motions = self.playbook.sales_motions
        return {x.id for x in motions if named & set(x.stages)} or {x.id for x in motions}

    def position(self, motion: str, stage: str) -> int | None:
        for x in self.playbook.sales_motions:
            if x.id == motion and stage in x.stages:
                return x.stages.index(stage) + 1
        return None

    def open_rows(self, kpi: Kpi) -> list[fig.OpenPipeline]:
        """Open deals in the KPI's motions, at or after its ``from`` stage when it names one."""
        motions = self.motions(kpi)
        rows = []
        for p in self.m.open_pipeline:
            if p.motion not in motions:
                continue
            start = self.position(p.motion, kpi.from_step) if kpi.from_step else 1
            if start is not None and p.position >= start:
                rows.append(p)
        return rows


def _revenue(kpi: Kpi, c: _Context) -> _Got:
    if kpi.unit != "currency":
        return _missing(f"a revenue KPI is in currency, not {kpi.unit}")
    motions = c.motions(kpi)
    deals = [d for d in c.m.deal_values if d.motion in motions]
    if not sum(d.won for d in deals):
        return _missing("no won deal")
    if not sum(d.won_with_amount for d in deals):
        return _no_amount("won deal")
    grain = grain_of(kpi)
    totals: dict[str, tuple[float, int]] = {}
    for r in c.m.revenue_periods:
        if r.grain == grain and r.motion in motions:
            amount, sample = totals.get(r.period, (0.0, 0))
            totals[r.period] = (amount + (r.amount or 0.0), sample + r.with_amount)
    if not totals:
        return _missing("no won deal has the date of its win")
    return _series(grain, totals, min(totals), c.m.as_of)


def _volume(kpi: Kpi, c: _Context) -> _Got:
    if kpi.unit != "count":
        return _missing(f"a volume KPI is a count, not {kpi.unit}")
    named = kpi.to_step or kpi.from_step
    if named is None:
        return _missing("the KPI names no stage or step to count (`to`)")
    kind = "deal" if c.playbook.stage(named) is not None else "lead"
    grain = grain_of(kpi)
    rows = [v for v in c.m.volume_periods if v.grain == grain and v.kind == kind]
    counts: dict[str, int] = {}
    for v in rows:
        if v.stage == named:
            counts[v.period] = counts.get(v.period, 0) + v.records
    totals = {period: (float(n), n) for period, n in counts.items()}
    if not totals:
        return _missing(f"no dated record reached {named}")
    # the series starts where the data does, not at the step's first arrival
    return _series(grain, totals, min(v.period for v in rows), c.m.as_of)


def _pipeline(kpi: Kpi, c: _Context) -> _Got:
    if kpi.unit not in ("currency", "ratio"):
        return _missing(f"a pipeline KPI is in currency or a ratio (coverage), not {kpi.unit}")
    if not c.m.deal_values:
        return _missing("no deal")
    rows = c.open_rows(kpi)
    if sum(p.open for p in rows) and not sum(p.with_amount for p in rows):
        return _no_amount("open deal")
    amount = _round(sum(p.amount or 0.0 for p in rows))
    sample = sum(p.with_amount for p in rows)
    if kpi.unit == "currency":
        return _Got(amount, sample)
    revenue = [k for k in c.playbook.kpis if k.kind == "revenue"]
    if len(revenue) != 1:
        return _missing(
            "coverage divides the open pipeline by the target of the playbook's one revenue "
            f"KPI, and it has {len(revenue)}",
        )
    target = revenue[0].target
    if not target:
        return _missing(f'the revenue KPI "{revenue[0].id}" has no target to divide by')
    return _Got(
        _round(amount / target),
        sample,
        factors=(("open_pipeline", amount), ("revenue_target", target)),
    )


def _velocity(kpi: Kpi, c: _Context) -> _Got:
    if kpi.unit not in ("currency", "count"):
        return _missing(f"velocity is currency (or a count of deals) per day, not {kpi.unit}")
    motions = c.motions(kpi)
    deals = [d for d in c.m.deal_values if d.motion in motions and d.deals]
    if not deals:
        return _missing("no deal")
    if len(deals) > 1:
        return _missing(
            "deals in several motions, whose cycles do not add up: name a stage of one "
            "motion in `from`"
        )
    d = deals[0]
    cycles = [x for x in c.m.cycle_length if x.motion == d.motion and x.kind == "deal"]
    cycle = cycles[0].median_days if cycles else None
    if not d.won + d.lost:
        return _missing("no closed deal")
    if cycle is None:
        return _missing("no won deal with a dated cycle")
    if cycle <= 0:
        return _missing("the median sales cycle is 0 days")
    win_rate = _round(d.won / (d.won + d.lost))
    open_deals = sum(p.open for p in c.open_rows(kpi)) if kpi.from_step else d.open
    factors: list[tuple[str, float | None]] = [
        ("open_deals", float(open_deals)),
        ("win_rate", win_rate),
    ]
    value = open_deals * d.won / (d.won + d.lost) / cycle
    if kpi.unit == "currency":
        if not d.won_with_amount:
            return _no_amount("won deal")
        average = (d.won_amount or 0.0) / d.won_with_amount
        factors.append(("average_won_amount", _round(average)))
        value *= average
    factors.append(("median_cycle_days", cycle))
    return _Got(_round(value), d.won + d.lost, factors=tuple(factors))


_FROM_FIGURES: dict[str, Callable[[Kpi, fig.Measurement], tuple[float | None, int] | None]] = {
    "win-rate": _win_rate,
    "conversion": _conversion,
    "sales-cycle": _cycle,
    "time-in-stage": _time_in_stage,
    "response-time": _response,
}
_FROM_AMOUNTS: dict[str, Callable[[Kpi, _Context], _Got]] = {
    "revenue": _revenue,
    "volume": _volume,
    "pipeline": _pipeline,
    "velocity": _velocity,
}
# the kinds computed, in the order docs/measure.md and GTM607 name them
COMPUTED_KINDS: tuple[str, ...] = (*_FROM_FIGURES, *_FROM_AMOUNTS)


def _compute(kpi: Kpi, c: _Context) -> _Got | None:
    if kpi.kind in _FROM_AMOUNTS:
        return _FROM_AMOUNTS[kpi.kind](kpi, c)
    compute = _FROM_FIGURES.get(kpi.kind)
    got = compute(kpi, c.m) if compute else None
    return None if got is None else _Got(*got)


def _met(kpi: Kpi, value: float | None) -> bool | None:
    if value is None or kpi.target is None:
        return None
    return value >= kpi.target if kpi.direction == "higher" else value <= kpi.target


def kpi_values(
    playbook: Playbook, m: fig.Measurement
) -> tuple[tuple[fig.KpiValue, ...], tuple[fig.KpiPeriod, ...], tuple[fig.KpiFactor, ...]]:
    """Each KPI's value, the per-period series of revenue and volume KPIs, and the factors."""
    c = _Context(playbook, m)
    values: list[fig.KpiValue] = []
    periods: list[fig.KpiPeriod] = []
    factors: list[fig.KpiFactor] = []
    for kpi in playbook.kpis:
        got = _compute(kpi, c)
        if got is None:
            continue
        values.append(
            fig.KpiValue(
                kpi=kpi.id,
                kind=kpi.kind,
                unit=kpi.unit,
                direction=kpi.direction,
                target=kpi.target,
                value=got.value,
                sample=got.sample,
                met=_met(kpi, got.value),
                period=got.period,
                grain=got.grain,
                note=got.note,
            )
        )
        periods += (fig.KpiPeriod(kpi.id, *p) for p in got.periods)
        factors += (fig.KpiFactor(kpi.id, *f) for f in got.factors)
    return tuple(values), tuple(periods), tuple(factors)
