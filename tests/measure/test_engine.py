"""The metrics' SQL on a small history whose every figure is worked out by hand.

The history (see ``DEALS`` and ``LEADS``) is small enough to count on paper;
each expected number below says how it was obtained, so a change to a query
that shifts a figure fails here with the figure named.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from gtmplay.measure import figures as fig
from gtmplay.measure.engine import measure
from gtmplay.model import Playbook, build_playbook

PLAYBOOK: dict[str, Any] = {
    "gtmplay": 1,
    "name": "T",
    "stages": [
        {"id": "discovery", "probability": 10, "forecast": "pipeline", "target_days": 10},
        {"id": "proposal", "probability": 60, "forecast": "best-case", "target_days": 5},
        {"id": "won", "probability": 100, "forecast": "closed", "outcome": "won"},
        {"id": "lost", "probability": 0, "forecast": "omitted", "outcome": "lost"},
    ],
    "lifecycle": [
        {"id": "inquiry", "name": "Inquiry"},
        {"id": "mql", "name": "Marketing Qualified Lead"},
        {"id": "sal", "name": "Sales Accepted Lead"},
        {"id": "sql", "name": "Sales Qualified Lead", "converted": True},
        {"id": "nurture", "name": "Nurture", "kind": "recycle"},
    ],
    "handoffs": [
        {
            "id": "mql-to-sdr",
            "name": "MQL to SDR",
            "from": "marketing",
            "to": "sdr",
            "at": "mql",
            "sla": {"respond_within": "4h", "window": "2d"},
            "on_accept": "sal",
            "on_reject": "nurture",
        }
    ],
}


def d(day: str) -> datetime:
    return datetime.fromisoformat(day)


def stay(record: str, kind: str, name: str, entered: str, exited: str | None = None, **kw: Any):
    return {
        "record_id": record,
        "kind": kind,
        "crm_stage": name,
        "entered_at": d(entered),
        "exited_at": d(exited) if exited else None,
        **kw,
    }


DEALS = [
    # D1: discovery 4 d, proposal 10 d, won on 01-15 (cycle 14 d)
    stay("D1", "deal", "Discovery", "2024-01-01", "2024-01-05", source="web"),
    stay("D1", "deal", "proposal", "2024-01-05", "2024-01-15", source="web"),
    stay("D1", "deal", "Won", "2024-01-15", source="web", outcome="won"),
    # D2: discovery 20 d, then lost
    stay("D2", "deal", "discovery", "2024-01-01", "2024-01-21", source="web"),
    stay("D2", "deal", "lost", "2024-01-21", source="web", outcome="lost"),
    # D3: discovery 6 d, proposal 2 d, back to discovery 2 d, proposal open since 02-11
    stay("D3", "deal", "discovery", "2024-02-01", "2024-02-07", source="event"),
    stay("D3", "deal", "proposal", "2024-02-07", "2024-02-09", source="event"),
    stay("D3", "deal", "discovery", "2024-02-09", "2024-02-11", source="event"),
    stay("D3", "deal", "proposal", "2024-02-11", source="event"),
    # D4: in discovery since 03-01, the latest date of the data (as_of)
    stay("D4", "deal", "discovery", "2024-03-01"),
    # a stage the playbook does not know
    stay("D5", "deal", "Negotiation", "2024-01-03", "2024-01-04"),
]

LEADS = [
    # L1: answered in 1 h, accepted, converted at sql
    stay("L1", "lead", "inquiry", "2024-01-01", "2024-01-02", source="ads"),
    stay(
        "L1",
        "lead",
        "MQL",
        "2024-01-02",
        "2024-01-02 12:00",
        responded_at=d("2024-01-02 01:00"),
        source="ads",
    ),
    stay("L1", "lead", "sal", "2024-01-02 12:00", "2024-01-03", source="ads"),
    stay("L1", "lead", "sql", "2024-01-03", source="ads"),
    # L2: answered in 10 h, rejected with a reason after 24 h
    stay("L2", "lead", "inquiry", "2024-01-01", "2024-01-02", source="ads"),
    stay(
        "L2",
        "lead",
        "mql",
        "2024-01-02",
        "2024-01-03",
        responded_at=d("2024-01-02 10:00"),
        source="ads",
    ),
    stay("L2", "lead", "nurture", "2024-01-03", source="ads", reason="Outside the ICP"),
    # L3: never answered, rejected without a reason after 24 h
    stay("L3", "lead", "inquiry", "2024-01-05", "2024-01-06", source="seo"),
    stay("L3", "lead", "mql", "2024-01-06", "2024-01-07", source="seo"),
    stay("L3", "lead", "nurture", "2024-01-07", source="seo", reason=" "),
    # L4: an MQL nobody took: left behind (open far past the 2 d window)
    stay("L4", "lead", "inquiry", "2024-01-10", "2024-01-11", source="seo"),
    stay("L4", "lead", "mql", "2024-01-11", source="seo"),
    # L5: still an inquiry
    stay("L5", "lead", "inquiry", "2024-01-20", source="seo"),
]


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    return build_playbook(PLAYBOOK)


@pytest.fixture(scope="module")
def m(playbook: Playbook) -> fig.Measurement:
    return measure(playbook, DEALS + LEADS)


def test_counts_and_as_of(m: fig.Measurement) -> None:
    assert (m.rows, m.deals, m.leads) == (24, 5, 5)
    assert m.as_of == "2024-03-01T00:00:00"
    assert m.unmapped == (fig.Unmapped("deal", "Negotiation", 1),)


def test_time_in_stage(m: fig.Measurement) -> None:
    # discovery completed stays 2, 4, 6, 20 d: median (4+6)/2, p75 6+.25*14, p90 6+.7*14
    # proposal completed 2, 10 d; D3's open proposal is 19 d old on 03-01 (target 5)
    assert m.stage_time == (
        fig.StageTime("", "discovery", 5, 4, 5.0, 9.5, 15.8, 10.0, 1, 0, 1),
        fig.StageTime("", "proposal", 3, 2, 6.0, 8.0, 9.2, 5.0, 1, 1, 1),
    )


def test_time_at_lifecycle_steps(m: fig.Measurement) -> None:
    # inquiry: L1-L4 left after 1 d, L5 is still there; mql: L1 12 h, L2 and L3 1 d, L4 open;
    # sal: L1 12 h; sql converts and nurture recycles: neither is on the list
    assert [(s.stage, s.stays, s.completed, s.median_days, s.open) for s in m.step_time] == [
        ("inquiry", 5, 4, 1.0, 1),
        ("mql", 4, 3, 1.0, 1),
        ("sal", 1, 1, 0.5, 0),
    ]


def test_conversion_and_calibration(m: fig.Measurement) -> None:
    # discovery: D1-D4 entered; D1 and D3 went further; of D1 (won) and D2 (lost), one won
    # proposal: D1 and D3 entered; D1 went further and won; D3 is open
    assert m.stage_conversion == (
        fig.StageConversion("", "discovery", 4, 2, 0.5, 1, 2, 0.5, 0.1),
        fig.StageConversion("", "proposal", 2, 1, 0.5, 1, 1, 1.0, 0.6),
    )


def test_cycle_and_backward_moves(m: fig.Measurement) -> None:
    assert m.cycle_length == (
        fig.CycleLength("", "deal", 1, 14.0, 14.0, 14.0),
        fig.CycleLength("", "lead", 1, 2.0, 2.0, 2.0),
    )
    # deal moves: D1 2, D2 1, D3 3 (proposal -> discovery is the backward one)
    # lead moves: L1 3, L2 2, L3 2, L4 1; none backward (nurture comes after)
    assert m.backward_moves == (
        fig.BackwardMoves("", "deal", 6, 1, 1),
        fig.BackwardMoves("", "lead", 8, 0, 0),
    )


def test_handoff_sla(m: fig.Measurement) -> None:
    # 4 arrivals at mql; responses after 1 h and 10 h; within 4 h: L1 only;
    # L4 never left mql and is older than the 48 h window; L2, L3 went to nurture, L3 blank
    assert m.handoff_sla == (
        fig.HandoffSla("mql-to-sdr", "mql", 4, 2, 5.5, 7.75, 9.1, 4.0, 1, 0.25, 48.0, 1, 2, 1),
    )


def test_waterfall(m: fig.Measurement) -> None:
    assert m.waterfall == (
        fig.WaterfallStep("inquiry", 1, 5, "mql", 0.8),
        fig.WaterfallStep("mql", 2, 4, "sal", 0.25),
        fig.WaterfallStep("sal", 3, 1, "sql", 1.0),
        fig.WaterfallStep("sql", 4, 1, None, None),
    )


def test_conversion_by_source(m: fig.Measurement) -> None:
    by_source = [b for b in m.breakdowns if b.dimension == "source"]
    assert by_source == [
        fig.Breakdown("source", "deal", "", "web", 2, 1, 1, 0.5, 0.5),
        fig.Breakdown("source", "deal", "", "", 1, 0, 0, 0.0, None),
        fig.Breakdown("source", "deal", "", "event", 1, 0, 0, 0.0, None),
        fig.Breakdown("source", "lead", "", "seo", 3, 0, 1, 0.0, 0.0),
        fig.Breakdown("source", "lead", "", "ads", 2, 1, 1, 0.5, 0.5),
    ]


def test_time_in_stage_per_month(m: fig.Measurement) -> None:
    months = [
        (p.stage, p.period, p.stays, p.completed, p.median_days)
        for p in m.stage_periods
        if p.grain == "month"
    ]
    assert months == [
        ("discovery", "2024-01-01", 2, 2, 12.0),
        ("discovery", "2024-02-01", 2, 2, 4.0),
        ("discovery", "2024-03-01", 1, 0, None),
        ("proposal", "2024-01-01", 1, 1, 10.0),
        ("proposal", "2024-02-01", 2, 1, 2.0),
    ]
    quarters = {(p.stage, p.period, p.completed) for p in m.stage_periods if p.grain == "quarter"}
    assert quarters == {("discovery", "2024-01-01", 4), ("proposal", "2024-01-01", 2)}


def test_json_round_trip_is_exact_and_stable(m: fig.Measurement) -> None:
    data = fig.to_json(m)
    text = json.dumps(data, sort_keys=True)
    assert fig.from_json(json.loads(text)) == m
    assert data["version"] == fig.SCHEMA_VERSION
    assert data["stage_time"][0]["median_days"] == 5.0


def test_json_of_another_version_is_refused() -> None:
    with pytest.raises(ValueError, match="version 99, expected 1"):
        fig.from_json({"version": 99})


def test_the_figures_module_does_not_load_duckdb() -> None:
    import subprocess
    import sys

    code = "import sys, gtmplay.measure.figures; print('duckdb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_each_result_query_has_the_columns_of_its_figure(playbook: Playbook) -> None:
    from dataclasses import fields

    from gtmplay.measure.engine import connect, load_playbook
    from gtmplay.measure.queries import QUERIES

    figure_of = {
        "stage_time": fig.StageTime,
        "step_time": fig.StageTime,
        "stage_conversion": fig.StageConversion,
        "cycle_length": fig.CycleLength,
        "backward_moves": fig.BackwardMoves,
        "handoff_sla": fig.HandoffSla,
        "waterfall": fig.WaterfallStep,
        "deal_values": fig.DealValues,
        "open_pipeline": fig.OpenPipeline,
    }
    by_prefix = {
        "conversion_by_": fig.Breakdown,
        "stage_time_by_": fig.StagePeriod,
        "revenue_by_": fig.RevenuePeriod,
        "volume_by_": fig.VolumePeriod,
        "stage_conversion_by_": fig.ConversionPeriod,
        "waterfall_by_": fig.WaterfallPeriod,
        "win_rate_by_": fig.ClosePeriod,
    }
    con = connect()
    load_playbook(con, playbook)
    for query in QUERIES:
        cursor = con.execute(
            f"CREATE TEMP VIEW {query.name} AS {query.sql}"
            if query.role == "view"
            else f"SELECT * FROM ({query.sql}) LIMIT 0"
        )
        if query.role == "view":
            continue
        columns = [c[0] for c in cursor.description]
        cls = figure_of.get(query.name) or next(
            c for prefix, c in by_prefix.items() if query.name.startswith(prefix)
        )
        names = [f.name for f in fields(cls)]
        # the waterfall's next step and conversion are derived from consecutive rows
        assert columns == names[: len(columns)], query.name
        assert set(names) - set(columns) <= {"next_step", "conversion"}, query.name


def test_docs_measure_is_current() -> None:
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "gen_measure_docs.py"
    out = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_the_generic_format_as_parquet_gives_the_same_figures(
    playbook: Playbook, m: fig.Measurement, tmp_path: Any
) -> None:
    from gtmplay.measure.engine import connect, load_events

    con = connect()
    load_events(con, DEALS + LEADS)
    path = str(tmp_path / "events.parquet")
    con.execute(f"COPY events TO '{path}' (FORMAT parquet)")
    con.close()
    assert measure(playbook, canonical_files=[path]) == m


def test_the_engine_spills_past_its_memory_limit_to_a_folder_it_removes(
    playbook: Playbook, m: fig.Measurement, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from gtmplay.measure import engine

    seen: list[tuple[str, str, str, bool]] = []
    real = engine.connect

    def spying(spill: str | None = None) -> Any:
        con = real(spill)
        limit, folder = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
        seen.append((str(spill), limit, folder, os.path.isdir(str(spill))))
        return con

    monkeypatch.setattr(engine, "connect", spying)
    assert engine.measure(playbook, DEALS + LEADS) == m
    [(spill, limit, folder, existed)] = seen
    assert (limit, folder, existed) == ("953.6 MiB", spill, True)  # DuckDB's spelling of 1GB
    assert not os.path.exists(spill)


def test_measures_in_a_row_share_one_database_and_leave_no_table_in_it(
    playbook: Playbook, m: fig.Measurement, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from gtmplay.measure import engine

    opened: list[Any] = []
    real = engine._database

    def counting(config: Any) -> Any:
        opened.append(config)
        return real(config)

    monkeypatch.setattr(engine, "_HELD", threading.local())
    monkeypatch.setattr(engine, "_database", counting)
    assert [engine.measure(playbook, DEALS + LEADS) for _ in range(3)] == [m, m, m]
    assert [sorted(c) for c in opened] == [["memory_limit", "temp_directory"]]
    _, database = engine._HELD.database
    assert database.execute("SELECT table_name FROM duckdb_tables()").fetchall() == []


def test_a_database_that_spilled_is_replaced_by_a_new_one(
    playbook: Playbook, m: fig.Measurement, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import os
    import threading

    from gtmplay.measure import engine

    monkeypatch.setattr(engine, "_HELD", threading.local())
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    spilled = engine._spilling(str(first))
    con = spilled.cursor()
    # 400,000 numbers and their hashes do not fit in 16 MB: DuckDB writes into first
    con.execute("SET memory_limit = '16MB'")
    con.execute("CREATE TEMP TABLE big AS SELECT range, md5(range::VARCHAR) FROM range(400000)")
    con.close()
    assert os.listdir(first)
    # DuckDB refuses to move the spill folder of a database that wrote there
    database = engine._spilling(str(second))
    assert database is not spilled
    assert database.execute(
        "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
    ).fetchone() == ("953.6 MiB", str(second))
    assert engine._spilling(str(first)) is database  # one that never wrote moves
    assert engine.measure(playbook, DEALS + LEADS) == m
