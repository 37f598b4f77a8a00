"""The terminal table of ``gtmplay measure``: every figure, declared beside actual.

Plain text in fixed columns, no colour, the same bytes on every run; names
from the playbook and the data go through the text reporter's cleaning so a
control character in a CRM name never drives the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from gtmplay.measure import figures as fig
from gtmplay.measure.wording import count, factor, number, period_label, share
from gtmplay.model import Playbook
from gtmplay.report.text import clean


def _grid(title: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    if not rows:
        return []
    cells = [list(head), *[[clean(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]

    def line(r: Sequence[str]) -> str:
        first = r[0].ljust(widths[0])
        rest = "  ".join(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))
        return f"  {first}  {rest}".rstrip()

    return ["", title, line(cells[0]), *(line(r) for r in cells[1:])]


def _kpi_value(k: fig.KpiValue) -> str:
    # a revenue or volume KPI is judged on one period: say which
    value = number(k.value)
    return f"{value} in {period_label(k.grain, k.period)}" if k.period else value


def _kpi_notes(m: fig.Measurement) -> list[str]:
    """Under the KPI grid: the factors of the KPIs that have some, why the others have no value."""
    lines = []
    for k in m.kpis:
        factors = [f for f in m.kpi_factors if f.kpi == k.kpi]
        if factors:
            words = [factor(f.factor, f.value) for f in factors]
            if k.kind == "velocity":
                *times, days = words
                lines.append(f"  {k.kpi} = {' x '.join(times)} / {days}")
            else:
                lines.append(f"  {k.kpi} = {' / '.join(words)}")
        if k.note:
            lines.append(f"  {k.kpi}: {k.note}")
    return [clean(line) for line in lines]


def render(playbook: Playbook, m: fig.Measurement) -> str:
    stages = {s.id: s for s in playbook.stages}
    steps = {s.id: s for s in playbook.lifecycle}
    several = len({s.motion for s in m.stage_time}) > 1

    def stage_name(motion: str, stage_id: str) -> str:
        name = stages[stage_id].name if stage_id in stages else stage_id
        return f"{motion}: {name}" if several and motion else name

    def step_name(step_id: str) -> str:
        return steps[step_id].name if step_id in steps else step_id

    out = [
        f"{playbook.name}: {count(m.deals)} deals, {count(m.leads)} leads, "
        f"{count(m.rows)} stays, data up to {(m.as_of or '-')[:10]}"
    ]
    out += _grid(
        "Time in stage (days)",
        ("stage", "stays", "median", "p75", "p90", "target", "open", "open past target"),
        [
            (
                stage_name(s.motion, s.stage),
                count(s.completed),
                number(s.median_days),
                number(s.p75_days),
                number(s.p90_days),
                number(s.target_days),
                count(s.open),
                count(s.open_past_target),
            )
            for s in m.stage_time
        ],
    )
    out += _grid(
        "Time at each lifecycle step (days)",
        ("step", "stays", "median", "p75", "p90", "open"),
        [
            (step_name(s.stage), count(s.completed), number(s.median_days),
             number(s.p75_days), number(s.p90_days), count(s.open))
            for s in m.step_time
        ],
    )  # fmt: skip
    out += _grid(
        "Conversion and win rate from each stage",
        ("stage", "entered", "went on", "closed", "won", "declared"),
        [
            (
                stage_name(c.motion, c.stage),
                count(c.entered),
                share(c.conversion),
                count(c.closed),
                share(c.win_rate),
                share(c.declared_probability),
            )
            for c in m.stage_conversion
        ],
    )
    out += _grid(
        "Cycle length (days from first entry to won)",
        ("motion", "won", "median", "p75", "p90"),
        [
            (
                f"{c.motion or 'all'} ({c.kind}s)",
                count(c.won),
                number(c.median_days),
                number(c.p75_days),
                number(c.p90_days),
            )
            for c in m.cycle_length
        ],
    )
    out += _grid(
        "Backward moves",
        ("motion", "moves", "backward", "records"),
        [
            (f"{b.motion or 'all'} ({b.kind}s)", count(b.moves), count(b.backward),
             count(b.records_moved_back))
            for b in m.backward_moves
        ],
    )  # fmt: skip
    out += _grid(
        "Handoffs (response in hours)",
        ("handoff", "arrivals", "answered", "median", "SLA", "within", "left behind",
         "rejected", "no reason"),
        [
            (h.handoff, count(h.arrivals), count(h.responded), number(h.median_response_hours),
             number(h.respond_within_hours), share(h.share_within_sla), count(h.left_behind),
             count(h.rejected), count(h.rejected_without_reason))
            for h in m.handoff_sla
        ],
    )  # fmt: skip
    out += _grid(
        "Win rate per quarter of close",
        ("quarter", "closed", "won", "lost", "win rate"),
        [
            (period_label("quarter", c.period) + (f" {c.motion}" if several and c.motion else ""),
             count(c.closed), count(c.won), count(c.lost), share(c.win_rate))
            for c in m.close_periods
            if c.grain == "quarter" and c.kind == "deal"
        ],
    )  # fmt: skip
    out += _grid(
        "Waterfall",
        ("step", "reached", "to next"),
        [(step_name(w.step), count(w.reached), share(w.conversion)) for w in m.waterfall],
    )
    out += _grid(
        "KPIs",
        ("kpi", "value", "target", "records", "met"),
        [
            (k.kpi, _kpi_value(k), number(k.target), count(k.sample),
             "-" if k.met is None else "yes" if k.met else "no")
            for k in m.kpis
        ],
    )  # fmt: skip
    out += _kpi_notes(m)
    source = [b for b in m.breakdowns if b.dimension == "source" and b.value][:10]
    out += _grid(
        "By source (10 largest)",
        ("source", "kind", "records", "won", "conversion", "win rate"),
        [
            (b.value, b.kind, count(b.records), count(b.won), share(b.conversion),
             share(b.win_rate))
            for b in source
        ],
    )  # fmt: skip
    if m.unmapped:
        out += [
            "",
            "Names in the data that map to no stage or step "
            "(add them to measure.names, or a motion's to measure.motions):",
        ]
        out += [
            f"  {clean(u.crm_stage)} ({u.kind}s"
            + (f" of motion {clean(u.motion)}" if u.motion else "")
            + f"): {count(u.rows)} rows"
            for u in m.unmapped
        ]
    if m.bad_row_count:
        out += ["", f"{count(m.bad_row_count)} rows could not be read:"]
        out += [f"  {clean(b.file)}:{b.line}: {clean(b.message)}" for b in m.bad_rows]
        if m.bad_row_count > len(m.bad_rows):
            out.append(f"  ... and {count(m.bad_row_count - len(m.bad_rows))} more")
    return "\n".join(out) + "\n"
