"""What the warehouse tests share: the data as measure maps it, and the comparison.

tests/measure/test_postgres.py and test_spark.py run the SQL that ``build
--only sql`` writes for their dialect on a real engine, on the same inputs:
the shared Maven and EdTech exports and :data:`EDGES`. Each gives back the
rows of every result view; :func:`check` holds them to the rows DuckDB's own
queries give.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.measure.support import DATA, PLAYBOOKS

from gtmplay.measure import engine
from gtmplay.measure.events import EVENT_COLUMN_NAMES
from gtmplay.measure.queries import QUERIES

# the real data sets, with at least the result rows they give today (more data
# may be added to the shared folders, and more rows with it)
REAL = [
    ("maven.yaml", "maven-crm-sales-opportunities", 72),
    ("edtech.yaml", "edtech-lead-funnel", 34),
]

# Fractions of a second (0.9 s to 1.1 s crosses one second boundary: DuckDB counts
# 1), text whose byte order and linguistic order differ (one deal's sources 'a'
# and 'B': DuckDB's MAX is 'a'), a reason of a tab (DuckDB's TRIM keeps it).
# Read with the Maven playbook; 55 result rows: 21, and 34 of the KPI sums
# (deal_values 1, open_pipeline 1: d3 in Engaging, revenue 1 per grain: d1's
# win; volume 28: prospecting and engaging reached in 3 days, 3 weeks, 3 months,
# 1 quarter each, won and lost once per grain).
EDGES = """\
record_id,kind,crm_stage,entered_at,exited_at,source,reason
d1,deal,Prospecting,2017-01-01 00:00:00.900,2017-01-01 00:00:01.100,a,
d1,deal,Engaging,2017-01-01 00:00:01.100,2017-01-05 10:00:00.500,B,
d1,deal,Won,2017-01-05 10:00:00.500,,B,
d2,deal,Prospecting,2017-02-01 12:00:00,2017-02-03 12:00:00.999,b,
d2,deal,Engaging,2017-02-03 12:00:00.999,2017-03-10 08:30:00.250,Z,
d2,deal,Lost,2017-03-10 08:30:00.250,,Z,"\t"
d3,deal,Prospecting,2017-03-01 09:15:30.750,2017-03-02 09:15:30.250,é,
d3,deal,Engaging,2017-03-02 09:15:30.250,,E,
"""
# 55 rows, and 11 of conversion per period: the stage cohorts (2 stages x Jan, Feb,
# Mar; 2 x Q1), the closes (d1 won in January, d2 lost in March; both in Q1)
EDGE_ROWS = 55 + 11

# A percentile is interpolated as lo * (1 - d) + hi * d by DuckDB and as
# lo + (hi - lo) * d by PostgreSQL and Spark: the same number, but the last bit
# can differ. These columns are compared within 1e-15 and after the figures'
# 6-decimal rounding; every other value bit for bit.
QUANTILE_COLUMNS = ("median_", "p75_", "p90_")


def mapped_events(playbook_file: str, inputs: tuple[str, ...]) -> tuple[Any, Any]:
    """The playbook, and a DuckDB connection with the inputs' events as measure maps them."""
    from gtmplay.crm.measure_names import crm_names
    from gtmplay.measure.mapping import names
    from gtmplay.measure.readers import read_inputs
    from gtmplay.pipeline import check_path

    playbook = check_path(str(PLAYBOOKS / playbook_file), rules=False).playbook
    assert playbook is not None
    read = read_inputs(inputs, None, None)
    assert read.bad_row_count == 0
    con = engine.connect()
    engine.load_playbook(con, playbook)
    engine.load_events(con, read.events)
    for path in read.canonical:
        assert engine.load_canonical(con, path) == []
    engine.resolve_motions(con, playbook)
    engine.map_stages(con, names(playbook, list(crm_names(playbook))))
    engine.assign_motions(con, playbook)
    return playbook, con


def inputs(case: str, tmp_path: Path) -> tuple[str, ...]:
    """The input paths of a case: a shared data set's folder, or 'edges'."""
    if case != "edges":
        return (str(DATA / case),)
    path = tmp_path / "edges.csv"
    path.write_text(EDGES, encoding="utf-8")
    return (str(path),)


def write_events(con: Any, path: Path) -> None:
    """The canonical events as CSV: NULL empty, the empty string quoted."""
    cols = ", ".join(EVENT_COLUMN_NAMES)
    con.execute(f"COPY (SELECT {cols} FROM events) TO '{path}' (FORMAT csv, HEADER)")


def _without(row: tuple[Any, ...], columns: list[int]) -> tuple[Any, ...]:
    return tuple(v for i, v in enumerate(row) if i not in columns)


def _key(row: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(repr(v) for v in row)


def check(con: Any, rows_of: Callable[[str, list[str], list[Any]], list[tuple[Any, ...]]]) -> int:
    """Every result view as DuckDB computes it; returns how many rows were compared.

    ``rows_of(view, columns, like)`` gives the warehouse's rows of ``view``, its
    values as the Python types of ``like`` (DuckDB's first value that is not NULL
    in each column).
    """
    engine.run(con)  # the engine's own views, for its result queries below
    compared = 0
    for query in QUERIES:
        if query.role != "result":
            continue
        expected = sorted(con.execute(query.sql).fetchall(), key=_key)
        names = [d[0] for d in con.execute(f"SELECT * FROM ({query.sql}) LIMIT 0").description]
        like = [next((r[i] for r in expected if r[i] is not None), "") for i in range(len(names))]
        got = sorted(rows_of(query.name, names, like), key=_key)
        assert len(got) == len(expected), query.name
        quantiles = [i for i, n in enumerate(names) if n.startswith(QUANTILE_COLUMNS)]
        assert [_without(r, quantiles) for r in got] == [
            _without(r, quantiles) for r in expected
        ], query.name
        for g, e in zip(got, expected, strict=True):
            for i in quantiles:
                assert (g[i] is None) == (e[i] is None), (query.name, g, e)
                if e[i] is not None:
                    assert math.isclose(g[i], e[i], rel_tol=1e-15), (query.name, names[i], g, e)
                    assert round(g[i], 6) == round(e[i], 6)  # the figures' rounding
        compared += len(got)
    return compared
