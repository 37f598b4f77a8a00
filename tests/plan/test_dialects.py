"""The per-warehouse rewrites of :mod:`gtmplay.measure.dialects`.

Three kinds of check: the SQL each dialect gets is the reviewed golden file
(``scripts/regen_golden_sql.py`` writes them); the constructs that differ
between warehouses are written the way each warehouse computes DuckDB's
figures; and the rewritten query shapes (BigQuery's window percentiles in a
subquery, Databricks' exact PERCENTILE and truncated second differences) run
on DuckDB, with DuckDB's names for the functions, to the same rows as the
queries ``gtmplay measure`` runs. tests/measure/test_postgres.py and
test_spark.py run the PostgreSQL and Databricks files on real engines.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.plan.test_sqlexport import MOTIONS, build, generated_events, playbook

from gtmplay.measure import dialects, engine
from gtmplay.measure.queries import QUERIES
from gtmplay.measure.sqlexport import DIALECTS

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "sql"
# queries with median, p75 and p90: stage_time, step_time, cycle_length,
# handoff_sla and the two stage_time_by_<grain>
PERCENTILES = 3 * 6


@pytest.fixture(scope="module")
def metrics(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("sql")
    files: dict[str, str] = {}
    for dialect in DIALECTS:
        built = build(out / dialect, "--only", "sql", "--dialect", dialect, playbook=MOTIONS)
        files.update(built)
    return files


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_sql_is_the_reviewed_golden_file(dialect: str, metrics: dict[str, str]) -> None:
    for name in ("schema", "declared", "metrics"):
        golden = (GOLDEN / dialect / f"{name}.sql").read_text(encoding="utf-8")
        assert metrics[f"sql/{dialect}/{name}.sql"] == golden, (
            f"sql/{dialect}/{name}.sql differs from its golden file: run "
            "scripts/regen_golden_sql.py and review the diff"
        )


def test_bigquery_percentiles_are_windows_in_a_subquery(metrics: dict[str, str]) -> None:
    sql = metrics["sql/bigquery/metrics.sql"]
    assert "WITHIN GROUP" not in sql  # an analytic function only in BigQuery
    windows = re.findall(r"PERCENTILE_CONT\((.+?), (0\.5|0\.75|0\.9)\) OVER \(PARTITION BY", sql)
    assert len(windows) == PERCENTILES
    assert windows[0] == ("days", "0.5")
    assert "PERCENTILE_CONT(s.response_hours, 0.9) OVER (PARTITION BY h.handoff, h.step)" in sql
    assert sql.count("MAX(_pct1) AS median_days") == 5  # + median_response_hours
    assert "  h__handoff AS handoff,\n" in sql  # the outer query keeps the column names
    assert ") AS _w\nGROUP BY\n  h__handoff,\n  h__step;" in sql


def test_bigquery_uses_its_datetime_functions(metrics: dict[str, str]) -> None:
    sql = metrics["sql/bigquery/metrics.sql"]
    assert "entered_at DATETIME," in metrics["sql/bigquery/schema.sql"]
    assert (
        "CAST(DATETIME_DIFF(e.exited_at, e.entered_at, SECOND) AS FLOAT64) / 86400.0 AS days" in sql
    )
    assert "CAST(DATETIME_TRUNC(entered_at, QUARTER) AS DATE) AS period" in sql
    assert not re.search(r"\b(DATE_DIFF|TIMESTAMP_DIFF|TIMESTAMP_TRUNC|DATE_TRUNC)\(", sql)
    assert "NULLIF(TRIM(s__next_reason, ' '), '')" in sql  # spaces only, as DuckDB trims


def test_databricks_percentiles_are_exact(metrics: dict[str, str]) -> None:
    sql = metrics["sql/databricks/metrics.sql"]
    assert "PERCENTILE_APPROX" not in sql and "WITHIN GROUP" not in sql
    assert sql.count("PERCENTILE(") == PERCENTILES
    assert "PERCENTILE(s.response_hours, 0.75) AS p75_response_hours" in sql
    # whole elapsed seconds between truncated ends: the boundaries DuckDB counts
    assert (
        "CAST(DATEDIFF(SECOND, DATE_TRUNC('SECOND', e.entered_at), "
        "DATE_TRUNC('SECOND', e.exited_at)) AS DOUBLE) / 86400.0 AS days"
    ) in sql
    assert "NULLIF(TRIM(' ' FROM s.next_reason), '')" in sql


def test_snowflake_divides_in_floating_point(metrics: dict[str, str]) -> None:
    sql = metrics["sql/snowflake/metrics.sql"]
    # NUMBER / NUMBER keeps six or seven decimals in Snowflake; DOUBLE keeps DuckDB's figure
    assert "CAST(DATEDIFF(SECOND, e.entered_at, e.exited_at) AS DOUBLE) / 86400.0 AS days" in sql
    assert "CAST(1.0 * SUM(won) AS DOUBLE) / CAST((\n" in sql
    for numerator in re.findall(r"(\S+) /", sql):
        assert numerator.endswith(("DOUBLE)", "DOUBLE", "(")) or numerator == "AS", numerator
    # an aggregate in Snowflake, as in DuckDB (which ignores NULLs the same way)
    assert "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY\n    days) AS median_days" in sql
    assert sql.count("WITHIN GROUP") == PERCENTILES


def test_postgres_orders_text_by_bytes(metrics: dict[str, str]) -> None:
    sql = metrics["sql/postgres/metrics.sql"]
    for column in ("source", "persona", "market", "segment", "owner"):
        assert f'MAX({column} COLLATE "C") AS {column},' in sql or (
            f'MAX({column} COLLATE "C") AS {column}\n' in sql
        )
    assert "MAX(CASE WHEN stage_outcome <> 'lost' THEN position END) AS furthest" in sql


def test_duckdb_sql_is_the_engine_s_own(metrics: dict[str, str]) -> None:
    assert dialects.REWRITES["duckdb"] == ()
    sql = metrics["sql/duckdb/metrics.sql"]
    # sqlglot prints DuckDB's own spelling; no cast is added to a division
    assert sql.count("QUANTILE_CONT(") == PERCENTILES
    assert "DATE_DIFF('SECOND', e.entered_at, e.exited_at) / 86400.0 AS days" in sql


def test_a_percentile_the_rewrites_do_not_know_is_refused() -> None:
    import sqlglot

    tree = sqlglot.parse_one(
        "SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x DESC) FROM t", read="duckdb"
    )
    with pytest.raises(
        ValueError, match=r"^no rewrite for QUANTILE_CONT\(x, 0.5 ORDER BY x DESC\)$"
    ):
        dialects.rewrite(tree, "bigquery")


def _on_duckdb(sql: str, dialect: str) -> str:
    """``sql`` with ``dialect``'s rewrites, printed for DuckDB under DuckDB's names."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")
    for step in dialects.REWRITES[dialect]:
        if step is not dialects.bigquery_datetime:  # DATETIME_* are BigQuery's names only
            tree = step(tree)
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.upper() in ("PERCENTILE_CONT", "PERCENTILE"):
            node.set("this", "QUANTILE_CONT")
    return tree.sql(dialect="duckdb")


def _results(events: Path, dialect: str | None) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of every query on the events, rewritten for ``dialect`` (None: as they are)."""
    from gtmplay.measure.mapping import names

    pb = playbook(MOTIONS)
    con = engine.connect()
    engine.load_playbook(con, pb)
    assert engine.load_canonical(con, str(events)) == []
    engine.resolve_motions(con, pb)
    engine.map_stages(con, names(pb))
    engine.assign_motions(con, pb)
    rows = {}
    for query in QUERIES:
        sql = query.sql if dialect is None else _on_duckdb(query.sql, dialect)
        if query.role == "view":
            con.execute(f"CREATE TEMP TABLE {query.name} AS {sql}")
        else:
            rows[query.name] = sorted(con.execute(sql).fetchall(), key=repr)
    con.close()
    return rows


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated history, written once for the four dialects (the same seed each time)."""
    return generated_events(tmp_path_factory.mktemp("events") / "events.csv", playbook(MOTIONS))


@pytest.fixture(scope="module")
def plain(events: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The engine's own rows, computed once: they are the same for every dialect."""
    return _results(events, None)


@pytest.mark.parametrize("dialect", ["bigquery", "databricks", "snowflake", "postgres"])
def test_rewritten_queries_give_the_engine_s_rows_on_duckdb(
    dialect: str, events: Path, plain: dict[str, list[tuple[Any, ...]]]
) -> None:
    rewritten = _results(events, dialect)
    assert sum(len(r) for r in plain.values()) > 50
    assert rewritten == plain
