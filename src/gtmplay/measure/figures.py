"""Every figure ``gtmplay measure`` computes, as typed frozen dataclasses.

The engine fills them from the rows of :mod:`gtmplay.measure.queries` (each
result query's columns are the fields of one class here, in the same order);
the rules, the terminal table, the JSON output and the HTML scorecard read
only these classes. Nothing here imports DuckDB, so a renderer can read a
:class:`Measurement` (or its JSON, via :func:`from_json`) without the engine.

Days and hours are floats, ratios are 0..1 (``None`` when nothing was counted:
no data is not 0 %), declared probabilities are 0..1 as well so the two sides
of a comparison share a unit. ``motion`` is ``''`` for a playbook that
declares no motions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypeVar

# the JSON form's version: bump when a field changes meaning or disappears
SCHEMA_VERSION = 1
# floats in figures and JSON are rounded so that the output is byte-identical
# across platforms whose last bits of an interpolation differ
DIGITS = 6


@dataclass(frozen=True, slots=True)
class StageTime:
    """Time in one open stage (query ``stage_time``), or at a lifecycle step (``step_time``)."""

    motion: str
    stage: str
    stays: int
    completed: int
    median_days: float | None
    p75_days: float | None
    p90_days: float | None
    target_days: float | None
    open: int
    open_past_target: int
    completed_past_target: int


@dataclass(frozen=True, slots=True)
class StageConversion:
    """Conversion from one open stage and its calibration (``stage_conversion``)."""

    motion: str
    stage: str
    entered: int
    advanced: int
    conversion: float | None
    won: int
    closed: int
    win_rate: float | None
    declared_probability: float | None


@dataclass(frozen=True, slots=True)
class CycleLength:
    """Days from first entry to the win, per motion and kind (``cycle_length``)."""

    motion: str
    kind: str
    won: int
    median_days: float | None
    p75_days: float | None
    p90_days: float | None


@dataclass(frozen=True, slots=True)
class BackwardMoves:
    """Moves to an earlier stage (``backward_moves``)."""

    motion: str
    kind: str
    moves: int
    backward: int
    records_moved_back: int


@dataclass(frozen=True, slots=True)
class HandoffSla:
    """One declared handoff against its SLA (``handoff_sla``)."""

    handoff: str
    step: str
    arrivals: int
    responded: int
    median_response_hours: float | None
    p75_response_hours: float | None
    p90_response_hours: float | None
    respond_within_hours: float | None
    within_sla: int
    share_within_sla: float | None
    window_hours: float | None
    left_behind: int
    rejected: int
    rejected_without_reason: int


@dataclass(frozen=True, slots=True)
class WaterfallStep:
    """Leads that reached a lifecycle step or a later one (``waterfall``).

    ``conversion`` (to the next step on the funnel) is filled by the engine
    from consecutive rows; the SQL only counts.
    """

    step: str
    position: int
    reached: int
    next_step: str | None = None
    conversion: float | None = None


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Conversion of the records with one value of a dimension (``conversion_by_*``)."""

    dimension: str
    kind: str
    motion: str
    value: str
    records: int
    won: int
    lost: int
    conversion: float | None
    win_rate: float | None


@dataclass(frozen=True, slots=True)
class StagePeriod:
    """Time in an open stage for the stays entered in one period (``stage_time_by_*``)."""

    grain: str
    motion: str
    stage: str
    period: str  # ISO date of the period's first day
    stays: int
    completed: int
    median_days: float | None
    p75_days: float | None
    p90_days: float | None


@dataclass(frozen=True, slots=True)
class DealValues:
    """Deals of one motion and their amounts (``deal_values``)."""

    motion: str
    deals: int
    with_amount: int
    open: int
    won: int
    lost: int
    won_with_amount: int
    won_amount: float | None  # None: no won deal has an amount


@dataclass(frozen=True, slots=True)
class OpenPipeline:
    """Open deals in one stage on the date of the data (``open_pipeline``)."""

    motion: str
    stage: str
    position: int
    open: int
    with_amount: int
    amount: float | None


@dataclass(frozen=True, slots=True)
class RevenuePeriod:
    """Won deals and their amounts in one period of the win (``revenue_by_*``)."""

    grain: str
    motion: str
    period: str  # ISO date of the period's first day
    won: int
    with_amount: int
    amount: float | None


@dataclass(frozen=True, slots=True)
class VolumePeriod:
    """Records that reached a stage or step in one period (``volume_by_*``)."""

    grain: str
    kind: str
    motion: str
    stage: str
    period: str
    records: int


@dataclass(frozen=True, slots=True)
class ConversionPeriod:
    """Conversion from an open stage of the records that first entered it in one period.

    Query ``stage_conversion_by_*``: the fields of :class:`StageConversion`
    for one cohort (the declared probability is on the stage's row there).
    """

    grain: str
    motion: str
    stage: str
    period: str  # ISO date of the period's first day
    entered: int
    advanced: int
    conversion: float | None
    won: int
    closed: int
    win_rate: float | None


@dataclass(frozen=True, slots=True)
class WaterfallPeriod:
    """The waterfall of the leads that first entered the funnel in one period.

    Query ``waterfall_by_*``; ``conversion`` to the next step is filled by
    the engine from consecutive rows, as for :class:`WaterfallStep`.
    """

    grain: str
    period: str
    step: str
    position: int
    reached: int
    next_step: str | None = None
    conversion: float | None = None


@dataclass(frozen=True, slots=True)
class ClosePeriod:
    """Records that closed in one period and how many of them won (``win_rate_by_*``)."""

    grain: str
    motion: str
    kind: str
    period: str
    closed: int
    won: int
    lost: int
    win_rate: float | None


@dataclass(frozen=True, slots=True)
class KpiValue:
    """A declared KPI the data can compute, with its measured value.

    ``met`` is ``None`` without a target or a value; ``sample`` is the number
    of records (or stays) the value rests on. ``period`` is the first day of
    the period judged (revenue and volume: the last complete one); ``note``
    says why a KPI of a kind gtmplay computes has no value in this data.
    """

    kpi: str
    kind: str
    unit: str
    direction: str
    target: float | None
    value: float | None
    sample: int
    met: bool | None
    period: str | None = None
    grain: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class KpiPeriod:
    """A revenue or volume KPI's value in one period of its ``frequency``."""

    kpi: str
    period: str
    value: float | None
    sample: int
    complete: bool  # False for the period the date of the data falls in


@dataclass(frozen=True, slots=True)
class KpiFactor:
    """One input of a computed KPI (velocity's four factors, coverage's two)."""

    kpi: str
    factor: str
    value: float | None


@dataclass(frozen=True, slots=True)
class Unmapped:
    """A stage or status name in the data that maps to no playbook id.

    ``motion``: the deal's motion (its id, or the data's name for it when it
    names no motion), where a name maps in one motion and not in another;
    ``''`` for leads and deals of no motion.
    """

    kind: str
    crm_stage: str
    rows: int
    motion: str = ""


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that could not be read: counted and reported, never dropped silently."""

    file: str
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Measurement:
    """Everything one ``gtmplay measure`` run measured."""

    as_of: str | None  # ISO timestamp of the latest entry or exit in the data
    rows: int  # stays read, bad rows excluded
    deals: int
    leads: int
    stage_time: tuple[StageTime, ...] = ()
    step_time: tuple[StageTime, ...] = ()  # leads at each funnel step; no targets
    stage_conversion: tuple[StageConversion, ...] = ()
    cycle_length: tuple[CycleLength, ...] = ()
    backward_moves: tuple[BackwardMoves, ...] = ()
    handoff_sla: tuple[HandoffSla, ...] = ()
    waterfall: tuple[WaterfallStep, ...] = ()
    breakdowns: tuple[Breakdown, ...] = ()
    stage_periods: tuple[StagePeriod, ...] = ()
    conversion_periods: tuple[ConversionPeriod, ...] = ()
    waterfall_periods: tuple[WaterfallPeriod, ...] = ()
    close_periods: tuple[ClosePeriod, ...] = ()
    kpis: tuple[KpiValue, ...] = ()
    kpi_periods: tuple[KpiPeriod, ...] = ()
    kpi_factors: tuple[KpiFactor, ...] = ()
    deal_values: tuple[DealValues, ...] = ()
    open_pipeline: tuple[OpenPipeline, ...] = ()
    revenue_periods: tuple[RevenuePeriod, ...] = ()
    volume_periods: tuple[VolumePeriod, ...] = ()
    unmapped: tuple[Unmapped, ...] = ()
    bad_rows: tuple[BadRow, ...] = ()
    bad_row_count: int = 0  # may exceed len(bad_rows): only the first ones are kept
    files: tuple[str, ...] = field(default=())


# which tuple of Measurement holds which figure class (and the JSON key)
FIGURE_FIELDS: dict[str, type[Any]] = {
    "stage_time": StageTime,
    "step_time": StageTime,
    "stage_conversion": StageConversion,
    "cycle_length": CycleLength,
    "backward_moves": BackwardMoves,
    "handoff_sla": HandoffSla,
    "waterfall": WaterfallStep,
    "breakdowns": Breakdown,
    "stage_periods": StagePeriod,
    "conversion_periods": ConversionPeriod,
    "waterfall_periods": WaterfallPeriod,
    "close_periods": ClosePeriod,
    "kpis": KpiValue,
    "kpi_periods": KpiPeriod,
    "kpi_factors": KpiFactor,
    "deal_values": DealValues,
    "open_pipeline": OpenPipeline,
    "revenue_periods": RevenuePeriod,
    "volume_periods": VolumePeriod,
    "unmapped": Unmapped,
    "bad_rows": BadRow,
}

F = TypeVar("F")


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DIGITS)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_json(measurement: Measurement) -> dict[str, Any]:
    """The JSON form: plain types, floats rounded, a version to check."""
    body: dict[str, Any] = _plain(asdict(measurement))
    return {"version": SCHEMA_VERSION, **body}


def figure_from_row(cls: type[F], row: Mapping[str, Any]) -> F:
    """One figure from a query row (or a JSON object) keyed by field name.

    Fields the row lacks keep their default (the engine fills derived ones);
    dates become ISO text and floats are rounded as in the JSON, so a figure
    read back from its JSON equals the one measured.
    """
    kwargs = {f.name: _plain(row[f.name]) for f in fields(cls) if f.name in row}  # type: ignore[arg-type]
    return cls(**kwargs)


def from_json(data: Mapping[str, Any]) -> Measurement:
    """A :class:`Measurement` back from :func:`to_json`'s form."""
    if data.get("version") != SCHEMA_VERSION:
        raise ValueError(
            f"measurement JSON version {data.get('version')!r}, expected {SCHEMA_VERSION}"
        )
    kwargs: dict[str, Any] = {}
    for f in fields(Measurement):
        value = data.get(f.name)
        if f.name in FIGURE_FIELDS:
            cls = FIGURE_FIELDS[f.name]
            kwargs[f.name] = tuple(figure_from_row(cls, v) for v in value or ())
        elif f.name == "files":
            kwargs[f.name] = tuple(value or ())
        elif value is not None or f.name == "as_of":
            kwargs[f.name] = value
    return Measurement(**kwargs)


def rows_of(measurement: Measurement, name: str) -> Sequence[Any]:
    """The figures of one kind by its field name (``'stage_time'``...)."""
    rows: Sequence[Any] = getattr(measurement, name)
    return rows
