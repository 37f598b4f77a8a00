"""Revenue, volume, pipeline and velocity KPIs on a history worked out by hand.

Six deals in the generic event format (``HISTORY``); every expected figure
below says how it was counted. The date of the data is 2024-04-02 (D6's win),
so April is not complete and the last complete month is March.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gtmplay.measure import figures as fig
from gtmplay.measure.events import EVENT_COLUMN_NAMES
from gtmplay.services.measure import measure_path

STAGES = """\
gtmplay: 1
name: T
measure: {min_sample: 1}
stages:
  - {id: discovery, name: Discovery, probability: 10, forecast: pipeline}
  - {id: proposal, name: Proposal, probability: 60, forecast: best-case}
  - {id: won, name: Won, probability: 100, forecast: closed, outcome: won}
  - {id: lost, name: Lost, probability: 0, forecast: omitted, outcome: lost}
"""

# record, stage, entered, exited, amount
HISTORY = [
    # D1: won 02-10 for 1,000 (the won row's amount, later than the 800 of its proposal)
    ("D1", "discovery", "2024-01-05", "2024-01-20", ""),
    ("D1", "proposal", "2024-01-20", "2024-02-10", "800"),
    ("D1", "won", "2024-02-10", "", "1000"),
    # D2: won 03-05 for 500, skipping proposal (it still passed it)
    ("D2", "discovery", "2024-01-10", "2024-03-05", ""),
    ("D2", "won", "2024-03-05", "", "500"),
    # D3: lost
    ("D3", "discovery", "2024-02-01", "2024-02-20", "300"),
    ("D3", "lost", "2024-02-20", "", ""),
    # D4: open in proposal with 2,000
    ("D4", "discovery", "2024-02-15", "2024-03-01", ""),
    ("D4", "proposal", "2024-03-01", "", "2000"),
    # D5: open in discovery, no amount
    ("D5", "discovery", "2024-03-10", "", ""),
    # D6: won 04-02 for 700 (the date of the data)
    ("D6", "discovery", "2024-03-20", "2024-04-02", ""),
    ("D6", "won", "2024-04-02", "", "700"),
]


def write(tmp_path: Path, kpis: str, with_amount: bool = True) -> tuple[str, str]:
    playbook = tmp_path / "playbook.yaml"
    playbook.write_text(STAGES + "kpis:\n" + kpis, encoding="utf-8")
    data = tmp_path / "events.csv"
    columns = [c for c in EVENT_COLUMN_NAMES if with_amount or c != "amount"]
    with data.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns, extrasaction="ignore")
        writer.writeheader()
        for record, stage, entered, exited, amount in HISTORY:
            writer.writerow(
                {"record_id": record, "kind": "deal", "crm_stage": stage, "stage": stage}
                | {"entered_at": entered, "exited_at": exited, "amount": amount}
            )
    return str(playbook), str(data)


def run(tmp_path: Path, kpis: str, with_amount: bool = True) -> tuple[list[str], fig.Measurement]:
    playbook, data = write(tmp_path, kpis, with_amount)
    result, m = measure_path(playbook, (data,))
    assert m is not None
    return [f"{f.line}:{f.column} {f.rule} {f.message}" for f in result.findings], m


KPIS = """\
  - {id: revenue, name: Revenue, kind: revenue, unit: currency, frequency: monthly, target: 1000}
  - {id: bookings, name: Bookings, kind: revenue, unit: currency, frequency: quarterly}
  - {id: proposals, name: Proposals, kind: volume, unit: count, to: proposal, target: 1}
  - {id: pipeline, name: Pipeline, kind: pipeline, unit: currency, from: proposal}
  - {id: all-pipeline, name: All pipeline, kind: pipeline, unit: currency}
  - {id: velocity, name: Velocity, kind: velocity, unit: currency, target: 40}
  - {id: won-per-day, name: Won per day, kind: velocity, unit: count}
"""


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], fig.Measurement]:
    """The KPIS playbook measured once for the tests that read it (frozen figures)."""
    return run(tmp_path_factory.mktemp("kpis"), KPIS)


def test_sums_per_deal_take_its_latest_amount(measured: tuple[list[str], fig.Measurement]) -> None:
    _, m = measured
    # D1..D6; amounts on D1 (1,000), D2, D3, D4, D6; open D4, D5; won D1, D2, D6; lost D3
    assert m.deal_values == (fig.DealValues("", 6, 5, 2, 3, 1, 3, 2200.0),)
    assert m.open_pipeline == (
        fig.OpenPipeline("", "discovery", 1, 1, 0, None),
        fig.OpenPipeline("", "proposal", 2, 1, 1, 2000.0),
    )
    months = [(r.period, r.won, r.amount) for r in m.revenue_periods if r.grain == "month"]
    assert months == [("2024-02-01", 1, 1000.0), ("2024-03-01", 1, 500.0), ("2024-04-01", 1, 700.0)]
    weeks = [r.period for r in m.revenue_periods if r.grain == "week"]
    assert weeks == ["2024-02-05", "2024-03-04", "2024-04-01"]  # Mondays


def test_revenue_is_the_last_complete_period(measured: tuple[list[str], fig.Measurement]) -> None:
    _, m = measured
    by_id = {k.kpi: k for k in m.kpis}
    revenue = by_id["revenue"]
    assert (revenue.value, revenue.sample, revenue.period, revenue.grain) == (
        500.0,
        1,
        "2024-03-01",
        "month",
    )
    assert revenue.met is False
    assert [
        (p.period, p.value, p.sample, p.complete) for p in m.kpi_periods if p.kpi == "revenue"
    ] == [
        ("2024-02-01", 1000.0, 1, True),
        ("2024-03-01", 500.0, 1, True),
        ("2024-04-01", 700.0, 1, False),  # the data ends on 04-02
    ]
    # the first quarter: D1 and D2
    bookings = by_id["bookings"]
    assert (bookings.value, bookings.sample, bookings.period) == (1500.0, 2, "2024-01-01")


def test_volume_counts_records_reaching_the_step(
    measured: tuple[list[str], fig.Measurement],
) -> None:
    _, m = measured
    # proposal reached: D1 01-20, D2 03-05 (through won), D4 03-01, D6 04-02; D3 was lost
    series = [(p.period, p.value, p.complete) for p in m.kpi_periods if p.kpi == "proposals"]
    assert series == [
        ("2024-01-01", 1.0, True),  # the data starts in January
        ("2024-02-01", 0.0, True),
        ("2024-03-01", 2.0, True),
        ("2024-04-01", 1.0, False),
    ]
    proposals = next(k for k in m.kpis if k.kpi == "proposals")
    assert (proposals.value, proposals.sample, proposals.met) == (2.0, 2, True)


def test_pipeline_and_velocity(measured: tuple[list[str], fig.Measurement]) -> None:
    _, m = measured
    by_id = {k.kpi: k for k in m.kpis}
    # from proposal: D4's 2,000; over every open stage: D4 (D5 has no amount)
    assert (by_id["pipeline"].value, by_id["pipeline"].sample) == (2000.0, 1)
    assert (by_id["all-pipeline"].value, by_id["all-pipeline"].sample) == (2000.0, 1)
    # 2 open x 3/4 won x (1,000 + 500 + 700) / 3 / median(36, 55, 13) = 36 days
    assert by_id["velocity"].value == round(2 * 0.75 * 2200 / 3 / 36, 6) == 30.555556
    assert (by_id["velocity"].sample, by_id["velocity"].met) == (4, False)
    assert [(f.factor, f.value) for f in m.kpi_factors if f.kpi == "velocity"] == [
        ("open_deals", 2.0),
        ("win_rate", 0.75),
        ("average_won_amount", 733.333333),
        ("median_cycle_days", 36.0),
    ]
    assert by_id["won-per-day"].value == round(2 * 0.75 / 36, 6)


def test_findings_name_the_period(measured: tuple[list[str], fig.Measurement]) -> None:
    findings, _ = measured
    assert [f for f in findings if "GTM607" in f] == [
        '10:93 GTM607 KPI "Revenue" measured 500 in 2024-03 over 1 record; its target is '
        "1,000 or more",
        '15:76 GTM607 KPI "Velocity" measured 30.6 per day over 4 records; its target is '
        "40 per day or more",
    ]


def test_coverage_divides_by_the_one_revenue_target(tmp_path: Path) -> None:
    _, m = run(
        tmp_path,
        "  - {id: revenue, name: Revenue, kind: revenue, unit: currency, target: 1000}\n"
        "  - {id: coverage, name: Coverage, kind: pipeline, unit: ratio, target: 3}\n",
    )
    coverage = next(k for k in m.kpis if k.kpi == "coverage")
    assert (coverage.value, coverage.sample, coverage.met) == (2.0, 1, False)
    assert [(f.factor, f.value) for f in m.kpi_factors] == [
        ("open_pipeline", 2000.0),
        ("revenue_target", 1000.0),
    ]


def test_coverage_without_one_revenue_kpi_says_why(tmp_path: Path) -> None:
    _, m = run(tmp_path, "  - {id: coverage, name: Coverage, kind: pipeline, unit: ratio}\n")
    assert m.kpis[0].value is None
    assert m.kpis[0].note == (
        "not computable from this data: coverage divides the open pipeline by the target of "
        "the playbook's one revenue KPI, and it has 0"
    )


def test_without_an_amount_column_the_kpis_are_listed_not_dropped(tmp_path: Path) -> None:
    findings, m = run(tmp_path, KPIS, with_amount=False)
    notes = {k.kpi: k.note for k in m.kpis}
    assert notes == {
        "revenue": "not computable from this data: no amount column (no won deal has an amount)",
        "bookings": "not computable from this data: no amount column (no won deal has an amount)",
        "proposals": None,  # a count needs no amount
        "pipeline": "not computable from this data: no amount column (no open deal has an amount)",
        "all-pipeline": "not computable from this data: no amount column "
        "(no open deal has an amount)",
        "velocity": "not computable from this data: no amount column (no won deal has an amount)",
        "won-per-day": None,
    }
    assert all(k.value is None and k.met is None for k in m.kpis if k.note)
    assert not [f for f in findings if "Revenue" in f or "Velocity" in f]


def test_a_unit_the_kind_cannot_have_is_said(tmp_path: Path) -> None:
    _, m = run(tmp_path, "  - {id: r, name: R, kind: revenue, unit: percent}\n")
    assert (
        m.kpis[0].note == "not computable from this data: a revenue KPI is in currency, not percent"
    )


def test_kpi_figures_survive_their_json(measured: tuple[list[str], fig.Measurement]) -> None:
    _, m = measured
    assert fig.from_json(fig.to_json(m)) == m


def test_the_terminal_table_names_the_period_the_factors_and_the_notes(tmp_path: Path) -> None:
    from gtmplay.model import build_playbook
    from gtmplay.services.measure_table import render

    kpis = (
        "  - {id: revenue, name: Revenue, kind: revenue, unit: currency, target: 1000}\n"
        "  - {id: velocity, name: Velocity, kind: velocity, unit: currency}\n"
        "  - {id: coverage, name: Coverage, kind: pipeline, unit: ratio}\n"
    )
    _, m = run(tmp_path, kpis)
    playbook = build_playbook({"gtmplay": 1, "name": "T"})
    table = render(playbook, m).split("\nKPIs\n")[1].split("\n\n")[0].splitlines()
    assert table == [
        "  kpi                value  target  records  met",
        "  revenue   500 in 2024-03   1,000        1   no",
        "  velocity            30.6       -        4    -",
        "  coverage               2       -        1    -",
        "  velocity = 2 open deals x 75.0% win rate x 733.3 average won amount "
        "/ 36 median cycle days",
        "  coverage = 2,000 open pipeline / 1,000 revenue target",
    ]


def test_a_deal_takes_the_stage_of_its_latest_stay_and_its_latest_amount() -> None:
    # the ``deals`` view on hand-made stays: both columns come from one ordering
    # (latest moment, then furthest position, then larger amount)
    import duckdb

    from gtmplay.measure.queries import BY_NAME

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE stays (kind VARCHAR, record_id VARCHAR, motion VARCHAR, stage VARCHAR,"
        " position INTEGER, amount DOUBLE, entered_at TIMESTAMP, exited_at TIMESTAMP)"
    )
    con.execute(
        "INSERT INTO stays VALUES"
        # A: its latest stay has no amount: the amount is the one before it
        " ('deal', 'A', '', 'discovery', 1, 300, '2024-01-01', '2024-01-05'),"
        " ('deal', 'A', '', 'proposal', 2, NULL, '2024-01-05', NULL),"
        # B: two stays at the same moment: the further stage; its two amounts: the larger
        " ('deal', 'B', '', 'discovery', 1, 900, '2024-02-01', NULL),"
        " ('deal', 'B', '', 'proposal', 2, 100, '2024-02-01', NULL),"
        " ('deal', 'B', '', 'proposal', 2, 400, '2024-02-01', NULL),"
        # C: a stay with no date comes after the dated ones, however far it is
        " ('deal', 'C', '', 'proposal', 2, 50, NULL, NULL),"
        " ('deal', 'C', '', 'discovery', 1, NULL, '2024-03-01', NULL),"
        # D: no amount anywhere; E: a lead is not a deal
        " ('deal', 'D', '', 'discovery', 1, NULL, '2024-04-01', NULL),"
        " ('lead', 'E', '', 'mql', 1, 10, '2024-04-01', NULL)"
    )
    con.execute(
        "CREATE TABLE outcomes AS SELECT DISTINCT kind, record_id, motion, 0 AS won,"
        " 0 AS lost, CAST(NULL AS TIMESTAMP) AS won_at FROM stays"
    )
    rows = con.execute(
        f"SELECT record_id, stage, position, amount FROM ({BY_NAME['deals'].sql}) ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("A", "proposal", 2, 300.0),
        ("B", "proposal", 2, 400.0),
        ("C", "discovery", 1, 50.0),
        ("D", "discovery", 1, None),
    ]
