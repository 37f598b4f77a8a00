"""Run the Databricks SQL of ``build --only sql`` on a local Apache Spark.

Started by tests/measure/test_spark.py with the Python of the Spark virtual
environment (pyspark is no dependency of gtmplay), as

    python spark_runner.py JOBS_JSON OUT_JSON

once for every case (one start of the JVM): JOBS_JSON lists jobs, each with a
``name``, the ``sql`` folder of the three files, the ``events`` CSV (as DuckDB
wrote it: empty is NULL, ``""`` the empty string) and the ``views`` to read.
Each job gets a database of its own: ``schema.sql``, ``declared.sql``, the
events, ``metrics.sql``; OUT_JSON maps each job's name to the rows of each of
its views, dates as ISO text. The session time zone is UTC, as
docs/measure.md asks of a Databricks session.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any


def statements(text: str) -> list[str]:
    # gtmplay writes one statement per ';' at the end of a line, none inside a literal
    return [s.strip() for s in text.split(";\n") if s.strip() and not _comment_only(s)]


def _comment_only(text: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in text.splitlines())


def _json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def run_job(spark: Any, number: int, job: dict[str, Any]) -> dict[str, list[list[Any]]]:
    spark.sql(f"CREATE DATABASE job{number}")
    spark.sql(f"USE job{number}")
    folder = Path(job["sql"])
    for name in ("schema", "declared"):
        for sql in statements((folder / f"{name}.sql").read_text(encoding="utf-8")):
            spark.sql(sql)
    fields = spark.table("events").schema.fields
    raw = spark.read.option("header", True).csv(job["events"])  # every column text
    raw.createOrReplaceTempView("events_csv")
    cast = ", ".join(f"CAST({f.name} AS {f.dataType.simpleString()}) AS {f.name}" for f in fields)
    spark.sql(f"INSERT INTO events SELECT {cast} FROM events_csv")
    for sql in statements((folder / "metrics.sql").read_text(encoding="utf-8")):
        spark.sql(sql)
    return {
        view: [[_json(v) for v in row] for row in spark.sql(f"SELECT * FROM {view}").collect()]
        for view in job["views"]
    }


def main(jobs_json: str, out_json: str) -> int:
    # the warehouse (each job's tables, as Parquet files) goes when the run ends
    with tempfile.TemporaryDirectory(prefix="gtmplay-spark-") as warehouse:
        return run(jobs_json, out_json, warehouse)


def run(jobs_json: str, out_json: str, warehouse: str) -> int:
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("gtmplay-dialects")
        .config("spark.sql.warehouse.dir", warehouse)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        # A few thousand rows per view, and about a hundred queries: the time goes to
        # preparing each query, not to running it. Adaptive execution re-plans every
        # stage, and generated Java code is compiled (Janino) for every query, so both
        # are off; the interpreted expressions compute the same values (Spark tests
        # both paths against each other). The JVM's optimising compiler (C2) and its
        # parallel collector spend a second core warming up for a process this short.
        # Together: the JVM's CPU for the three histories 149 s -> 80 s, the same rows.
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    jobs = json.loads(Path(jobs_json).read_text(encoding="utf-8"))
    out = {job["name"]: run_job(spark, i, job) for i, job in enumerate(jobs)}
    Path(out_json).write_text(json.dumps(out), encoding="utf-8")
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
