"""The scorecard's charts: exact geometry and text, accessible, legible, escaped, total."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from gtmplay.render import charts, svg
from gtmplay.render.charts import Calibration, Compliance, FunnelStep, Series, Spread

NS = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def _rects(root: ET.Element, fill: str) -> list[tuple[int, int]]:
    return [
        (int(r.get("x", "0")), int(r.get("width", "0")))
        for r in root.iter(f"{NS}rect")
        if r.get("fill") == fill and r.get("height") == "16"
    ]


SPREADS = (
    Spread("Discovery", 340, 5, 10, 20, 7, "12 open past target"),
    Spread("Proposal", 0, None, None, None, 10),
)
CALIBRATION = (Calibration("Discovery", 0.1, 0.25, 300), Calibration("Proposal", 0.6, None, 0))
FUNNEL = (
    FunnelStep("MQL", 400),
    FunnelStep("SQL", 60, 88.0, "MQL \u2192 SQL 22%"),
)
COMPLIANCE = (Compliance("MQL to SDR", 200, 100, 50, "4 hours", "12 left behind"),)
PERIODS = ("2024-01", "2024-02", "2024-03", "2024-04")
SERIES = (Series("Discovery", (4.0, None, 6.0, 8.0), 7.0),)

ALL: dict[str, Callable[[], Markup]] = {
    "durations": lambda: charts.durations(SPREADS),
    "calibration": lambda: charts.calibration(CALIBRATION),
    "trend": lambda: charts.trend(PERIODS, SERIES),
    "funnel": lambda: charts.funnel(FUNNEL),
    "compliance": lambda: charts.compliance(COMPLIANCE),
}
EMPTY: dict[str, Callable[[], Markup]] = {
    "durations": lambda: charts.durations(()),
    "calibration": lambda: charts.calibration(()),
    "trend": lambda: charts.trend((), ()),
    "funnel": lambda: charts.funnel(()),
    "compliance": lambda: charts.compliance(()),
}


@pytest.mark.parametrize("table", [ALL, EMPTY], ids=["figures", "empty"])
@pytest.mark.parametrize("name", sorted(ALL))
def test_every_chart_is_accessible_svg_a_phone_shows_whole(
    name: str, table: dict[str, Callable[[], Markup]]
) -> None:
    root = _parse(table[name]())
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{name}-title {name}-desc"
    assert (title.get("id"), desc.get("id")) == (f"{name}-title", f"{name}-desc")
    width, height = int(root.get("width", "0")), int(root.get("height", "0"))
    assert width == charts.WIDTH == 360  # a 390 px screen shows it at its natural size
    assert root.get("viewBox") == f"0 0 {width} {height}" and height >= 48
    sizes = {int(t.get("font-size", "0")) for t in root.iter(f"{NS}text")}
    assert min(sizes) >= svg.MIN_FONT == 11


def test_the_name_keeps_ids_unique_on_a_page() -> None:
    root = _parse(charts.durations(SPREADS, name="time-expansion"))
    assert root.get("aria-labelledby") == "time-expansion-title time-expansion-desc"
    assert "chart-time-expansion" in (root.get("class") or "")


def test_durations_draws_median_p75_p90_and_the_target() -> None:
    root = _parse(charts.durations(SPREADS))
    # axis 0..20 days over 344 units from x=8: median 5 -> 94, p75 10 -> 180, p90 20 -> 352
    assert _rects(root, charts.BANDS[0]) == [(8, 86)]
    assert _rects(root, charts.BANDS[1]) == [(94, 86)]
    assert _rects(root, charts.BANDS[2]) == [(180, 172)]
    lines = [ln for ln in root.iter(f"{NS}line") if ln.find(f"{NS}title") is not None]
    targets = [(ln.get("x1"), ln.findtext(f"{NS}title")) for ln in lines]
    # the target of a stage with no stays is still drawn: it is what the playbook declares
    assert targets == [("128", "target 7 days"), ("180", "target 10 days")]
    assert _texts(root) == [
        "Discovery",
        "median 5 \u00b7 n 340",
        "12 open past target",
        "Proposal",
        "no stays",
        "0 d",
        "10 d",
        "20 d",
        "to median",
        "to p75",
        "to p90",
        "target",
    ]


def test_calibration_places_declared_and_won_on_one_scale() -> None:
    root = _parse(charts.calibration(CALIBRATION))
    diamonds = [p.get("points") for p in root.iter(f"{NS}polygon")]
    # declared 10% -> x 42, 60% -> x 214 (8 + 344 * share); the legend's diamond last
    assert [d.split()[0] for d in diamonds[:2]] == ["42,25", "214,69"]
    dots = [(c.get("cx"), c.get("fill")) for c in root.iter(f"{NS}circle")]
    assert dots[0] == ("94", charts.ACTUAL)  # won 25% -> x 94; none closed: no dot
    assert len(dots) == 2  # the one above and the legend's
    texts = _texts(root)
    assert texts[:4] == [
        "Discovery",
        "10% declared \u00b7 25% won of 300",
        "Proposal",
        "60% declared \u00b7 none closed",
    ]
    assert texts[4:7] == ["0%", "50%", "100%"]


def test_funnel_marks_where_the_kpi_target_would_end_the_bar() -> None:
    root = _parse(charts.funnel(FUNNEL))
    assert _rects(root, charts.REACHED) == [(8, 344), (8, 52)]  # 400 and 60 of 400
    marks = [ln.get("x1") for ln in root.iter(f"{NS}line") if ln.get("stroke") == charts.TARGET]
    assert marks[0] == "84"  # 88 of 400 -> 8 + 344 * 0.22
    assert _texts(root)[:5] == [
        "MQL",
        "400",
        "SQL",
        "60 \u00b7 15% of previous",
        "target 88 (MQL \u2192 SQL 22%)",
    ]


def test_compliance_splits_arrivals_into_within_late_and_none() -> None:
    root = _parse(charts.compliance(COMPLIANCE))
    assert _rects(root, charts.WITHIN) == [(8, 172)]
    assert _rects(root, charts.LATE) == [(180, 86)]
    assert _rects(root, charts.NONE) == [(266, 86)]
    assert _texts(root)[:3] == ["MQL to SDR", "50% within 4 hours \u00b7 n 200", "12 left behind"]


def test_compliance_never_draws_more_than_the_arrivals() -> None:
    root = _parse(charts.compliance((Compliance("x", 10, 40, 40, "1 day"),)))
    assert _rects(root, charts.WITHIN) == [(8, 344)]
    assert _rects(root, charts.LATE) == _rects(root, charts.NONE) == []


def test_trend_breaks_the_line_where_a_period_has_no_value() -> None:
    root = _parse(charts.trend(PERIODS, SERIES))
    points = [c.findtext(f"{NS}title") for c in root.iter(f"{NS}circle") if c.get("r") == "3"]
    assert points == ["2024-01: 4 days", "2024-03: 6 days", "2024-04: 8 days"]
    lines = [p.get("points") for p in root.iter(f"{NS}polyline")]
    assert len(lines) == 1 and len((lines[0] or "").split()) == 2  # March to April only
    texts = _texts(root)
    assert texts[:3] == ["Discovery \u00b7 target 7", "10", "0"]
    assert [t for t in texts if t.startswith("2024-")] == list(PERIODS)


def test_a_share_trend_runs_from_0_to_100_percent_without_a_target() -> None:
    chart = charts.trend(
        PERIODS, (Series("Won", (0.5, None, 0.25, 1.0)),), name="w", unit="won of closed",
        title="Won per month", share=True,
    )  # fmt: skip
    root = _parse(chart)
    assert root.findtext(f"{NS}title") == "Won per month"
    texts = _texts(root)
    assert texts[:3] == ["Won", "100%", "0%"]
    circles = [(c.get("cy"), c.findtext(f"{NS}title")) for c in root.iter(f"{NS}circle")]
    # the panel is 56 high from y 26: 50% at 54, 25% at 68, 100% at the top
    assert circles[:3] == [("54", "2024-01: 50%"), ("68", "2024-03: 25%"), ("26", "2024-04: 100%")]
    assert "stroke-dasharray" not in chart and "target" not in texts
    assert "won of closed" in texts


def test_a_long_history_widens_the_trend_instead_of_squeezing_it() -> None:
    periods = [f"{2000 + k // 12}-{k % 12 + 1:02d}" for k in range(60)]
    root = _parse(charts.trend(periods, (Series("x", tuple(float(k) for k in range(60))),)))
    assert int(root.get("width", "0")) == 44 + 8 + 14 * 60
    named = [t for t in _texts(root) if re.fullmatch(r"\d{4}-\d\d", t)]
    assert named[0] == "2000-01" and named[-1] == "2004-12" and 5 <= len(named) <= 20


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (0.3, 0.5), (7, 10), (21, 25), (44, 50), (100, 100), (101, 200)]
)
def test_axes_end_at_round_numbers(value: float, top: float) -> None:
    assert charts.nice_top(value) == pytest.approx(top)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "\u2013"), (math.nan, "\u2013"), (12.0, "12"), (12.34, "12.3"), (1234.5, "1,234")],
)
def test_amounts_read_as_people_write_them(value: float | None, text: str) -> None:
    assert charts.amount(value) == text


def test_colours_meet_wcag_contrast_on_white() -> None:
    for text in (charts.INK, charts.MUTED):
        assert svg.contrast(text, "#ffffff") >= 4.5
    # bars and marks: 3:1 (non-text contrast); the palest band has a dark outline instead
    shapes = (*charts.BANDS[:2], charts.TARGET, charts.REACHED, charts.DECLARED, charts.ACTUAL)
    for colour in (*shapes, charts.WITHIN, charts.LATE, charts.NONE):
        assert svg.contrast(colour, "#ffffff") >= 3, colour


HOSTILE = "<script>alert(1)</script>&\"'"


def test_hostile_names_are_escaped_everywhere() -> None:
    outputs = [
        charts.durations((Spread(HOSTILE, 1, 1, 2, 3, 4, HOSTILE),), name='x"><b'),
        charts.calibration((Calibration(HOSTILE, 0.5, 0.5, 1),)),
        charts.trend((HOSTILE,), (Series(HOSTILE, (1.0,)),)),
        charts.funnel((FunnelStep(HOSTILE, 3, 2.0, HOSTILE),)),
        charts.compliance((Compliance(HOSTILE, 3, 1, 1, HOSTILE, HOSTILE),)),
    ]
    for markup in outputs:
        assert "<script" not in markup and "<b" not in markup
        root = _parse(markup)
        assert any(HOSTILE[:10] in (t.text or "") for t in root.iter())


NUMBER = st.none() | st.floats(allow_nan=True, allow_infinity=True) | st.integers(-5, 10**9)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
COUNT = st.integers(-3, 10**7)


@given(
    spreads=st.lists(st.builds(Spread, TEXT, COUNT, NUMBER, NUMBER, NUMBER, NUMBER, TEXT)),
    cals=st.lists(st.builds(Calibration, TEXT, NUMBER, NUMBER, COUNT)),
    periods=st.lists(TEXT, max_size=40),
    series=st.lists(st.builds(Series, TEXT, st.lists(NUMBER).map(tuple), NUMBER), max_size=4),
    steps=st.lists(st.builds(FunnelStep, TEXT, COUNT, NUMBER, TEXT)),
    handoffs=st.lists(st.builds(Compliance, TEXT, COUNT, COUNT, COUNT, TEXT, TEXT)),
)
def test_any_figures_draw_well_formed_deterministic_svg(
    spreads: list[Spread],
    cals: list[Calibration],
    periods: list[str],
    series: list[Series],
    steps: list[FunnelStep],
    handoffs: list[Compliance],
) -> None:
    def draw() -> list[str]:
        return [
            charts.durations(spreads),
            charts.calibration(cals),
            charts.trend(periods, series),
            charts.trend(periods, series, share=True),
            charts.funnel(steps),
            charts.compliance(handoffs),
        ]

    first = draw()
    assert first == draw()
    for markup in first:
        root = _parse(markup)
        width, height = int(root.get("width", "0")), int(root.get("height", "0"))
        assert width >= 360 and height >= 48
        # integer coordinates inside the drawing: no NaN, no runaway bar
        for element in root.iter():
            for key in ("x", "x1", "x2", "cx", "width", "y", "y1", "y2", "cy", "height"):
                value = element.get(key)
                if value is not None:
                    limit = width if key.startswith(("x", "cx", "w")) else height
                    assert 0 <= int(value) <= limit, (key, value)


def test_a_long_name_keeps_its_line_and_the_figures_go_under_it() -> None:
    name = "Senior sales manager to junior sales manager"
    root = _parse(charts.compliance((Compliance(name, 360, 211, 147, "12 hours"),)))
    texts = [(t.text, t.get("x"), t.get("y")) for t in root.iter(f"{NS}text")]
    assert texts[:2] == [(name, "8", "16"), ("59% within 12 hours \u00b7 n 360", "8", "30")]
    assert _rects(root, charts.WITHIN) == [(8, 202)]  # the bar moves down a line: y 36
    assert [r.get("y") for r in root.iter(f"{NS}rect")][:1] == ["36"]
    short = _parse(charts.compliance((Compliance("MQL", 360, 211, 147, "12 hours"),)))
    assert [t.get("y") for t in short.iter(f"{NS}text")][:2] == ["16", "16"]


def test_an_axis_for_a_subnormal_value_does_not_end_at_zero() -> None:
    # 10.0 ** -324 is 0.0: the axis ended at 0 and the chart divided by it
    assert charts.nice_top(5e-324) == 1e-308
    assert "<svg" in charts.trend(["2024-01"], (Series("x", (), 5e-324),))
