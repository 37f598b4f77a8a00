"""The PostgreSQL SQL of ``build --only sql``, run on a real PostgreSQL server.

Each shared real data set (Maven, EdTech), and a small history of edge
values, is read and mapped as ``gtmplay measure`` reads it; its canonical
events go into a throwaway PostgreSQL cluster together with ``schema.sql``,
``declared.sql`` and ``metrics.sql`` for postgres, and every result view must
hold the rows DuckDB's queries give: the same counts, days and hours to the
last bit, the percentiles to the last bit but one (QUANTILE_COLUMNS).

The server is Debian's ``postgresql``; .ci/run installs it and sets
GTMPLAY_POSTGRES to its bin folder. Without it the test skips. The cluster
listens on a Unix socket in a temporary folder only (no TCP port).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.measure.support import DATA
from tests.measure.warehouse import (
    EDGE_ROWS,
    REAL,
    check,
    inputs,
    mapped_events,
    write_events,
)

from gtmplay.measure.events import EVENT_COLUMN_NAMES
from gtmplay.measure.sqlexport import declared_file, metrics_file, schema_file

BIN = os.environ.get("GTMPLAY_POSTGRES", "")
pytestmark = [
    pytest.mark.skipif(
        not BIN, reason="GTMPLAY_POSTGRES is not set: .ci/run sets it to Debian's PostgreSQL bin"
    ),
    pytest.mark.skipif(not DATA.is_dir(), reason="shared/realworld is not here"),
]


class Server:
    """A PostgreSQL cluster in a temporary folder, reached through its socket."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="gtmplay-pg-"))
        self.data = self.root / "data"
        # PostgreSQL refuses to run as root: as root, the cluster belongs to 'postgres'
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres")
        # a linguistic default collation, as warehouses usually have ('B' sorts after 'a'):
        # ICU's, which needs no operating-system locale
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale", "C.UTF-8", "--locale-provider", "icu",
                  "--icu-locale", "en-US")  # fmt: skip
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.root / "log"), "-o",
                  f"-c listen_addresses='' -k {self.root}", "start")  # fmt: skip

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=True,
                       capture_output=True, timeout=120)  # fmt: skip

    def psql(self, sql: str, *, stdin: str = "", bare: bool = False) -> str:
        """``sql``'s output; ``bare``: the values alone, unaligned, without headers."""
        done = subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.root),
             "-U", "postgres", "-d", "postgres", *(["-A", "-t"] if bare else []), "-c", sql],
            input=stdin, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    def run_file(self, text: str) -> None:
        done = subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.root),
             "-U", "postgres", "-d", "postgres", "-f", "-"],
            input=text, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    pg = Server(Path(BIN))
    try:
        yield pg
    finally:
        pg.stop()


def _cell(text: str, like: Any) -> Any:
    """A value of PostgreSQL's text output, as the Python type DuckDB gave."""
    if text == "\\N":
        return None
    if isinstance(like, bool):
        return text == "t"
    if isinstance(like, int):
        return int(text)
    if isinstance(like, float):
        return float(text)  # PostgreSQL prints the shortest exact form, as repr() does
    if isinstance(like, dt.date):
        return dt.date.fromisoformat(text)
    return text.replace("\\\\", "\\")


def load(server: Server, case: str, playbook_file: str, tmp_path: Path) -> Any:
    """Load a case into PostgreSQL with the exported SQL; its DuckDB connection."""
    playbook, con = mapped_events(playbook_file, inputs(case, tmp_path))
    csv_dir = Path(tempfile.mkdtemp(prefix="gtmplay-pg-csv-"))
    try:
        write_events(con, csv_dir / "events.csv")
        csv_text = (csv_dir / "events.csv").read_text(encoding="utf-8")
    finally:
        shutil.rmtree(csv_dir)
    server.psql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    server.run_file(schema_file("postgres"))
    server.run_file(declared_file(playbook, "postgres"))
    cols = ", ".join(EVENT_COLUMN_NAMES)
    server.psql(f"COPY events ({cols}) FROM STDIN (FORMAT csv, HEADER)", stdin=csv_text)
    server.run_file(metrics_file("postgres"))
    count = con.execute("SELECT COUNT(*) FROM events").fetchone()
    assert server.psql("COPY (SELECT COUNT(*) FROM events) TO STDOUT") == f"{count[0]}\n"
    return con


def compare(server: Server, case: str, playbook_file: str, tmp_path: Path) -> int:
    """Every result view of a case, loaded into PostgreSQL, as DuckDB's."""
    con = load(server, case, playbook_file, tmp_path)

    def rows_of(view: str, names: list[str], like: list[Any]) -> list[tuple[Any, ...]]:
        text = server.psql(f"COPY (SELECT {', '.join(names)} FROM {view}) TO STDOUT")
        return [
            tuple(_cell(c, like[i]) for i, c in enumerate(line.split("\t")))
            for line in text.splitlines()
        ]

    try:
        return check(con, rows_of)
    finally:
        con.close()


@pytest.mark.parametrize(("playbook_file", "folder", "rows"), REAL)
def test_postgres_gives_duckdb_s_figures(
    playbook_file: str, folder: str, rows: int, server: Server, tmp_path: Path
) -> None:
    assert compare(server, folder, playbook_file, tmp_path) >= rows


def test_postgres_gives_duckdb_s_figures_on_edge_values(server: Server, tmp_path: Path) -> None:
    # without the COLLATE "C" rewrite, conversion_by_source says 'B' where DuckDB says 'a'
    assert compare(server, "edges", "maven.yaml", tmp_path) == EDGE_ROWS


def _scans(plan: dict[str, Any], relation: str) -> list[int]:
    """The actual loops of every scan of ``relation`` in an EXPLAIN ANALYZE plan."""
    own = [plan["Actual Loops"]] if plan.get("Relation Name") == relation else []
    return own + [n for child in plan.get("Plans", []) for n in _scans(child, relation)]


def test_postgres_reads_the_events_once_per_scan(server: Server, tmp_path: Path) -> None:
    # the moment of the data (as_of) was a CROSS JOIN: PostgreSQL expected one row
    # from the join before it and read every event again for each stay (23,811
    # times on the Maven export, 36 s); a scalar subquery reads them once
    load(server, "maven-crm-sales-opportunities", "maven.yaml", tmp_path).close()
    out = server.psql("EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM stays", bare=True)
    plan = json.loads(out)[0]["Plan"]
    assert _scans(plan, "events") == [1, 1]
