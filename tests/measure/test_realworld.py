"""``gtmplay measure`` on the shared real CRM exports, checked against a second,
plain-Python computation of the same figures from the raw files.

The expected numbers are not copied from gtmplay's output: each test reads
the export with the ``csv`` module and counts for itself (the README of
shared/realworld/crm-history gives some of them: Won 4,238 / Lost 2,473,
Engaging median 45 d, EdTech 358 -> 194 -> 115 -> 64, 211 called the same day).
"""

from __future__ import annotations

import csv
import statistics
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from tests.measure.support import DATA, PLAYBOOKS

from gtmplay.measure import figures as fig
from gtmplay.services.measure import measure_path

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="shared/realworld is not here")


def _measure(playbook: str, folder: str) -> tuple[list[str], fig.Measurement]:
    result, m = measure_path(str(PLAYBOOKS / playbook), (str(DATA / folder),))
    assert m is not None
    return [f"{f.line}:{f.column} {f.rule} {f.message}" for f in result.findings], m


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def quantile(values: list[float], q: float) -> float:
    """Continuous quantile (linear interpolation), the definition docs/measure.md gives."""
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


@pytest.fixture(scope="module")
def maven(maven_measured: tuple[Any, fig.Measurement]) -> tuple[list[str], fig.Measurement]:
    """``_measure("maven.yaml", "maven-crm-sales-opportunities")``, from the session's run."""
    result, m = maven_measured
    return [f"{f.line}:{f.column} {f.rule} {f.message}" for f in result.findings], m


def test_maven_win_rate_and_engaging_time(maven: tuple[list[str], fig.Measurement]) -> None:
    findings, m = maven
    raw = _rows(DATA / "maven-crm-sales-opportunities" / "sales_pipeline.csv")
    won = sum(r["deal_stage"] == "Won" for r in raw)
    lost = sum(r["deal_stage"] == "Lost" for r in raw)
    assert (len(raw), won, lost) == (8800, 4238, 2473)
    day = lambda s: datetime.strptime(s, "%Y-%m-%d")  # noqa: E731
    days = [(day(r["close_date"]) - day(r["engage_date"])).days for r in raw if r["close_date"]]
    open_ = [r for r in raw if r["engage_date"] and not r["close_date"]]
    as_of = max(day(r["close_date"]) for r in raw if r["close_date"])
    past = sum((as_of - day(r["engage_date"])).days > 30 for r in open_)

    assert (m.deals, m.bad_row_count, m.unmapped) == (8800, 0, ())
    (prospecting, engaging) = m.stage_conversion
    assert (engaging.closed, engaging.won) == (won + lost, won)
    assert engaging.win_rate == round(won / (won + lost), 6) == 0.631501
    st = {s.stage: s for s in m.stage_time}["engaging"]
    assert st.completed == len(days)
    assert st.median_days == statistics.median(days) == 45
    assert st.p90_days == quantile(days, 0.9)
    assert (st.open, st.open_past_target) == (len(open_), past)
    assert prospecting.entered == 8800
    assert m.backward_moves[0].backward == 0
    assert findings == [
        '5:55 GTM603 63.2% of the 6,711 closed deals that reached "Prospecting" were won; '
        "it declares a probability of 10%",
        '6:87 GTM601 Deals spent a median of 45 days in "Engaging" (p90 104 days, 6,711 '
        "stays), over its 30-day target",
        f'6:87 GTM602 1,571 of {len(open_):,} open deals in "Engaging" have been there longer '
        "than its 30-day target (data as of 2017-12-31)",
        '13:13 GTM607 KPI "Sales cycle" measured 57 days over 4,238 records; its target is '
        "40 days or less",
    ]


def test_salesforce_sample_every_duration_zero_and_no_loss() -> None:
    findings, m = _measure("salesforce.yaml", "salesforce-sample-org-opportunity-history")
    opps = _rows(DATA / "salesforce-sample-org-opportunity-history" / "Opportunity.csv")
    won = sum(r["IsWon"] == "1" for r in opps)
    assert (m.deals, won) == (31, 18)
    assert m.cycle_length == (fig.CycleLength("", "deal", 18, 0.0, 0.0, 0.0),)
    # every stay starts at the same instant: nothing completed, nothing past a target
    assert all(s.completed == 0 and s.open_past_target == 0 for s in m.stage_time)
    by_source = [b for b in m.breakdowns if b.dimension == "source"]
    assert sum(b.won for b in by_source) == 18
    assert sum(b.lost for b in by_source) == 0
    assert all(c.win_rate in (None, 1.0) for c in m.stage_conversion)
    assert m.unmapped == ()
    assert findings == []  # too few deals for any finding (min_sample 30)


def test_edtech_funnel_and_response_times() -> None:
    findings, m = _measure("edtech.yaml", "edtech-lead-funnel")
    folder = DATA / "edtech-lead-funnel"
    calls = _rows(folder / "leads_interaction_details.csv")
    assigned = {r["lead_id"]: r["assigned_date"] for r in _rows(folder / "sales_managers_assigned_leads_details.csv")}  # fmt: skip  # noqa: E501
    reached = {
        stage: len({c["lead_id"] for c in calls if c["lead_stage"] == stage})
        for stage in ("lead", "awareness", "consideration", "conversion")
    }
    assert reached == {"lead": 358, "awareness": 194, "consideration": 115, "conversion": 64}
    md = lambda s: datetime.strptime(s, "%m/%d/%Y")  # noqa: E731
    first: dict[str, datetime] = {}
    for c in calls:
        when = md(c["call_done_date"])
        first[c["lead_id"]] = min(first.get(c["lead_id"], when), when)
    same_day = sum(first.get(lead) == md(day) for lead, day in assigned.items())
    assert same_day == 211

    # every assigned lead is at the first step; 358 of them were ever called
    assert [(w.step, w.reached) for w in m.waterfall] == [
        ("lead", len(assigned)),
        ("awareness", 194),
        ("consideration", 115),
        ("conversion", 64),
    ]
    # days at "lead": from the assignment to the first awareness call
    first_awareness: dict[str, datetime] = {}
    for c in calls:
        if c["lead_stage"] == "awareness":
            when = md(c["call_done_date"])
            first_awareness[c["lead_id"]] = min(first_awareness.get(c["lead_id"], when), when)
    lead_days = [
        (first_awareness[k] - md(v)).days for k, v in assigned.items() if k in first_awareness
    ]
    lead = m.step_time[0]
    assert (lead.stage, lead.completed, lead.open) == ("lead", 194, len(assigned) - 194)
    assert lead.median_days == statistics.median(lead_days)
    (h,) = m.handoff_sla
    assert (h.arrivals, h.responded, h.within_sla) == (360, 358, same_day)
    assert h.median_response_hours == 0.0
    assert [f.split(" ", 2)[1] for f in findings] == ["GTM604", "GTM605", "GTM607"]


def test_x_education_conversion_by_source() -> None:
    findings, m = _measure("xeducation.yaml", "x-education-leads")
    with (DATA / "x-education-leads" / "Leads.csv").open(encoding="utf-8", newline="") as h:
        raw = list(csv.DictReader(h))
    expected: dict[str, tuple[int, int]] = {}
    for r in raw:
        source = r["Lead Source"] if r["Lead Source"] not in ("", "Select") else ""
        n, won = expected.get(source, (0, 0))
        expected[source] = (n + 1, won + (r["Converted"] == "1"))
    got = {
        b.value: (b.records, b.won)
        for b in m.breakdowns
        if b.dimension == "source" and b.kind == "lead"
    }
    assert got == expected
    assert round(expected["Google"][1] / expected["Google"][0], 2) == 0.40
    assert round(expected["Reference"][1] / expected["Reference"][0], 2) == 0.92
    assert m.leads == len(raw) == 9240
    # 38.5% against a 40% target is within the default 10% tolerance: no GTM607
    assert [k.value for k in m.kpis] == [round(sum(r["Converted"] == "1" for r in raw) / 92.4, 6)]
    assert findings == []


def test_every_file_of_the_corpus_reads_or_says_why() -> None:
    """Whatever is added to the shared data: a read, or a usage error, never a traceback."""
    from gtmplay.errors import UsageError
    from gtmplay.measure.readers import read_inputs

    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        try:
            read = read_inputs([str(folder)])
        except UsageError as exc:
            assert str(folder) in str(exc)
            continue
        assert read.files
        assert read.bad_row_count == len(read.bad_rows) or read.bad_row_count > 100


def test_maven_revenue_volume_and_velocity_from_close_value() -> None:
    findings, m = _measure("maven-kpis.yaml", "maven-crm-sales-opportunities")
    raw = _rows(DATA / "maven-crm-sales-opportunities" / "sales_pipeline.csv")
    won = [r for r in raw if r["deal_stage"] == "Won"]
    closed = [r for r in raw if r["deal_stage"] in ("Won", "Lost")]
    # the data ends on 2017-12-31 (its last close date): December and Q4 are complete
    assert max(r["close_date"] for r in closed) == "2017-12-31"
    month: dict[str, float] = {}
    quarter: dict[str, float] = {}
    for r in won:
        day = r["close_date"]
        month[day[:7]] = month.get(day[:7], 0.0) + float(r["close_value"])
        q = f"{day[:4]}-{(int(day[5:7]) - 1) // 3 * 3 + 1:02}"
        quarter[q] = quarter.get(q, 0.0) + float(r["close_value"])
    kpis = {k.kpi: k for k in m.kpis}
    december = [r for r in won if r["close_date"].startswith("2017-12")]
    assert (kpis["revenue"].value, kpis["revenue"].sample, kpis["revenue"].period) == (
        month["2017-12"],
        len(december),
        "2017-12-01",
    )
    series = {p.period[:7]: p.value for p in m.kpi_periods if p.kpi == "revenue"}
    assert series == month  # every month from the first win has one
    assert kpis["bookings"].value == quarter["2017-10"]
    # deals that reached Engaging (or closed, which passed it), by the month they did
    reached = [
        r["engage_date"] or r["close_date"] for r in raw if r["engage_date"] or r["close_date"]
    ]
    assert kpis["new-deals"].value == sum(d.startswith("2017-12") for d in reached)
    # velocity: open deals x win rate x average won amount / median cycle days
    day = lambda s: datetime.strptime(s, "%Y-%m-%d")  # noqa: E731
    cycle = statistics.median((day(r["close_date"]) - day(r["engage_date"])).days for r in won)
    open_deals = len(raw) - len(closed)
    average = sum(float(r["close_value"]) for r in won) / len(won)
    factors = {f.factor: f.value for f in m.kpi_factors if f.kpi == "velocity"}
    assert factors == {
        "open_deals": open_deals,
        "win_rate": round(len(won) / len(closed), 6),
        "average_won_amount": round(average, 6),
        "median_cycle_days": cycle,
    }
    assert kpis["velocity"].value == round(open_deals * len(won) / len(closed) * average / cycle, 6)
    # Maven records no value on its open deals: no pipeline, and it says so
    assert kpis["pipeline"].note == (
        "not computable from this data: no amount column (no open deal has an amount)"
    )
    assert [f for f in findings if "GTM607" in f] == [
        f'10:93 GTM607 KPI "Revenue" measured {month["2017-12"]:,.0f} in 2017-12 over '
        f"{len(december):,} records; its target is 1,500,000 or more",
        f'12:111 GTM607 KPI "Deals engaged" measured {kpis["new-deals"].value:,.0f} in 2017-12 '
        f"over {kpis['new-deals'].sample:,} records; its target is 500 or more",
    ]
