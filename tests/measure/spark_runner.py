"""Run the Databricks SQL of ``build --only sql`` on a local Apache Spark.

Started by tests/measure/test_spark.py with the Python of the Spark virtual
environment (pyspark is no dependency of gtmplay), as

    python spark_runner.py JOBS_JSON OUT_JSON

once for every case (one start of the JVM): JOBS_JSON lists jobs, each with a
``name``, the ``sql`` folder of the three files, the ``events`` CSV (as DuckDB
wrote it: empty is NULL, ``""`` the empty string) and the ``views`` to read.
A job runs ``schema.sql``, ``declared.sql``, loads the events, runs
``metrics.sql``; a job whose schema and metrics files are those of an earlier
job reuses that database: its tables emptied, then its own declared rows and
events loaded. OUT_JSON maps each job's name to the rows of each of its views,
dates as ISO text. The session time zone is UTC, as docs/measure.md asks of a
Databricks session.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

SQL_FILES = ("schema", "declared", "metrics")
Rows = dict[str, list[list[Any]]]
Database = tuple[str, list[str]]  # its name, its tables


def statements(text: str) -> list[str]:
    # gtmplay writes one statement per ';' at the end of a line, none inside a literal
    return [s.strip() for s in text.split(";\n") if s.strip() and not _comment_only(s)]


def _comment_only(text: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in text.splitlines())


def _json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def run_job(spark: Any, job: dict[str, Any], databases: dict[tuple[str, str], Database]) -> Rows:
    folder = Path(job["sql"])
    schema, declared, metrics = (
        (folder / f"{name}.sql").read_text(encoding="utf-8") for name in SQL_FILES
    )
    # The schema and metrics files are the dialect's, the same for every playbook
    # (only declared.sql follows it): the jobs share one database, so its tables and
    # 36 views (Spark analyses a view as it creates it) are made once; each job
    # empties the tables and fills them with its playbook and its events. A view is
    # resolved again when it is read, so each job's rows come from its own data.
    known = (schema, metrics) in databases
    if known:
        name, tables = databases[schema, metrics]
        spark.sql(f"USE {name}")
        for table in tables:
            spark.sql(f"TRUNCATE TABLE {table}")
    else:
        name = f"job{len(databases)}"
        spark.sql(f"CREATE DATABASE {name}")
        spark.sql(f"USE {name}")
        for sql in statements(schema):
            spark.sql(sql)
        # SHOW TABLES: catalog.listTables fails with NO_CODEGEN below
        # (EXPRESSION_DECODING_FAILED on Spark 4.3)
        shown = spark.sql(f"SHOW TABLES IN {name}").collect()
        databases[schema, metrics] = (name, [r.tableName for r in shown if not r.isTemporary])
    for sql in statements(declared):
        spark.sql(sql)
    fields = spark.table("events").schema.fields
    raw = spark.read.option("header", True).csv(job["events"])  # every column text
    raw.createOrReplaceTempView("events_csv")
    cast = ", ".join(f"CAST({f.name} AS {f.dataType.simpleString()}) AS {f.name}" for f in fields)
    spark.sql(f"INSERT INTO events SELECT {cast} FROM events_csv")
    if not known:
        for sql in statements(metrics):
            spark.sql(sql)
    return {
        view: [[_json(v) for v in row] for row in spark.sql(f"SELECT * FROM {view}").collect()]
        for view in job["views"]
    }


def main(jobs_json: str, out_json: str) -> int:
    # the warehouse (the tables, as Parquet files) goes when the run ends
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
        # The JVM verifies the bytecode of every class it loads from a jar (Spark's,
        # Scala's, Hadoop's, as pip installed them); the test checks the SQL's rows,
        # not those jars, so it skips that: the JVM's CPU for the three histories
        # 47.6 -> 45.7 s (medians of five alternating pairs, 4 of 5 lower), same rows.
        .config(
            "spark.driver.extraJavaOptions",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
            "-XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote",
        )
        # Every broadcast join builds its hash table in pages of spark.buffer.pageSize,
        # 16 MB here by default, even for four declared stages, and the driver keeps the
        # tables of recent broadcasts: about 400 MB of mostly empty pages stayed live in
        # the 1 GB heap, so the collector ran 13 full collections (7-9 s). With 1 MB
        # pages: 5 (about 1.5 s), the same rows.
        .config("spark.buffer.pageSize", "1m")
        # Each query's physical plan is written out for the (disabled) UI; the
        # "formatted" default numbers and lists every operator, about 10 % of the
        # JVM's samples; "simple" is one tree string.
        .config("spark.sql.ui.explainMode", "simple")
        # The optimiser infers every filter the nested views' joins and conditions
        # imply (IsNotNull and equalities, carried up through each view) and adds
        # them to the plan: optimising about a hundred deep plans, not running them,
        # is the cost here. Off, the plans keep only the SQL's own filters, which give
        # the same rows (the runner's output byte-identical): the JVM's CPU for the
        # three histories 55.9 -> 51.4 s (medians of six and five alternating runs).
        .config("spark.sql.constraintPropagation.enabled", "false")
        # the progress bars would fill the end of stderr the test shows on a failure
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    jobs = json.loads(Path(jobs_json).read_text(encoding="utf-8"))
    databases: dict[tuple[str, str], Database] = {}
    out = {job["name"]: run_job(spark, job, databases) for job in jobs}
    Path(out_json).write_text(json.dumps(out), encoding="utf-8")
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
