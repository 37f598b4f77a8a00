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
from pathlib import Path
from typing import Any

import pytest
from tests.measure.test_realworld import DATA
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


def _value(value: Any, like: Any) -> Any:
    if value is None or not isinstance(like, dt.date):
        return value
    return dt.date.fromisoformat(value)


def compare(case: str, playbook_file: str, tmp_path: Path) -> int:
    playbook, con = mapped_events(playbook_file, inputs(case, tmp_path))
    folder = tmp_path / "sql"
    folder.mkdir()
    (folder / "schema.sql").write_text(schema_file("databricks"), encoding="utf-8")
    (folder / "declared.sql").write_text(declared_file(playbook, "databricks"), encoding="utf-8")
    (folder / "metrics.sql").write_text(metrics_file("databricks"), encoding="utf-8")
    write_events(con, tmp_path / "events.csv")
    views = [q.name for q in QUERIES if q.role == "result"]
    out = tmp_path / "rows.json"
    done = subprocess.run(
        [PYTHON, str(RUNNER), str(folder), str(tmp_path / "events.csv"), str(out), *views],
        env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"},
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(out.read_text(encoding="utf-8"))

    def rows_of(view: str, names: list[str], like: list[Any]) -> list[tuple[Any, ...]]:
        return [tuple(_value(v, like[i]) for i, v in enumerate(row)) for row in rows[view]]

    try:
        return check(con, rows_of)
    finally:
        con.close()


@pytest.mark.parametrize(("playbook_file", "folder", "rows"), REAL)
def test_spark_gives_duckdb_s_figures(
    playbook_file: str, folder: str, rows: int, tmp_path: Path
) -> None:
    assert compare(folder, playbook_file, tmp_path) >= rows


def test_spark_gives_duckdb_s_figures_on_edge_values(tmp_path: Path) -> None:
    # fractions of a second: Spark's DATEDIFF counts whole elapsed seconds, so the
    # ends are truncated first (0.9 s to 1.1 s: DuckDB counts 1 boundary)
    assert compare("edges", "maven.yaml", tmp_path) == EDGE_ROWS
