"""The PostgreSQL SQL of ``build --only sql``, run on a real PostgreSQL server.

Each shared real data set (Maven, EdTech) is read and mapped as ``gtmplay
measure`` reads it; its canonical events go into a throwaway PostgreSQL
cluster together with ``schema.sql``, ``declared.sql`` and ``metrics.sql``
for postgres, and every result view must hold exactly the rows DuckDB's
queries give: the same counts, the same days and hours to the last bit.

The server is Debian's ``postgresql``; .ci/run installs it and sets
GTMPLAY_POSTGRES to its bin folder. Without it the test skips. The cluster
listens on a Unix socket in a temporary folder only (no TCP port).
"""

from __future__ import annotations

import datetime as dt
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
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale", "C.UTF-8")  # fmt: skip
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


def mapped_events(playbook_file: str, folder: str) -> tuple[Any, Any]:
    """A DuckDB connection holding the data set's events as measure maps them."""
    from gtmplay.crm.measure_names import crm_names
    from gtmplay.measure.mapping import names
    from gtmplay.measure.readers import read_inputs
    from gtmplay.pipeline import check_path

    playbook = check_path(str(PLAYBOOKS / playbook_file), rules=False).playbook
    assert playbook is not None
    read = read_inputs((str(DATA / folder),), None, None)
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


def _key(row: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(repr(v) for v in row)


@pytest.mark.parametrize(
    ("playbook_file", "folder"),
    [("maven.yaml", "maven-crm-sales-opportunities"), ("edtech.yaml", "edtech-lead-funnel")],
)
def test_postgres_gives_duckdb_s_figures(playbook_file: str, folder: str, server: Server) -> None:
    playbook, con = mapped_events(playbook_file, folder)
    cols = ", ".join(EVENT_COLUMN_NAMES)
    events = con.execute(f"SELECT {cols} FROM events").fetchall()
    csv_dir = Path(tempfile.mkdtemp(prefix="gtmplay-pg-csv-"))
    try:
        out = csv_dir / "events.csv"
        con.execute(f"COPY (SELECT {cols} FROM events) TO '{out}' (FORMAT csv, HEADER)")
        csv_text = out.read_text(encoding="utf-8")
    finally:
        shutil.rmtree(csv_dir)
    for view in [q.name for q in reversed(QUERIES)] + ["events", "declared_stages",
                                                        "declared_handoffs"]:  # fmt: skip
        kind = "TABLE" if view.startswith(("events", "declared")) else "VIEW"
        server.psql(f"DROP {kind} IF EXISTS {view} CASCADE")
    server.run_file(schema_file("postgres"))
    server.run_file(declared_file(playbook, "postgres"))
    server.psql(f"COPY events ({cols}) FROM STDIN (FORMAT csv, HEADER)", stdin=csv_text)
    server.run_file(metrics_file("postgres"))
    assert server.psql("COPY (SELECT COUNT(*) FROM events) TO STDOUT") == f"{len(events)}\n"

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
        assert got == expected, query.name
        compared += len(rows)
    con.close()
    assert compared > 0
