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
import math
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.measure.test_realworld import DATA, PLAYBOOKS

from gtmplay.measure import engine
from gtmplay.measure.events import EVENT_COLUMN_NAMES
from gtmplay.measure.queries import QUERIES
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

    def psql(self, sql: str, *, stdin: str = "") -> str:
        done = subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.root),
             "-U", "postgres", "-d", "postgres", "-c", sql],
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


def mapped_events(playbook_file: str, inputs: tuple[str, ...]) -> tuple[Any, Any]:
    """A DuckDB connection holding the inputs' events as measure reads and maps them."""
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
    engine.map_stages(con, names(playbook, list(crm_names(playbook))))
    engine.assign_motions(con, playbook)
    return playbook, con


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


# PostgreSQL interpolates a percentile as lo + (hi - lo) * d, DuckDB as
# lo * (1 - d) + hi * d: the same number, but the last bit can differ
QUANTILE_COLUMNS = ("median_", "p75_", "p90_")


def _without(row: tuple[Any, ...], columns: list[int]) -> tuple[Any, ...]:
    return tuple(v for i, v in enumerate(row) if i not in columns)


def _key(row: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(repr(v) for v in row)


def compare(server: Server, playbook_file: str, inputs: tuple[str, ...]) -> int:
    """Load the inputs into PostgreSQL with the exported SQL; every result view as DuckDB's.

    Returns how many rows were compared.
    """
    playbook, con = mapped_events(playbook_file, inputs)
    cols = ", ".join(EVENT_COLUMN_NAMES)
    events = con.execute("SELECT COUNT(*) FROM events").fetchone()
    csv_dir = Path(tempfile.mkdtemp(prefix="gtmplay-pg-csv-"))
    try:
        out = csv_dir / "events.csv"
        con.execute(f"COPY (SELECT {cols} FROM events) TO '{out}' (FORMAT csv, HEADER)")
        csv_text = out.read_text(encoding="utf-8")
    finally:
        shutil.rmtree(csv_dir)
    server.psql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    server.run_file(schema_file("postgres"))
    server.run_file(declared_file(playbook, "postgres"))
    server.psql(f"COPY events ({cols}) FROM STDIN (FORMAT csv, HEADER)", stdin=csv_text)
    server.run_file(metrics_file("postgres"))
    assert events is not None
    assert server.psql("COPY (SELECT COUNT(*) FROM events) TO STDOUT") == f"{events[0]}\n"

    engine.run(con)  # the engine's own views, for its result queries below
    compared = 0
    for query in QUERIES:
        if query.role != "result":
            continue
        expected = sorted(con.execute(query.sql).fetchall(), key=_key)
        names = [d[0] for d in con.execute(f"SELECT * FROM ({query.sql}) LIMIT 0").description]
        text = server.psql(f"COPY (SELECT {', '.join(names)} FROM {query.name}) TO STDOUT")
        rows = [line.split("\t") for line in text.splitlines()]
        assert len(rows) == len(expected), query.name
        # each column's Python type, from its first value that is not NULL
        like = [next((r[i] for r in expected if r[i] is not None), "") for i in range(len(names))]
        got = sorted((tuple(_cell(c, like[i]) for i, c in enumerate(r)) for r in rows), key=_key)
        quantiles = [i for i, n in enumerate(names) if n.startswith(QUANTILE_COLUMNS)]
        # every value bit for bit, but for the percentiles (see QUANTILE_COLUMNS)
        assert [_without(r, quantiles) for r in got] == [
            _without(r, quantiles) for r in expected
        ], query.name
        for g, e in zip(got, expected, strict=True):
            for i in quantiles:
                assert (g[i] is None) == (e[i] is None), (query.name, g, e)
                if e[i] is not None:
                    assert math.isclose(g[i], e[i], rel_tol=1e-15), (query.name, names[i], g, e)
                    assert round(g[i], 6) == round(e[i], 6)  # the figures' rounding
        compared += len(rows)
    con.close()
    return compared


@pytest.mark.parametrize(
    ("playbook_file", "folder", "rows"),
    # at least the rows the data sets give today (more data may add rows)
    [("maven.yaml", "maven-crm-sales-opportunities", 72),
     ("edtech.yaml", "edtech-lead-funnel", 34)],
)  # fmt: skip
def test_postgres_gives_duckdb_s_figures(
    playbook_file: str, folder: str, rows: int, server: Server
) -> None:
    assert compare(server, playbook_file, (str(DATA / folder),)) >= rows


# Fractions of a second (0.9 s to 1.1 s crosses one second boundary: DuckDB counts
# 1), text whose byte order and linguistic order differ (one deal's sources 'a'
# and 'B': DuckDB's MAX is 'a'), a reason of a tab (DuckDB's TRIM keeps it).
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


def test_postgres_gives_duckdb_s_figures_on_edge_values(server: Server, tmp_path: Path) -> None:
    events = tmp_path / "edges.csv"
    events.write_text(EDGES, encoding="utf-8")
    assert compare(server, "maven.yaml", (str(events),)) == 21
