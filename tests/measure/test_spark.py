"""The Databricks SQL of ``build --only sql``, run on a local Apache Spark.

Databricks runs Spark SQL; the open-source Spark (pyspark, in a virtual
environment of its own, with a JVM) runs the files ``build --only sql
--dialect databricks`` writes: the TIMESTAMP_NTZ schema, ``PERCENTILE``,
``DATEDIFF(SECOND, ...)`` between truncated ends, the DOUBLE casts. Every
result view must hold the rows DuckDB's queries give
(tests/measure/warehouse.py says how exactly).

.ci/run makes ``.venv-spark`` and sets GTMPLAY_SPARK_PYTHON to its Python;
without it the test skips. Spark runs in local mode, bound to 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.measure.support import DATA
from tests.measure.warehouse import EDGE_ROWS, REAL, check, inputs, mapped_events, write_events

from gtmplay.measure.queries import QUERIES
from gtmplay.measure.sqlexport import declared_file, metrics_file, schema_file

PYTHON = os.environ.get("GTMPLAY_SPARK_PYTHON", "")
RUNNER = Path(__file__).with_name("spark_runner.py")
pytestmark = [
    pytest.mark.skipif(
        not PYTHON, reason="GTMPLAY_SPARK_PYTHON is not set: .ci/run sets it to its .venv-spark"
    ),
    pytest.mark.skipif(not DATA.is_dir(), reason="shared/realworld is not here"),
]


CASES = [(folder, playbook_file) for playbook_file, folder, _ in REAL] + [("edges", "maven.yaml")]


def _value(value: Any, like: Any) -> Any:
    if value is None or not isinstance(like, dt.date):
        return value
    return dt.date.fromisoformat(value)


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Any, Any]]]:
    """Every case run on Spark in one session: its DuckDB connection and Spark's rows."""
    root = tmp_path_factory.mktemp("spark")
    views = [q.name for q in QUERIES if q.role == "result"]
    jobs, cons = [], {}
    for case, playbook_file in CASES:
        folder = root / case
        (folder / "sql").mkdir(parents=True)
        playbook, cons[case] = mapped_events(playbook_file, inputs(case, folder))
        for name, text in (("schema", schema_file("databricks")),
                           ("declared", declared_file(playbook, "databricks")),
                           ("metrics", metrics_file("databricks"))):  # fmt: skip
            (folder / "sql" / f"{name}.sql").write_text(text, encoding="utf-8")
        write_events(cons[case], folder / "events.csv")
        jobs.append({"name": case, "sql": str(folder / "sql"),
                     "events": str(folder / "events.csv"), "views": views})  # fmt: skip
    (root / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    done = subprocess.run(
        [PYTHON, str(RUNNER), str(root / "jobs.json"), str(root / "rows.json")],
        env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"},
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads((root / "rows.json").read_text(encoding="utf-8"))
    try:
        yield {case: (con, rows[case]) for case, con in cons.items()}
    finally:
        for con in cons.values():
            con.close()


def compare(case: str, spark: dict[str, tuple[Any, Any]]) -> int:
    con, rows = spark[case]

    def rows_of(view: str, names: list[str], like: list[Any]) -> list[tuple[Any, ...]]:
        return [tuple(_value(v, like[i]) for i, v in enumerate(row)) for row in rows[view]]

    return check(con, rows_of)


@pytest.mark.parametrize(("playbook_file", "folder", "rows"), REAL)
def test_spark_gives_duckdb_s_figures(
    playbook_file: str, folder: str, rows: int, spark: dict[str, tuple[Any, Any]]
) -> None:
    assert compare(folder, spark) >= rows


def test_spark_gives_duckdb_s_figures_on_edge_values(spark: dict[str, tuple[Any, Any]]) -> None:
    # fractions of a second: Spark's DATEDIFF counts whole elapsed seconds, so the
    # ends are truncated first (0.9 s to 1.1 s: DuckDB counts 1 boundary)
    assert compare("edges", spark) == EDGE_ROWS
