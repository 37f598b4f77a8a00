"""The value of each declared KPI that the measured figures can give.

A KPI is computed from the figures, not from the data again, so it always
agrees with the table it sits beside. Kinds the history cannot give (pipeline
coverage, revenue, volume per period, velocity) are left out rather than
guessed.
"""

from __future__ import annotations

from gtmplay.measure import figures as fig
from gtmplay.model import Kpi, Playbook


def _scaled(kpi: Kpi, ratio: float | None) -> float | None:
    if ratio is None:
        return None
    return round(ratio * 100, fig.DIGITS) if kpi.unit == "percent" else ratio


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


_BY_KIND = {
    "win-rate": _win_rate,
    "conversion": _conversion,
    "sales-cycle": _cycle,
    "time-in-stage": _time_in_stage,
    "response-time": _response,
}


def kpi_values(playbook: Playbook, m: fig.Measurement) -> tuple[fig.KpiValue, ...]:
    out: list[fig.KpiValue] = []
    for kpi in playbook.kpis:
        compute = _BY_KIND.get(kpi.kind)
        got = compute(kpi, m) if compute else None
        if got is None:
            continue
        value, sample = got
        met = None
        if value is not None and kpi.target is not None:
            met = value >= kpi.target if kpi.direction == "higher" else value <= kpi.target
        out.append(
            fig.KpiValue(
                kpi=kpi.id,
                kind=kpi.kind,
                unit=kpi.unit,
                direction=kpi.direction,
                target=kpi.target,
                value=value,
                sample=sample,
                met=met,
            )
        )
    return tuple(out)
