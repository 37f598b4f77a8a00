"""Charts of measured figures, as inline SVG: the scorecard's pictures.

Each function takes plain rows (the dataclasses below, built from the
measured figures by :mod:`gtmplay.render.scorecard`) and returns one
``<svg>`` as ``Markup``, drawn in the style of :mod:`gtmplay.render.svg`:
text escaped there (``svg._t``), integer coordinates so output is
byte-identical across runs, ``role="img"`` with a title and a description.

Legibility on a phone: the row charts are :data:`WIDTH` units wide, which a
390 px screen shows at natural size (one unit per CSS pixel), so no text is
drawn under :data:`~gtmplay.render.svg.MIN_FONT` px; a row's name and figures
sit on their own line above its bar rather than beside it. The trend chart
grows with the number of periods and scrolls sideways in its own box.
Colours are never the only cue: markers differ in shape, every colour has a
legend entry, and the page puts a table of the same figures next to each
chart for screen readers.

A figure that is missing, not a number or negative (data as CRMs export it
can say anything) is drawn as "no data" or at zero; no input raises.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from gtmplay.render.svg import FONT, MIN_FONT, _short, _t, _text

WIDTH = 360
PAD = 8  # left and right margin of the plot area
LABEL = 12  # row labels
PANEL = 56  # height of one panel of the trend chart
INK, MUTED, TRACK = "#1c2430", "#4a4f57", "#eef1f5"
# quantile bands of a duration, darkest nearest zero; each at least 3:1 on white
# (WCAG non-text contrast) except the outermost, which has a dark outline instead
BANDS = ("#1d4f86", "#5a8fca", "#b5cde9")
TARGET = "#b03a3a"
REACHED = "#2f6fb0"
DECLARED, ACTUAL = "#3d4450", "#a8501f"
WITHIN, LATE, NONE = "#24744a", "#8a6508", "#b03a3a"


@dataclass(frozen=True)
class Spread:
    """How long the stays in one stage lasted, against its declared target."""

    label: str
    count: int
    median: float | None
    p75: float | None
    p90: float | None
    target: float | None
    note: str = ""  # a figure to add, e.g. "3 open past target"


@dataclass(frozen=True)
class Calibration:
    """A declared probability (0 to 1) next to the win rate measured from that stage."""

    label: str
    declared: float | None
    actual: float | None
    closed: int


@dataclass(frozen=True)
class Series:
    """One line of the trend chart: a value per period (None where there is none)."""

    label: str
    values: tuple[float | None, ...]
    target: float | None = None


@dataclass(frozen=True)
class FunnelStep:
    """A step of the funnel: how many reached it, and how many a KPI target asks for."""

    label: str
    reached: int
    expected: float | None = None  # the count the KPI's conversion target implies
    target_note: str = ""  # what the target is, e.g. "MQL → SQL 22%"


@dataclass(frozen=True)
class Compliance:
    """How the arrivals at one handoff were answered, against its SLA."""

    label: str
    arrivals: int
    within: int
    late: int
    sla: str  # the SLA in words, e.g. "4 hours"
    note: str = ""  # e.g. "12 left behind"


def finite(value: float | None) -> float | None:
    """``value`` when it is a finite number; None for None, NaN and infinities."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def amount(value: float | None, unit: str = "") -> str:
    """A measured figure as people read it: ``12``, ``12.5``, ``1,234``; a dash for none."""
    number = finite(value)
    if number is None:
        return "\u2013"
    text = f"{number:,.0f}" if abs(number) >= 100 or number.is_integer() else f"{number:,.1f}"
    text = text.removesuffix(".0")
    return f"{text} {unit}".rstrip() if unit else text


def rounded(value: float | None) -> float | None:
    """``value`` to the precision :func:`amount` shows (one decimal under 100, none above)."""
    number = finite(value)
    if number is None:
        return None
    return float(round(number)) if abs(number) >= 100 else round(number, 1)


def percent(value: float | None) -> str:
    """A share from 0 to 1 as a whole percentage: ``0.634`` -> ``63%``; a dash for none."""
    share = finite(None if finite(value) is None else float(value or 0) * 100)
    return "\u2013" if share is None else f"{round(share)}%"


def nice_top(value: float) -> float:
    """The round number at or above ``value`` an axis ends at (1, 2, 2.5 or 5 x 10^k)."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    # 10 ** -324 is 0.0 in floats: a subnormal value (5e-324) would give an axis
    # ending at 0 and a division by zero; 1e-308 is the smallest power kept
    power = 10.0 ** max(math.floor(math.log10(value)), -308)
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power * (1 + 1e-9):
            return step * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def _x(value: float | None, top: float, left: int, span: int) -> int:
    """The x of ``value`` on an axis from 0 (at ``left``) to ``top`` (at ``left + span``)."""
    number = max(finite(value) or 0.0, 0.0)
    return left + round(span * min(number / top, 1.0))


def _frame(name: str, title: str, desc: str, height: int, body: list[str], width: int) -> Markup:
    # the id is the chart's name, unique on its page (the scorecard gives one per motion)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram chart chart-{_t(name)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{_t(name)}-title {_t(name)}-desc" {FONT} font-size="{LABEL}">'
        f'<title id="{_t(name)}-title">{_t(title)}</title>'
        f'<desc id="{_t(name)}-desc">{_t(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _empty(name: str, title: str, message: str) -> Markup:
    body = [_text(WIDTH // 2, 30, message, size=LABEL, fill=MUTED)]
    return _frame(name, title, message, 48, body, WIDTH)


def _row_head(body: list[str], y: int, label: str, figures: str) -> int:
    """A row's name and its figures: on one line when both fit, else the figures under
    the name (a long name is not cut to make room for numbers). Returns the y the
    row's drawing starts from, 14 lower when it took two lines."""
    span = WIDTH - 2 * PAD
    # about 7.5 units per character of a 12 px bold name, 6.5 of 11 px figures (wide
    # enough for the fonts a phone has), and a gap of 20 between them
    one_line = 15 * len(label) + 13 * len(figures) + 40 <= 2 * span
    head = _text(PAD, y + 12, _short(label, span // 7), size=LABEL, anchor="start", fill=INK,
                 font_weight="600")  # fmt: skip
    if one_line:
        head += _text(WIDTH - PAD, y + 12, figures, size=MIN_FONT, anchor="end", fill=MUTED)
    else:
        head += _text(PAD, y + 26, _short(figures, span // 6), size=MIN_FONT, anchor="start",
                      fill=MUTED)  # fmt: skip
    body.append(f'<g class="row"><title>{_t(label)}</title>{head}</g>')
    return y if one_line else y + 14


def _axis(body: list[str], y: int, top: float, label: Callable[[float], str]) -> int:
    """Ticks at 0, half and the top under the plot, named by ``label``; returns the y below."""
    span = WIDTH - 2 * PAD
    for k, anchor in ((0, "start"), (1, "middle"), (2, "end")):
        x = PAD + span * k // 2
        body.append(f'<line x1="{x}" y1="{y - 4}" x2="{x}" y2="{y}" stroke="{MUTED}"/>')
        body.append(_text(x, y + 12, label(top * k / 2), size=MIN_FONT, anchor=anchor,
                          fill=MUTED))  # fmt: skip
    return y + 18


def _legend(body: list[str], y: int, items: Sequence[tuple[str, str, str]]) -> int:
    """Swatches with their meaning, wrapping at the width; returns the y below.

    Each item is ``(shape, colour, text)``: shape ``box``, ``line`` (dashed),
    ``diamond`` or ``dot``, drawn as in the chart.
    """
    x, line = PAD, y
    for shape, colour, text in items:
        width = 22 + len(text) * 7 + 12
        if x + width > WIDTH - PAD and x > PAD:
            x, line = PAD, line + 20
        cy = line + 9
        if shape == "line":
            mark = (f'<line x1="{x + 7}" y1="{line + 1}" x2="{x + 7}" y2="{line + 17}" '
                    f'stroke="{colour}" stroke-width="2" stroke-dasharray="4 2"/>')  # fmt: skip
        elif shape == "diamond":
            mark = _diamond(x + 7, cy, colour)
        elif shape == "dot":
            mark = f'<circle cx="{x + 7}" cy="{cy}" r="6" fill="{colour}"/>'
        else:
            mark = (f'<rect x="{x}" y="{line + 2}" width="14" height="14" rx="2" fill="{colour}" '
                    f'stroke="{INK}" stroke-width="0.5"/>')  # fmt: skip
        body.append(f'<g class="legend">{mark}'
                    + _text(x + 20, line + 13, text, size=MIN_FONT, anchor="start", fill=INK)
                    + "</g>")  # fmt: skip
        x += width
    return line + 24


def _diamond(cx: int, cy: int, colour: str) -> str:
    return (
        f'<polygon points="{cx},{cy - 7} {cx + 7},{cy} {cx},{cy + 7} {cx - 7},{cy}" '
        f'fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
    )


def durations(
    rows: Sequence[Spread],
    *,
    name: str = "durations",
    unit: str = "days",
    title: str = "Days in each stage against the target",
) -> Markup:
    """Time in each stage: a bar to the median, on to p75 and p90, and the target as a line.

    Half of the stays ended within the darkest part, three in four within the
    middle one, nine in ten within the whole bar; a stay past the dashed line
    took longer than the playbook says it should.
    """
    if not rows:
        return _empty(name, title, "No stays measured in any stage.")
    values = [finite(v) or 0.0 for r in rows for v in (r.p90, r.p75, r.median, r.target)]
    top = nice_top(max(values))
    span = WIDTH - 2 * PAD
    body: list[str] = []
    y = 4
    for r in rows:
        figures = f"median {amount(r.median)} \u00b7 n {r.count:,}" if r.count else "no stays"
        y = _row_head(body, y, r.label, figures)
        bar = y + 18
        body.append(f'<rect x="{PAD}" y="{bar}" width="{span}" height="16" fill="{TRACK}"/>')
        previous = PAD
        for value, colour in zip((r.median, r.p75, r.p90), BANDS, strict=True):
            end = _x(value, top, PAD, span) if finite(value) is not None else previous
            end = max(end, previous)
            if end > previous:
                outline = ' stroke="#1d4f86" stroke-width="1"' if colour == BANDS[-1] else ""
                body.append(f'<rect x="{previous}" y="{bar}" width="{end - previous}" '
                            f'height="16" fill="{colour}"{outline}/>')  # fmt: skip
            previous = end
        if finite(r.target) is not None:
            tx = _x(r.target, top, PAD, span)
            body.append(f'<line x1="{tx}" y1="{bar - 4}" x2="{tx}" y2="{bar + 20}" '
                        f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="4 2">'
                        f"<title>target {_t(amount(r.target, unit))}</title></line>")  # fmt: skip
        y = bar + 20
        if r.note:
            body.append(_text(PAD, y + 11, _short(r.note, 48), size=MIN_FONT, anchor="start",
                              fill=MUTED))  # fmt: skip
            y += 14
        y += 8
    y = _axis(body, y + 4, top, lambda v: amount(v, unit[:1] if unit == "days" else unit))
    legend = [("box", BANDS[0], "to median"), ("box", BANDS[1], "to p75"),
              ("box", BANDS[2], "to p90")]  # fmt: skip
    if any(finite(r.target) is not None for r in rows):
        legend.append(("line", TARGET, "target"))  # no entry for a line never drawn
    y = _legend(body, y + 4, legend)
    desc = "; ".join(
        f"{r.label}: median {amount(r.median)}, p75 {amount(r.p75)}, p90 {amount(r.p90)}, "
        f"target {amount(r.target)} {unit}"
        for r in rows
    )
    return _frame(name, title, desc, y, body, WIDTH)


def calibration(rows: Sequence[Calibration], *, name: str = "calibration") -> Markup:
    """Declared probability (a diamond) next to the measured win rate (a dot) per stage.

    The line between them is the miscalibration: a dot left of its diamond is
    a stage that wins less often than the forecast assumes.
    """
    title = "Declared probability against the measured win rate"
    if not rows:
        return _empty(name, title, "No stages with a declared probability.")
    span = WIDTH - 2 * PAD
    body: list[str] = []
    y = 4
    for r in rows:
        actual = finite(r.actual)
        figures = f"{percent(r.declared)} declared \u00b7 " + (
            f"{percent(actual)} won of {r.closed:,}" if actual is not None else "none closed"
        )
        y = _row_head(body, y, r.label, figures)
        mid = y + 28
        body.append(f'<line x1="{PAD}" y1="{mid}" x2="{PAD + span}" y2="{mid}" '
                    f'stroke="{TRACK}" stroke-width="6" stroke-linecap="round"/>')  # fmt: skip
        dx = _x(r.declared, 1.0, PAD, span) if finite(r.declared) is not None else None
        ax = _x(actual, 1.0, PAD, span) if actual is not None else None
        if dx is not None and ax is not None and dx != ax:
            body.append(f'<line x1="{dx}" y1="{mid}" x2="{ax}" y2="{mid}" stroke="{MUTED}" '
                        'stroke-width="2"/>')  # fmt: skip
        if dx is not None:
            body.append(_diamond(dx, mid, DECLARED))
        if ax is not None:
            body.append(f'<circle cx="{ax}" cy="{mid}" r="6" fill="{ACTUAL}" stroke="#ffffff" '
                        'stroke-width="1"/>')  # fmt: skip
        y = mid + 16
    y = _axis(body, y + 4, 1.0, percent)
    y = _legend(body, y + 4, [("diamond", DECLARED, "declared"), ("dot", ACTUAL, "won")])
    desc = "; ".join(
        f"{r.label}: declared {percent(r.declared)}, won {percent(r.actual)} of {r.closed} closed"
        for r in rows
    )
    return _frame(name, title, desc, y, body, WIDTH)


def trend(
    periods: Sequence[str],
    series: Sequence[Series],
    *,
    name: str = "trend",
    unit: str = "days",
    title: str = "",
    share: bool = False,
) -> Markup:
    """One small chart per series, one after the other: the value per period and its target.

    The periods share one horizontal axis (at least 14 units each, so a long
    history widens the chart and it scrolls in its box); each panel has its
    own vertical scale, from zero to a round number above its highest value.
    With ``share`` the values are shares from 0 to 1 (a win rate, a
    conversion): every panel then runs from 0 to 100%, so panels compare at
    a glance, and the figures are written as percentages; ``unit`` names
    what the share is of, for the legend.
    """
    title = title or f"Median {unit} per month"
    if not periods or not series:
        return _empty(name, title, "No periods to show.")
    label: Callable[[float | None], str] = percent if share else amount

    def point(v: float) -> str:
        return percent(v) if share else amount(v, unit)

    left, step = 44, 14
    width = max(WIDTH, left + PAD + step * len(periods))
    span = width - left - PAD
    body: list[str] = []
    y = 4
    for s in series:
        values = [finite(v) for v in s.values[: len(periods)]]
        values += [None] * (len(periods) - len(values))
        known = [max(v, 0.0) for v in values if v is not None]
        top = 1.0 if share else nice_top(max([*known, finite(s.target) or 0.0]))
        target = f" \u00b7 target {label(s.target)}" if finite(s.target) is not None else ""
        body.append(f"<g class=\"row\"><title>{_t(s.label)}</title>"
                    + _text(PAD, y + 12, _short(s.label, 30) + target, size=LABEL,
                            anchor="start", fill=INK, font_weight="600") + "</g>")  # fmt: skip
        plot = y + 22
        high = PANEL
        body.append(f'<rect x="{left}" y="{plot}" width="{span}" height="{high}" '
                    f'fill="#f7f8fa" stroke="#c5ccd6"/>')  # fmt: skip
        body.append(_text(left - 4, plot + 9, label(top), size=MIN_FONT, anchor="end",
                          fill=MUTED))  # fmt: skip
        body.append(
            _text(left - 4, plot + high, label(0.0), size=MIN_FONT, anchor="end", fill=MUTED)
        )

        def ypos(v: float, top: float = top, plot: int = plot) -> int:
            return plot + PANEL - round(PANEL * min(max(v, 0.0) / top, 1.0))

        if finite(s.target) is not None:
            ty = ypos(finite(s.target) or 0.0)
            body.append(f'<line x1="{left}" y1="{ty}" x2="{left + span}" y2="{ty}" '
                        f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="4 2"/>')  # fmt: skip
        points: list[str] = []
        for k, v in enumerate(values):
            x = left + span * (2 * k + 1) // (2 * len(periods))
            if v is None:
                if len(points) > 1:
                    body.append(_polyline(points))
                points = []
                continue
            points.append(f"{x},{ypos(v)}")
            body.append(f'<circle cx="{x}" cy="{ypos(v)}" r="3" fill="{BANDS[0]}"><title>'
                        f"{_t(periods[k])}: {_t(point(v))}</title></circle>")  # fmt: skip
        if len(points) > 1:
            body.append(_polyline(points))
        y = plot + high + 8
    # period names under the last panel: the first, the last and about every sixth
    every = max(1, math.ceil(len(periods) / max(1, span // 60)))
    for k, period in enumerate(periods):
        if k % every == 0 or k == len(periods) - 1:
            if k != len(periods) - 1 and len(periods) - 1 - k < every:
                continue  # too close to the last one, which is always shown
            x = left + span * (2 * k + 1) // (2 * len(periods))
            # the last name ends at its point, so it never runs past the right edge
            anchor = "end" if k == len(periods) - 1 and k else "middle"
            body.append(_text(x + (4 if anchor == "end" else 0), y + 8, _short(period, 10),
                              size=MIN_FONT, anchor=anchor, fill=MUTED))  # fmt: skip
    legend = [("dot", BANDS[0], unit if share else f"median {unit}")]
    if any(finite(s.target) is not None for s in series):
        legend.append(("line", TARGET, "target"))  # no entry for a line never drawn
    y = _legend(body, y + 18, legend)
    desc = f"{len(series)} series over {len(periods)} periods, {periods[0]} to {periods[-1]}"
    return _frame(name, title, desc, y, body, width)


def _polyline(points: list[str]) -> str:
    return (f'<polyline points="{" ".join(points)}" fill="none" stroke="{BANDS[0]}" '
            'stroke-width="2"/>')  # fmt: skip


def funnel(rows: Sequence[FunnelStep], *, name: str = "funnel") -> Markup:
    """How many reached each step, as bars from the widest; a KPI target as a dashed mark.

    The mark is where the bar would end if the step converted exactly at the
    target rate: a bar short of its mark missed the target.
    """
    title = "Funnel: records that reached each step"
    if not rows:
        return _empty(name, title, "No funnel steps measured.")
    top = max([r.reached for r in rows] + [finite(r.expected) or 0 for r in rows] + [1])
    span = WIDTH - 2 * PAD
    body: list[str] = []
    y = 4
    previous: int | None = None
    for r in rows:
        share = f" \u00b7 {percent(r.reached / previous)} of previous" if previous else ""
        y = _row_head(body, y, r.label, f"{r.reached:,}{share}")
        bar = y + 18
        body.append(f'<rect x="{PAD}" y="{bar}" width="{span}" height="16" fill="{TRACK}"/>')
        end = _x(r.reached, top, PAD, span)
        if end > PAD:
            body.append(f'<rect x="{PAD}" y="{bar}" width="{end - PAD}" height="16" '
                        f'fill="{REACHED}"/>')  # fmt: skip
        y = bar + 20
        if finite(r.expected) is not None:
            ex = _x(r.expected, top, PAD, span)
            body.append(f'<line x1="{ex}" y1="{bar - 4}" x2="{ex}" y2="{bar + 20}" '
                        f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="4 2"/>')  # fmt: skip
            note = f"target {amount(r.expected)}" + (f" ({r.target_note})" if r.target_note else "")
            body.append(_text(PAD, y + 11, _short(note, 52), size=MIN_FONT, anchor="start",
                              fill=MUTED))  # fmt: skip
            y += 14
        y += 8
        previous = r.reached or None
    y = _legend(body, y + 4, [("box", REACHED, "reached"), ("line", TARGET, "KPI target")])
    desc = "; ".join(f"{r.label}: {r.reached}" for r in rows)
    return _frame(name, title, desc, y, body, WIDTH)


def compliance(rows: Sequence[Compliance], *, name: str = "compliance") -> Markup:
    """Each handoff's arrivals split into answered within the SLA, late, and not answered."""
    title = "Handoffs answered within their SLA"
    if not rows:
        return _empty(name, title, "No handoffs measured.")
    span = WIDTH - 2 * PAD
    body: list[str] = []
    y = 4
    for r in rows:
        arrivals = max(r.arrivals, 0)
        within = min(max(r.within, 0), arrivals)
        late = min(max(r.late, 0), arrivals - within)
        figures = (
            f"{percent(within / arrivals)} within {r.sla} \u00b7 n {arrivals:,}"
            if arrivals
            else "no arrivals"
        )
        y = _row_head(body, y, r.label, figures)
        bar = y + 18
        body.append(f'<rect x="{PAD}" y="{bar}" width="{span}" height="16" fill="{TRACK}"/>')
        x = PAD
        parts = (within, late, arrivals - within - late)
        for count, colour in zip(parts, (WITHIN, LATE, NONE), strict=True):
            if arrivals and count:
                end = x + round(span * count / arrivals)
                if end > x:
                    body.append(f'<rect x="{x}" y="{bar}" width="{end - x}" height="16" '
                                f'fill="{colour}"/>')  # fmt: skip
                x = end
        y = bar + 20
        if r.note:
            body.append(_text(PAD, y + 11, _short(r.note, 52), size=MIN_FONT, anchor="start",
                              fill=MUTED))  # fmt: skip
            y += 14
        y += 8
    y = _legend(body, y + 4, [("box", WITHIN, "within SLA"), ("box", LATE, "late"),
                              ("box", NONE, "no response")])  # fmt: skip
    desc = "; ".join(
        f"{r.label}: {r.within} of {r.arrivals} within {r.sla}, {r.late} late" for r in rows
    )
    return _frame(name, title, desc, y, body, WIDTH)
