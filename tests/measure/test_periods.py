"""Conversion per period: the cohorts of a month and a quarter, worked out by hand.

A small history with two motions across two quarters (``DEALS``, ``LEADS``);
each expected figure says how it was counted. Then the same figures on the
shared Maven export and on a generated history, against a second, plain-Python
computation from the rows.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

import pytest
from tests.measure import support

from gtmplay.measure import figures as fig
from gtmplay.measure import generate
from gtmplay.measure.engine import measure
from gtmplay.model import build_playbook

PLAYBOOK: dict[str, Any] = {
    "gtmplay": 1,
    "name": "T",
    "stages": [
        {"id": "discovery", "probability": 10, "forecast": "pipeline"},
        {"id": "proposal", "probability": 60, "forecast": "best-case"},
        {"id": "won", "probability": 100, "forecast": "closed", "outcome": "won"},
        {"id": "lost", "probability": 0, "forecast": "omitted", "outcome": "lost"},
    ],
    "motions": [
        {"id": "new", "name": "New business", "stages": ["discovery", "proposal", "won", "lost"]},
        {"id": "expansion", "name": "Expansion", "stages": ["proposal", "won", "lost"]},
    ],
    "lifecycle": [
        {"id": "inquiry", "name": "Inquiry"},
        {"id": "mql", "name": "MQL"},
        {"id": "sql", "name": "SQL", "converted": True},
        {"id": "disqualified", "name": "Disqualified", "kind": "disqualified"},
    ],
}


def stay(
    rid: str, kind: str, stage: str, entered: str, motion: str | None = None
) -> dict[str, Any]:
    return {
        "record_id": rid,
        "kind": kind,
        "crm_stage": stage,
        "entered_at": datetime.fromisoformat(entered),
        "motion": motion,
    }


DEALS = [
    # new business
    # N1: discovery in January, proposal in February, won in April
    stay("N1", "deal", "discovery", "2024-01-10", "new"),
    stay("N1", "deal", "proposal", "2024-02-01", "new"),
    stay("N1", "deal", "won", "2024-04-02", "new"),
    # N2: discovery in January, lost in January
    stay("N2", "deal", "discovery", "2024-01-20", "new"),
    stay("N2", "deal", "lost", "2024-01-30", "new"),
    # N3: discovery in March, proposal in April, back to discovery in April (its cohort
    # stays March), lost in May
    stay("N3", "deal", "discovery", "2024-03-05", "new"),
    stay("N3", "deal", "proposal", "2024-04-01", "new"),
    stay("N3", "deal", "discovery", "2024-04-10", "new"),
    stay("N3", "deal", "lost", "2024-05-03", "new"),
    # N4: discovery in April, still open
    stay("N4", "deal", "discovery", "2024-04-15", "new"),
    # expansion
    # E1: proposal in February, won in February
    stay("E1", "deal", "proposal", "2024-02-10", "expansion"),
    stay("E1", "deal", "won", "2024-02-20", "expansion"),
    # E2: proposal in April, won in May
    stay("E2", "deal", "proposal", "2024-04-20", "expansion"),
    stay("E2", "deal", "won", "2024-05-02", "expansion"),
]

LEADS = [
    # January: L1 converts in February, L2 stops at mql, L3 disqualified in January
    stay("L1", "lead", "inquiry", "2024-01-03"),
    stay("L1", "lead", "mql", "2024-01-20"),
    stay("L1", "lead", "sql", "2024-02-05"),
    stay("L2", "lead", "inquiry", "2024-01-15"),
    stay("L2", "lead", "mql", "2024-01-16"),
    stay("L3", "lead", "inquiry", "2024-01-25"),
    stay("L3", "lead", "disqualified", "2024-01-28"),
    # April: L4 converts in April
    stay("L4", "lead", "inquiry", "2024-04-01"),
    stay("L4", "lead", "mql", "2024-04-02"),
    stay("L4", "lead", "sql", "2024-04-09"),
]


@pytest.fixture(scope="module")
def m() -> fig.Measurement:
    return measure(build_playbook(PLAYBOOK), DEALS + LEADS)


def test_stage_conversion_per_month_of_first_entry(m: fig.Measurement) -> None:
    got = [
        (c.motion, c.stage, c.period, c.entered, c.advanced, c.won, c.closed, c.win_rate)
        for c in m.conversion_periods
        if c.grain == "month"
    ]
    assert got == [
        # E1 (Feb) and E2 (Apr): proposal is the first stage; both won
        ("expansion", "proposal", "2024-02-01", 1, 1, 1, 1, 1.0),
        ("expansion", "proposal", "2024-04-01", 1, 1, 1, 1, 1.0),
        # Jan: N1 went on and won, N2 lost; Mar: N3 went on, then lost; Apr: N4 open
        ("new", "discovery", "2024-01-01", 2, 1, 1, 2, 0.5),
        ("new", "discovery", "2024-03-01", 1, 1, 0, 1, 0.0),
        ("new", "discovery", "2024-04-01", 1, 0, 0, 0, None),
        # Feb: N1 won; Apr: N3 went no further than discovery and lost
        ("new", "proposal", "2024-02-01", 1, 1, 1, 1, 1.0),
        ("new", "proposal", "2024-04-01", 1, 0, 0, 1, 0.0),
    ]
    assert [c.conversion for c in m.conversion_periods if c.grain == "month"] == [
        1.0, 1.0, 0.5, 1.0, 0.0, 1.0, 0.0
    ]  # fmt: skip


def test_stage_conversion_per_quarter(m: fig.Measurement) -> None:
    got = [
        (c.motion, c.stage, c.period, c.entered, c.advanced, c.won, c.closed)
        for c in m.conversion_periods
        if c.grain == "quarter"
    ]
    assert got == [
        ("expansion", "proposal", "2024-01-01", 1, 1, 1, 1),
        ("expansion", "proposal", "2024-04-01", 1, 1, 1, 1),
        # Q1: N1, N2, N3 (N3's return in April does not move it); Q2: N4
        ("new", "discovery", "2024-01-01", 3, 2, 1, 3),
        ("new", "discovery", "2024-04-01", 1, 0, 0, 0),
        ("new", "proposal", "2024-01-01", 1, 1, 1, 1),
        ("new", "proposal", "2024-04-01", 1, 0, 0, 1),
    ]


def test_win_rate_per_period_of_close(m: fig.Measurement) -> None:
    got = [
        (c.grain, c.motion, c.kind, c.period, c.closed, c.won, c.lost, c.win_rate)
        for c in m.close_periods
    ]
    assert got == [
        # Feb: E1 won; May: E2 won
        ("month", "expansion", "deal", "2024-02-01", 1, 1, 0, 1.0),
        ("month", "expansion", "deal", "2024-05-01", 1, 1, 0, 1.0),
        # Jan: N2 lost; Apr: N1 won; May: N3 lost; N4 is open
        ("month", "new", "deal", "2024-01-01", 1, 0, 1, 0.0),
        ("month", "new", "deal", "2024-04-01", 1, 1, 0, 1.0),
        ("month", "new", "deal", "2024-05-01", 1, 0, 1, 0.0),
        # leads: L3 disqualified in Jan, L1 converted in Feb, L4 in Apr
        ("month", "", "lead", "2024-01-01", 1, 0, 1, 0.0),
        ("month", "", "lead", "2024-02-01", 1, 1, 0, 1.0),
        ("month", "", "lead", "2024-04-01", 1, 1, 0, 1.0),
        ("quarter", "expansion", "deal", "2024-01-01", 1, 1, 0, 1.0),
        ("quarter", "expansion", "deal", "2024-04-01", 1, 1, 0, 1.0),
        ("quarter", "new", "deal", "2024-01-01", 1, 0, 1, 0.0),
        ("quarter", "new", "deal", "2024-04-01", 2, 1, 1, 0.5),
        ("quarter", "", "lead", "2024-01-01", 2, 1, 1, 0.5),
        ("quarter", "", "lead", "2024-04-01", 1, 1, 0, 1.0),
    ]


def test_waterfall_per_month_of_first_entry(m: fig.Measurement) -> None:
    got = [(w.period, w.step, w.reached, w.conversion) for w in m.waterfall_periods]
    months = [
        # January: L1, L2, L3 inquired; L1 and L2 reached mql; L1 converted
        ("2024-01-01", "inquiry", 3, 0.666667),
        ("2024-01-01", "mql", 2, 0.5),
        ("2024-01-01", "sql", 1, None),
        # April: L4 all the way
        ("2024-04-01", "inquiry", 1, 1.0),
        ("2024-04-01", "mql", 1, 1.0),
        ("2024-04-01", "sql", 1, None),
    ]
    # the quarters (Q1 from January, Q2 from April) hold the same leads as the months
    assert got == months + months
    assert [w.grain for w in m.waterfall_periods] == ["month"] * 6 + ["quarter"] * 6
    assert {w.next_step for w in m.waterfall_periods} == {"mql", "sql", None}


def test_a_period_where_no_lead_reached_a_step_counts_zero() -> None:
    only = [stay("L9", "lead", "inquiry", "2024-06-30")]
    m = measure(build_playbook(PLAYBOOK), only)
    assert [(w.grain, w.period, w.step, w.reached, w.conversion) for w in m.waterfall_periods] == [
        ("month", "2024-06-01", "inquiry", 1, 0.0),
        ("month", "2024-06-01", "mql", 0, None),
        ("month", "2024-06-01", "sql", 0, None),
        ("quarter", "2024-04-01", "inquiry", 1, 0.0),
        ("quarter", "2024-04-01", "mql", 0, None),
        ("quarter", "2024-04-01", "sql", 0, None),
    ]


def test_the_periods_survive_the_json_round_trip(m: fig.Measurement) -> None:
    data = fig.to_json(m)
    assert data["close_periods"][0] == {
        "grain": "month",
        "motion": "expansion",
        "kind": "deal",
        "period": "2024-02-01",
        "closed": 1,
        "won": 1,
        "lost": 0,
        "win_rate": 1.0,
    }
    assert fig.from_json(data) == m


# --- the shared Maven export, counted a second way -------------------------------------

MAVEN = support.MAVEN / "sales_pipeline.csv"


def _month(text: str) -> str:
    return datetime.strptime(text, "%Y-%m-%d").date().replace(day=1).isoformat()


def _quarter(text: str) -> str:
    d = datetime.strptime(text, "%Y-%m-%d").date()
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1).isoformat()


@pytest.mark.skipif(not MAVEN.is_file(), reason="shared/realworld is not here")
def test_maven_win_rate_per_month_of_close_and_engaging_cohorts(
    maven_measured: tuple[Any, fig.Measurement],
) -> None:
    _, m = maven_measured  # maven.yaml measured on MAVEN's folder
    with MAVEN.open(encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle))
    for grain, period in (("month", _month), ("quarter", _quarter)):
        # a deal closes on its close_date, won when its stage says so
        closed: Counter[str] = Counter()
        won: Counter[str] = Counter()
        for r in raw:
            if r["close_date"]:
                closed[period(r["close_date"])] += 1
                won[period(r["close_date"])] += r["deal_stage"] == "Won"
        got = {c.period: (c.closed, c.won) for c in m.close_periods if c.grain == grain}
        assert got == {p: (closed[p], won[p]) for p in closed}, grain
        # Engaging's cohort: deals engaged in the period; those that closed, and won
        cohort: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in raw:
            if r["engage_date"]:
                cohort[period(r["engage_date"])].append(r)
        engaging = {
            c.period: (c.entered, c.advanced, c.closed, c.won)
            for c in m.conversion_periods
            if c.grain == grain and c.stage == "engaging"
        }
        assert engaging == {
            p: (
                len(rs),
                sum(r["deal_stage"] == "Won" for r in rs),
                sum(r["deal_stage"] in ("Won", "Lost") for r in rs),
                sum(r["deal_stage"] == "Won" for r in rs),
            )
            for p, rs in cohort.items()
        }, grain
    # a few months checked by eye against the file: the first month of closes, and the busiest
    months = {c.period: c for c in m.close_periods if c.grain == "month"}
    assert min(months) == "2017-03-01"
    assert sum(c.closed for c in months.values()) == 4238 + 2473
    # Prospecting has no dates in this export: no cohort, rather than a cohort of "no month"
    assert not [c for c in m.conversion_periods if c.stage == "prospecting"]


def test_period_cohorts_add_up_to_the_totals_on_a_generated_history() -> None:
    # every stay of a generated history has a date, so the cohorts partition the records
    pb = build_playbook(PLAYBOOK)
    out = io.StringIO()
    generate.write_events(out, generate.history(pb, seed=11, deals=400, leads=400))
    out.seek(0)
    events = list(csv.DictReader(out))
    m = measure(pb, [{k: (v or None) for k, v in e.items()} for e in events])
    for grain in ("month", "quarter"):
        sums: Counter[tuple[str, str, str]] = Counter()
        for c in m.conversion_periods:
            if c.grain == grain:
                for field in ("entered", "advanced", "won", "closed"):
                    sums[(c.motion, c.stage, field)] += getattr(c, field)
        for c in m.stage_conversion:
            for field in ("entered", "advanced", "won", "closed"):
                assert sums[(c.motion, c.stage, field)] == getattr(c, field), (grain, c, field)
        reached: Counter[str] = Counter()
        for w in m.waterfall_periods:
            if w.grain == grain:
                reached[w.step] += w.reached
        assert dict(reached) == {w.step: w.reached for w in m.waterfall}
        closes: Counter[tuple[str, str]] = Counter()
        for p in m.close_periods:
            if p.grain == grain:
                closes[(p.motion, p.kind)] += p.won
        assert closes == Counter({(c.motion, c.kind): c.won for c in m.cycle_length})
