"""The scorecard page: what ``gtmplay measure`` found, next to what the playbook declares.

:func:`scorecard` turns a :class:`~gtmplay.measure.figures.Measurement` into
the values ``templates/html/scorecard.html.j2`` lays out: per motion, each
open stage's declared target days and probability beside the measured
durations, conversion and win rate; the monthly trend; the lead funnel with
the counts the KPI conversion targets ask for; each handoff against its SLA;
the KPIs the data could compute; conversion by source, persona, market. Ids
become names here (an id the playbook does not know is shown as written),
and every chart comes with the rows of its table, so a screen reader gets the
same figures as the picture.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from markupsafe import Markup

from gtmplay.measure.wording import factor, period_label
from gtmplay.render import charts
from gtmplay.render.names import safe_name
from gtmplay.render.views import HandoffView, Ref, Site

if TYPE_CHECKING:
    from gtmplay.measure.figures import (
        BackwardMoves,
        Breakdown,
        ClosePeriod,
        ConversionPeriod,
        CycleLength,
        HandoffSla,
        KpiValue,
        Measurement,
        StageConversion,
        StagePeriod,
        StageTime,
        WaterfallPeriod,
    )
    from gtmplay.model import Motion

PAGE = "scorecard"
# how many values of a dimension the breakdown tables list (the most records first)
TOP_VALUES = 12
DIMENSION_LABELS = {
    "source": "Lead source",
    "persona": "Persona",
    "market": "Market",
    "segment": "Segment",
    "owner": "Owner",
}


@dataclass(frozen=True)
class StageRow:
    """One open stage of a motion: declared against measured."""

    stage: Ref
    time: StageTime | None
    conversion: StageConversion | None
    target_days: float | None
    probability: float | None  # declared, 0..1

    @property
    def over_target(self) -> bool:
        """Whether the median stay took longer than the declared target."""
        median = charts.finite(self.time.median_days) if self.time else None
        target = charts.finite(self.target_days)
        return median is not None and target is not None and median > target


@dataclass(frozen=True)
class TrendRow:
    period: str  # "2024-03"
    cells: tuple[StagePeriod | None, ...]  # one per stage of the motion, in order


@dataclass(frozen=True)
class CloseRow:
    """The deals of a motion that closed in one month."""

    period: str  # "2024-03"
    figures: ClosePeriod


@dataclass(frozen=True)
class ConversionRow:
    """The deals that first entered each open stage in one month, and how far they went."""

    period: str
    cells: tuple[ConversionPeriod | None, ...]  # one per open stage of the motion, in order


@dataclass(frozen=True)
class WaterfallRow:
    """The leads that first entered the funnel in one month, and the steps they reached."""

    period: str
    cells: tuple[WaterfallPeriod | None, ...]  # one per funnel step, in order


@dataclass(frozen=True)
class MotionCard:
    """The figures of one sales motion (the only one when the playbook declares none)."""

    id: str  # the anchor on the page
    name: str  # empty for the implicit motion
    stages: tuple[StageRow, ...]
    cycle: CycleLength | None
    backward: BackwardMoves | None
    durations: Markup
    calibration: Markup
    trend: Markup
    trend_rows: tuple[TrendRow, ...]
    # the latest TOP_VALUES months of each per-period figure; `*_more` earlier
    # months are in scorecard.json only. A chart is None when it has no month.
    win_rate: Markup | None = None
    close_rows: tuple[CloseRow, ...] = ()
    close_more: int = 0
    conversion_trend: Markup | None = None
    conversion_rows: tuple[ConversionRow, ...] = ()
    conversion_more: int = 0


@dataclass(frozen=True)
class FunnelRow:
    step: Ref
    time: StageTime | None  # how long leads stayed at the step (the last step has none)
    reached: int
    from_previous: float | None  # share of the previous step's count, 0..1
    kpi: str  # the KPI whose conversion target applies to this step, by name
    target: float | None  # that target, in percent
    expected: float | None  # the count the target asks for


@dataclass(frozen=True)
class HandoffRow:
    handoff: HandoffView | None
    name: str
    figures: HandoffSla
    late: int  # responded, but after the SLA
    unanswered: int


@dataclass(frozen=True)
class KpiPeriodRow:
    period: str  # its label: 2017-12, 2017-Q4
    value: float | None
    sample: int
    complete: bool


@dataclass(frozen=True)
class KpiRow:
    name: str
    figures: KpiValue  # target and value finite numbers or None
    period: str = ""  # the period judged, as a label; "" for a KPI not per period
    factors: tuple[str, ...] = ()  # velocity's and coverage's inputs, in words
    series: tuple[KpiPeriodRow, ...] = ()  # the latest periods, oldest first
    more: int = 0  # earlier periods, in scorecard.json only


@dataclass(frozen=True)
class BreakdownRow:
    value: str
    kind: str
    motion: str
    figures: Breakdown


@dataclass(frozen=True)
class BreakdownTable:
    dimension: str  # its label, "Lead source"
    rows: tuple[BreakdownRow, ...]
    more: int  # values not listed


@dataclass(frozen=True)
class Scorecard:
    measurement: Measurement
    motions: tuple[MotionCard, ...]
    funnel: Markup
    funnel_rows: tuple[FunnelRow, ...]
    step_durations: Markup | None  # days at each funnel step, when the data has them
    handoffs: Markup
    handoff_rows: tuple[HandoffRow, ...]
    kpis: tuple[KpiRow, ...]
    breakdowns: tuple[BreakdownTable, ...]
    several_motions: bool  # whether the page names the motion of each section
    waterfall_rows: tuple[WaterfallRow, ...] = ()  # the latest months of first entry
    waterfall_more: int = 0

    def charts(self) -> dict[str, Markup]:
        """Every chart of the page by its name (unique on the page), in page order."""
        found: dict[str, Markup] = {}
        for card in self.motions:
            for chart in (card.durations, card.calibration, card.trend):
                found[_chart_name(chart)] = chart
            for shown in (card.win_rate, card.conversion_trend):
                if shown is not None:
                    found[_chart_name(shown)] = shown
        for extra in (self.funnel, self.step_durations, self.handoffs):
            if extra is not None:
                found[_chart_name(extra)] = extra
        return found


def _chart_name(chart: Markup) -> str:
    # charts.frame writes the name into the title's id: `<title id="NAME-title">`
    start = chart.index('<title id="') + len('<title id="')
    return chart[start : chart.index('-title"', start)]


def scorecard(site: Site, measurement: Measurement) -> Scorecard:
    """The scorecard of ``measurement`` against the playbook of ``site``."""
    pb = site.playbook
    # a motion without open stages (a lead-only playbook) has nothing to declare or measure
    motions = tuple(
        card for card in (_motion(site, x, measurement) for x in pb.sales_motions) if card.stages
    )
    funnel_rows = _funnel(site, measurement)
    handoff_rows = _handoffs(site, measurement)
    waterfall_rows, waterfall_more = _waterfall_periods(measurement, funnel_rows)
    return Scorecard(
        measurement=measurement,
        motions=motions,
        funnel=charts.funnel(
            [
                charts.FunnelStep(r.step.name, r.reached, r.expected, _target_note(r))
                for r in funnel_rows
            ]
        ),
        funnel_rows=funnel_rows,
        step_durations=_step_durations(funnel_rows),
        handoffs=charts.compliance(
            [
                charts.Compliance(
                    r.name,
                    r.figures.arrivals,
                    r.figures.within_sla,
                    r.late,
                    _sla_words(r),
                    _handoff_note(r.figures),
                )
                for r in handoff_rows
            ]
        ),
        handoff_rows=handoff_rows,
        kpis=_kpis(site, measurement),
        breakdowns=_breakdowns(site, measurement),
        several_motions=bool(pb.motions),
        waterfall_rows=waterfall_rows,
        waterfall_more=waterfall_more,
    )


def _motion(site: Site, motion: Motion, m: Measurement) -> MotionCard:
    times = {t.stage: t for t in m.stage_time if t.motion == motion.id}
    conversions = {c.stage: c for c in m.stage_conversion if c.motion == motion.id}
    rows = []
    for stage_id in motion.stages:
        stage = site.playbook.stage(stage_id)
        if stage is None or stage.closed:
            continue
        rows.append(
            StageRow(
                stage=site.target(stage_id) or Ref(stage_id, stage_id),
                time=times.get(stage_id),
                conversion=conversions.get(stage_id),
                target_days=None if stage.target_days is None else float(stage.target_days),
                probability=stage.probability / 100,
            )
        )
    suffix = f"-{safe_name(motion.id)}" if motion.id else ""
    periods, trend_rows = _trend(m, motion.id, rows)
    series = [
        charts.Series(
            r.stage.name,
            tuple(cell.median_days if cell else None for cell in (t.cells[k] for t in trend_rows)),
            r.target_days,
        )
        for k, r in enumerate(rows)
    ]
    # a stage with no stay in any month gets no panel (its column in the table says so);
    # with no panel at all there is no trend to show
    series = [x for x in series if any(charts.finite(v) is not None for v in x.values)]
    if not series:
        periods, trend_rows = [], ()
    close_rows, close_more = _closes(m, motion.id)
    conversion_rows, conversion_more = _conversions(m, motion.id, rows)
    rates = [
        charts.Series(
            r.stage.name,
            tuple(
                cell.conversion if cell else None for cell in (c.cells[k] for c in conversion_rows)
            ),
        )
        for k, r in enumerate(rows)
    ]
    rates = [x for x in rates if any(charts.finite(v) is not None for v in x.values)]
    return MotionCard(
        id=f"motion{suffix}",
        name="" if motion.implicit else motion.name,
        stages=tuple(rows),
        cycle=next((c for c in m.cycle_length if c.motion == motion.id and c.kind == "deal"), None),
        backward=next(
            (b for b in m.backward_moves if b.motion == motion.id and b.kind == "deal"), None
        ),
        durations=charts.durations([_spread(r) for r in rows], name=f"durations{suffix}"),
        calibration=charts.calibration(
            [
                charts.Calibration(
                    r.stage.name,
                    r.probability,
                    r.conversion.win_rate if r.conversion else None,
                    r.conversion.closed if r.conversion else 0,
                )
                for r in rows
            ],
            name=f"calibration{suffix}",
        ),
        trend=charts.trend(periods, series, name=f"trend{suffix}"),
        trend_rows=trend_rows,
        win_rate=charts.trend(
            [c.period for c in close_rows],
            [charts.Series("Deals won of closed", tuple(c.figures.win_rate for c in close_rows))],
            name=f"win-rate{suffix}",
            unit="won of closed",
            title="Deals won of those closed, per month of close",
            share=True,
        )
        if close_rows
        else None,
        close_rows=close_rows,
        close_more=close_more,
        conversion_trend=charts.trend(
            [c.period for c in conversion_rows],
            rates,
            name=f"conversion-trend{suffix}",
            unit="went further",
            title="Deals that went further from each stage, per month of entry",
            share=True,
        )
        if rates
        else None,
        conversion_rows=conversion_rows,
        conversion_more=conversion_more,
    )


def _spread(row: StageRow | FunnelRow) -> charts.Spread:
    name, t = (row.stage.name, row.time) if isinstance(row, StageRow) else (row.step.name, row.time)
    target = row.target_days if isinstance(row, StageRow) else None  # steps declare none
    if t is None:
        return charts.Spread(name, 0, None, None, None, target)
    note = f"{t.open_past_target:,} open past target" if t.open_past_target else ""
    # the quantiles rest on the stays that ended: their count is the sample
    return charts.Spread(name, t.completed, t.median_days, t.p75_days, t.p90_days, target, note)


def _step_durations(rows: tuple[FunnelRow, ...]) -> Markup | None:
    timed = [r for r in rows if r.time is not None]
    if not timed:
        return None
    return charts.durations(
        [_spread(r) for r in timed], name="step-durations", title="Days at each funnel step"
    )


def _trend(
    m: Measurement, motion: str, rows: list[StageRow]
) -> tuple[list[str], tuple[TrendRow, ...]]:
    """Months with stays in any of ``rows``' stages, oldest first, a cell per stage."""
    cells = {
        (p.period[:7], p.stage): p
        for p in m.stage_periods
        if p.grain == "month" and p.motion == motion
    }
    stages = [r.stage.id for r in rows]
    periods = sorted({period for period, stage in cells if stage in stages})
    trend_rows = tuple(
        TrendRow(period, tuple(cells.get((period, stage)) for stage in stages))
        for period in periods
    )
    return periods, trend_rows


def _latest(periods: set[str]) -> tuple[list[str], int]:
    """The latest TOP_VALUES of ``periods`` (ISO first days), oldest first, and how many
    earlier ones the page leaves to scorecard.json (as the KPI series tables do)."""
    ordered = sorted(periods)
    return ordered[-TOP_VALUES:], max(len(ordered) - TOP_VALUES, 0)


def _closes(m: Measurement, motion: str) -> tuple[tuple[CloseRow, ...], int]:
    """The deals of ``motion`` closed per month, the latest months only."""
    found = {
        c.period: c
        for c in m.close_periods
        if c.grain == "month" and c.motion == motion and c.kind == "deal" and c.closed
    }
    periods, more = _latest(set(found))
    return tuple(CloseRow(period_label("month", p), found[p]) for p in periods), more


def _conversions(
    m: Measurement, motion: str, rows: list[StageRow]
) -> tuple[tuple[ConversionRow, ...], int]:
    """Months in which deals first entered any of ``rows``' stages, a cell per stage."""
    stages = [r.stage.id for r in rows]
    cells = {
        (c.period, c.stage): c
        for c in m.conversion_periods
        if c.grain == "month" and c.motion == motion and c.stage in stages and c.entered
    }
    periods, more = _latest({period for period, _ in cells})
    return tuple(
        ConversionRow(period_label("month", p), tuple(cells.get((p, s)) for s in stages))
        for p in periods
    ), more


def _waterfall_periods(
    m: Measurement, funnel: tuple[FunnelRow, ...]
) -> tuple[tuple[WaterfallRow, ...], int]:
    """Per month of first entry, the leads that reached each step of the funnel table."""
    steps = [r.step.id for r in funnel]
    cells = {
        (w.period, w.step): w for w in m.waterfall_periods if w.grain == "month" and w.step in steps
    }
    # a month whose leads reached no step at all has nothing to show
    periods, more = _latest({p for (p, _), w in cells.items() if w.reached})
    return tuple(
        WaterfallRow(period_label("month", p), tuple(cells.get((p, s)) for s in steps))
        for p in periods
    ), more


def _funnel(site: Site, m: Measurement) -> tuple[FunnelRow, ...]:
    steps = sorted(m.waterfall, key=lambda w: w.position)
    reached = {w.step: w.reached for w in steps}
    times = {t.stage: t for t in m.step_time}
    # a conversion KPI between two steps of the funnel sets the count its `to` step should reach
    targets = {}
    for kpi in site.playbook.kpis:
        if (
            kpi.kind == "conversion"
            and kpi.unit == "percent"
            and kpi.target is not None
            and kpi.from_step in reached
            and kpi.to_step in reached
        ):
            targets[kpi.to_step] = (kpi.name, kpi.target, reached[kpi.from_step] * kpi.target / 100)
    rows = []
    previous: int | None = None
    for w in steps:
        name, target, expected = targets.get(w.step, ("", None, None))
        rows.append(
            FunnelRow(
                step=site.target(w.step) or Ref(w.step, w.step),
                time=times.get(w.step),
                reached=w.reached,
                from_previous=w.reached / previous if previous else None,
                kpi=name,
                target=target,
                expected=expected,
            )
        )
        previous = w.reached
    return tuple(rows)


def _target_note(row: FunnelRow) -> str:
    return f"{row.kpi} {charts.amount(row.target)}%" if row.kpi else ""


def _handoffs(site: Site, m: Measurement) -> tuple[HandoffRow, ...]:
    views = {v.handoff.id: v for v in site.handoffs}
    rows = []
    for h in m.handoff_sla:
        view = views.get(h.handoff)
        late = max(h.responded - h.within_sla, 0)
        rows.append(
            HandoffRow(
                handoff=view,
                name=view.handoff.name if view else h.handoff,
                figures=h,
                late=late,
                unanswered=max(h.arrivals - h.responded, 0),
            )
        )
    return tuple(rows)


def _sla_words(row: HandoffRow) -> str:
    if row.handoff is not None and row.handoff.respond_within is not None:
        return row.handoff.respond_within.words
    hours = charts.finite(row.figures.respond_within_hours)
    return "no SLA" if hours is None else charts.amount(hours, "hours")


def _handoff_note(h: HandoffSla) -> str:
    parts = [f"{h.left_behind:,} left behind"] if h.left_behind else []
    if h.rejected_without_reason:
        parts.append(f"{h.rejected_without_reason:,} rejected without a reason")
    return " \u00b7 ".join(parts)


def _kpis(site: Site, m: Measurement) -> tuple[KpiRow, ...]:
    rows = []
    for k in m.kpis:
        series = [p for p in m.kpi_periods if p.kpi == k.kpi]
        rows.append(
            KpiRow(
                site.kpi_name(k.kpi),
                # the value as the tables show figures: 63.2%, not 63.1501%
                replace(k, target=charts.finite(k.target), value=charts.rounded(k.value)),
                period=period_label(k.grain, k.period) if k.period else "",
                factors=tuple(
                    factor(f.factor, charts.finite(f.value))
                    for f in m.kpi_factors
                    if f.kpi == k.kpi
                ),
                series=tuple(
                    KpiPeriodRow(
                        period_label(k.grain, p.period),
                        charts.rounded(p.value),
                        p.sample,
                        p.complete,
                    )
                    for p in series[-TOP_VALUES:]
                ),
                more=max(len(series) - TOP_VALUES, 0),
            )
        )
    return tuple(rows)


def _breakdowns(site: Site, m: Measurement) -> tuple[BreakdownTable, ...]:
    motions = {x.id: x.name for x in site.playbook.motions}
    tables = []
    for dimension, label in DIMENSION_LABELS.items():
        found = [b for b in m.breakdowns if b.dimension == dimension]
        if not any(b.value for b in found):
            continue  # the data does not record it
        found.sort(key=lambda b: (-b.records, b.kind, b.motion, b.value))
        rows = tuple(
            BreakdownRow(
                value=_value_name(site, dimension, b.value),
                kind="deal" if b.kind == "deal" else "lead",
                motion=motions.get(b.motion, b.motion),
                figures=b,
            )
            for b in found[:TOP_VALUES]
        )
        tables.append(BreakdownTable(label, rows, max(len(found) - TOP_VALUES, 0)))
    return tuple(tables)


def _value_name(site: Site, dimension: str, value: str) -> str:
    if not value:
        return "not recorded"
    if dimension == "persona":
        return site.persona_name(value)
    if dimension == "market":
        return next((x.name for x in site.playbook.markets if x.id == value), value)
    return value
