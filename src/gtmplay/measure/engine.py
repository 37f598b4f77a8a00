"""Run the metrics on DuckDB: canonical tables in, :class:`Measurement` out.

DuckDB is imported here only, inside the functions (``gtmplay --version`` and
``check`` never load it). The declared tables come from the playbook
(:mod:`gtmplay.measure.declared`: plain Python, so the SQL exporter writes the
same rows without loading this module); ``events`` comes from a reader or
a canonical CSV/Parquet file; then every query of
:mod:`gtmplay.measure.queries` runs in order.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gtmplay.measure import figures as fig
from gtmplay.measure.declared import Row, declared_handoffs, declared_stages
from gtmplay.measure.events import (
    EVENT_COLUMN_NAMES,
    EVENT_COLUMNS,
    REQUIRED_EVENT_COLUMNS,
    TABLES,
    create_table_sql,
)
from gtmplay.measure.queries import DIMENSIONS, FREQUENCY_GRAINS, GRAINS, QUERIES
from gtmplay.model import Playbook

if TYPE_CHECKING:
    import duckdb

# DuckDB may take 80% of the RAM by default (about 7 GB for 10M rows of
# history); with a limit it spills tables, sorts and windows to disk instead
MEMORY_LIMIT = "1GB"


def connect(spill: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the canonical tables created and empty.

    Without ``spill``: a new in-memory database, with no memory limit.

    ``spill``: a folder DuckDB may write to past :data:`MEMORY_LIMIT` (the
    caller removes it). The connection is then a new one to this thread's
    database, which measure after measure reuses, and the tables are
    temporary: they go when the connection closes. Opening a database costs
    about 15 ms of CPU (DuckDB registers its built-in functions and
    extensions), more than loading a small history; a connection costs
    nothing.
    """
    temp = spill is not None
    con = _database({}) if spill is None else _spilling(spill).cursor()
    for table in TABLES:
        con.execute(create_table_sql(table, temp=temp))
    return con


def _database(
    config: dict[str, str | bool | int | float | list[str]],
) -> duckdb.DuckDBPyConnection:
    import duckdb

    # no query depends on the order rows are stored in (every result is sorted,
    # in SQL or in run()), and keeping it costs a fifth of the CSV load's CPU
    return duckdb.connect(":memory:", config={**config, "preserve_insertion_order": False})


# this thread's database for connect(spill): (process id, database)
_HELD = threading.local()
# databases a forked child inherited: never closed there, their threads are the parent's
_INHERITED: list[Any] = []


def _spilling(spill: str) -> duckdb.DuckDBPyConnection:
    """This thread's database with :data:`MEMORY_LIMIT`, spilling into ``spill``.

    DuckDB cannot move its spill folder once it has written there: a database
    that spilled is replaced by a new one (rare: that history was large, and
    15 ms is nothing beside it).
    """
    import duckdb

    held: tuple[int, duckdb.DuckDBPyConnection] | None = getattr(_HELD, "database", None)
    if held is not None:
        pid, database = held
        if pid != os.getpid():
            _INHERITED.append(database)
        else:
            quoted = spill.replace("'", "''")
            try:
                database.execute(f"SET temp_directory = '{quoted}'")
                return database
            except duckdb.NotImplementedException:
                pass  # it wrote into the previous folder
    database = _database({"memory_limit": MEMORY_LIMIT, "temp_directory": spill})
    _HELD.database = (os.getpid(), database)
    return database


# rows per INSERT statement: one statement of many rows costs about what one
# row costs through executemany (which runs the statement once per row, about
# 0.5 ms each); the bound keeps a big playbook's parameter list modest
_INSERT_ROWS = 500


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Row]) -> None:
    """Append ``rows`` (tuples in the table's column order) to ``table``."""
    for start in range(0, len(rows), _INSERT_ROWS):
        chunk = rows[start : start + _INSERT_ROWS]
        marks = "(" + ", ".join("?" for _ in chunk[0]) + ")"
        values = ", ".join(marks for _ in chunk)
        con.execute(f"INSERT INTO {table} VALUES {values}", [v for row in chunk for v in row])


def load_playbook(con: duckdb.DuckDBPyConnection, playbook: Playbook) -> None:
    """Fill the declared tables from the playbook."""
    _insert(con, "declared_stages", declared_stages(playbook))
    _insert(con, "declared_handoffs", declared_handoffs(playbook))


def load_events(con: duckdb.DuckDBPyConnection, events: Iterable[Mapping[str, Any]]) -> None:
    """Append canonical events (dicts keyed by column name) to ``events``.

    They go through a CSV in a private temporary folder: DuckDB's CSV reader
    loads a hundred thousand rows far faster than row-by-row inserts. The
    file has every column, so its header is not read back; no events, no file.
    """
    events = iter(events)
    first = next(events, None)
    if first is None:
        return
    with tempfile.TemporaryDirectory(prefix="gtmplay-measure-") as tmp:
        path = Path(tmp) / "events.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(EVENT_COLUMN_NAMES)
            for event in itertools.chain((first,), events):
                writer.writerow([_csv_value(event.get(name)) for name in EVENT_COLUMN_NAMES])
        _load_file(con, str(path), None)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return value


def canonical_header(path: str, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """The columns of a generic-format file; a usage error when a required one is missing.

    ``con``: a connection to read it with; without one, a new in-memory one
    (opening it is most of the cost for a small file, about 15 ms).
    """
    import duckdb

    from gtmplay.errors import UsageError

    reader = (
        "read_parquet(?)" if path.lower().endswith(".parquet") else "read_csv(?, header = true)"
    )
    try:
        cursor = (con or duckdb.connect(":memory:")).execute(
            f"DESCRIBE SELECT * FROM {reader}", [path]
        )
        found = [str(row[0]) for row in cursor.fetchall()]
    except duckdb.Error as exc:
        raise UsageError(
            problem=f"{path}: cannot be read as the generic event format: {_first_line(exc)}",
            fix="write it as UTF-8 CSV with a header row, or Parquet (docs/measure.md)",
        ) from None
    missing = [c for c in REQUIRED_EVENT_COLUMNS if c not in found]
    if missing:
        raise UsageError(
            problem=f"{path}: no column {', '.join(repr(m) for m in missing)} "
            f"(columns found: {', '.join(found)})",
            fix="the generic event format needs " + ", ".join(REQUIRED_EVENT_COLUMNS),
        )
    return found


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def load_canonical(con: duckdb.DuckDBPyConnection, path: str) -> list[fig.BadRow]:
    """Append a file in the generic event format (CSV, or Parquet by suffix).

    Columns the file lacks are empty; a CSV row whose value does not fit its
    column's type (a date that is no date) is a bad row, returned with its
    line, and the other rows load.
    """
    return _load_file(con, path, canonical_header(path, con))


def _load_file(
    con: duckdb.DuckDBPyConnection, path: str, found: Sequence[str] | None
) -> list[fig.BadRow]:
    """:func:`load_canonical` of a file whose columns are ``found``.

    ``found`` None: a CSV that :func:`load_events` wrote, every column in
    order in :mod:`csv`'s default dialect, so DuckDB is told its layout
    instead of sniffing it (sniffing was a third of loading a small history).
    """
    if found is None:
        found = EVENT_COLUMN_NAMES
        layout = ", ".join(f"'{c.name}': '{c.type}'" for c in EVENT_COLUMNS)
        reader = (
            f"auto_detect = false, delim = ',', quote = '\"', escape = '\"', columns = {{{layout}}}"
        )
    else:
        types = ", ".join(f"'{c.name}': '{c.type}'" for c in EVENT_COLUMNS if c.name in found)
        reader = f"types = {{{types}}}"
    select = ", ".join(c.name if c.name in found else f"NULL AS {c.name}" for c in EVENT_COLUMNS)
    cols = ", ".join(EVENT_COLUMN_NAMES)
    if path.lower().endswith(".parquet"):
        con.execute(f"INSERT INTO events ({cols}) SELECT {select} FROM read_parquet(?)", [path])
        return []
    con.execute(
        f"INSERT INTO events ({cols}) SELECT {select} FROM read_csv(?, header = true, "
        f"{reader}, nullstr = '', store_rejects = true, "
        "rejects_table = 'gtmplay_rejects', rejects_scan = 'gtmplay_scans')",
        [path],
    )
    bad = con.execute(
        "SELECT line, column_name, error_message FROM gtmplay_rejects ORDER BY line"
    ).fetchall()
    con.execute("DROP TABLE IF EXISTS gtmplay_rejects")
    con.execute("DROP TABLE IF EXISTS gtmplay_scans")
    return [
        fig.BadRow(path, int(line), f"{column}: {_first_line(Exception(message))}")
        for line, column, message in bad
    ]


def _folded(
    con: duckdb.DuckDBPyConnection,
    table: str,
    select: str,
    lookup: Callable[[tuple[Any, ...], str], str | None],
) -> None:
    """Fill ``table`` (the key, the CRM name as written, its id) from the names ``select`` gives.

    ``select`` yields ``(*key, name)`` rows with each distinct name once; a
    name maps to ``lookup(key, fold(name))`` when that is not None. Folding in
    Python once per distinct name, rather than a regular expression in SQL on
    every row, costs nothing at any size and is
    :func:`gtmplay.measure.mapping.fold` itself, so the engine cannot fold
    differently from the mapping.
    """
    from gtmplay.measure.mapping import fold

    rows = []
    for *key, name in con.execute(select).fetchall():
        target = lookup(tuple(key), fold(name))
        if target is not None:
            rows.append((*key, name, target))
    _insert(con, table, rows)


def map_stages(con: duckdb.DuckDBPyConnection, names: Mapping[tuple[str, str, str], str]) -> None:
    """Fill ``stage`` where it is empty from ``(motion, kind, folded CRM name) -> id``.

    Run after :func:`resolve_motions`: a row of a motion takes that motion's
    name first, then the name for every motion (``''``). The lookup is done
    once per distinct (motion, kind, name) and joined back: no expression
    runs per row.
    """
    con.execute(
        "CREATE TEMP TABLE stage_names (motion VARCHAR, kind VARCHAR, name VARCHAR, stage VARCHAR)"
    )
    _folded(
        con,
        "stage_names",
        "SELECT DISTINCT COALESCE(motion, ''), kind, crm_stage FROM events "
        "WHERE stage IS NULL AND crm_stage IS NOT NULL ORDER BY ALL",
        lambda key, name: names.get((*key, name)) or names.get(("", key[1], name)),
    )
    con.execute(
        "UPDATE events SET stage = n.stage FROM stage_names AS n "
        "WHERE events.stage IS NULL AND n.kind = events.kind AND n.name = events.crm_stage "
        "AND n.motion = COALESCE(events.motion, '')"
    )


def resolve_motions(con: duckdb.DuckDBPyConnection, playbook: Playbook) -> None:
    """Replace the ``motion`` a deal row names by that motion's id.

    The data's motion is read as a motion's id, name or CRM name (record
    type, process, pipeline), folded; one that names no motion is left as
    written (its rows map by the names for every motion). Runs before
    :func:`map_stages`, which needs the motion, and :func:`assign_motions`.
    """
    from urllib.parse import unquote

    from gtmplay.measure.mapping import fold

    known: dict[str, str] = {}
    for m in playbook.sales_motions:
        crm = m.crm
        for name in (
            m.id,
            m.name,
            crm.salesforce_process,
            # a process name is written %-encoded (Growth%2FExpansion); data holds it plain
            unquote(crm.salesforce_process or ""),
            crm.salesforce_record_type,
            crm.hubspot_pipeline,
            crm.hubspot_pipeline_id,
            crm.pipedrive_pipeline,
        ):
            if name:
                known.setdefault(fold(name), m.id)  # fmt: skip
    con.execute("CREATE TEMP TABLE motion_names (name VARCHAR, motion VARCHAR)")
    _folded(
        con,
        "motion_names",
        "SELECT DISTINCT motion FROM events "
        "WHERE kind = 'deal' AND motion IS NOT NULL ORDER BY ALL",
        lambda _, name: known.get(name),
    )
    con.execute(
        "UPDATE events SET motion = n.motion FROM motion_names AS n "
        "WHERE events.kind = 'deal' AND events.motion IS NOT NULL AND n.name = events.motion"
    )


def assign_motions(con: duckdb.DuckDBPyConnection, playbook: Playbook) -> None:
    """Give each deal row without a motion one, for the queries' join on ``declared_stages``.

    Run after :func:`resolve_motions` and :func:`map_stages`. A deal whose
    rows name no motion goes to the motion holding most of its stages, on a
    tie the one with the fewest stages (the closest fit), then the first
    declared; a playbook that declares no motions has one, which every deal
    joins.
    """
    motions = playbook.sales_motions
    if len(motions) == 1 and motions[0].implicit:
        # the one motion of a playbook that declares none has the id '', which is
        # what the queries read an empty motion as (COALESCE(motion, '')): giving
        # it to every deal would rewrite every deal row and change no figure
        return
    con.execute("CREATE TEMP TABLE motion_order (motion VARCHAR, ord INTEGER, size INTEGER)")
    _insert(con, "motion_order", [(m.id, i, len(m.stages)) for i, m in enumerate(motions)])
    con.execute(
        """
        UPDATE events SET motion = best.motion FROM (
          SELECT record_id, motion FROM (
            SELECT r.record_id, d.motion,
              ROW_NUMBER() OVER (
                PARTITION BY r.record_id ORDER BY COUNT(*) DESC, MIN(o.size), MIN(o.ord)
              ) AS rank
            FROM (SELECT DISTINCT record_id, stage FROM events
                  WHERE kind = 'deal' AND motion IS NULL AND stage IS NOT NULL) AS r
            JOIN declared_stages AS d ON d.kind = 'deal' AND d.stage = r.stage
            JOIN motion_order AS o ON o.motion = d.motion
            GROUP BY r.record_id, d.motion
          ) WHERE rank = 1
        ) AS best
        WHERE events.kind = 'deal' AND events.motion IS NULL
          AND events.record_id = best.record_id
        """
    )


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    cols = [d[0] for d in cursor.description]
    return [dict(zip(cols, row, strict=True)) for row in cursor.fetchall()]


def run(con: duckdb.DuckDBPyConnection) -> fig.Measurement:
    """Create the views and run every result query: the measurement."""
    results: dict[str, list[dict[str, Any]]] = {}
    for query in QUERIES:
        if query.role == "view":
            # materialised once: a view would be recomputed by every query that reads it
            con.execute(f"CREATE OR REPLACE TEMP TABLE {query.name} AS\n{query.sql}")
        else:
            results[query.name] = _rows(con, query.sql)
    head = _rows(
        con,
        "SELECT (SELECT as_of FROM as_of) AS as_of, COUNT(*) AS n, "
        "COUNT(DISTINCT CASE WHEN kind = 'deal' THEN record_id END) AS deals, "
        "COUNT(DISTINCT CASE WHEN kind = 'lead' THEN record_id END) AS leads FROM events",
    )[0]
    # names that map to nothing, and deal stages outside the motion their deal is in
    # (both would otherwise leave the figures without a word)
    unmapped = _rows(
        con,
        "SELECT kind, CASE WHEN kind = 'deal' THEN COALESCE(motion, '') ELSE '' END AS motion, "
        "crm_stage, COUNT(*) AS rows FROM events AS e WHERE stage IS NULL "
        "OR (kind = 'deal' AND NOT EXISTS (SELECT 1 FROM declared_stages AS d "
        "WHERE d.kind = 'deal' AND d.stage = e.stage AND d.motion = COALESCE(e.motion, ''))) "
        "GROUP BY ALL ORDER BY kind, motion, crm_stage",
    )

    def of(cls: type[fig.F], name: str, key: Any) -> tuple[fig.F, ...]:
        return tuple(fig.figure_from_row(cls, r) for r in sorted(results[name], key=key))

    order = _stage_order(con)
    steps = {
        r["stage"]: r["position"]
        for r in _rows(con, "SELECT stage, position FROM declared_stages WHERE kind = 'lead'")
    }

    def by_stage(r: Mapping[str, Any]) -> tuple[str, int]:
        return (r["motion"], order.get((r["motion"], r["stage"]), 0))

    def per_grain(
        cls: type[fig.F], prefix: str, key: Any, grains: Iterable[str] = GRAINS
    ) -> tuple[fig.F, ...]:
        # each grain's figures in turn: month, then quarter (or by KPI frequency)
        return tuple(p for grain in grains for p in of(cls, f"{prefix}{grain}", key))

    as_of = head["as_of"]
    return fig.Measurement(
        as_of=None if as_of is None else as_of.isoformat(),
        rows=head["n"],
        deals=head["deals"],
        leads=head["leads"],
        stage_time=of(fig.StageTime, "stage_time", by_stage),
        step_time=of(fig.StageTime, "step_time", lambda r: steps.get(r["stage"], 0)),
        stage_conversion=of(fig.StageConversion, "stage_conversion", by_stage),
        cycle_length=of(fig.CycleLength, "cycle_length", lambda r: (r["motion"], r["kind"])),
        backward_moves=of(fig.BackwardMoves, "backward_moves", lambda r: (r["motion"], r["kind"])),
        handoff_sla=of(fig.HandoffSla, "handoff_sla", lambda r: r["handoff"]),
        waterfall=_waterfall(results["waterfall"]),
        breakdowns=tuple(
            b
            for dim in DIMENSIONS
            for b in of(
                fig.Breakdown,
                f"conversion_by_{dim}",
                lambda r: (r["kind"], r["motion"], -r["records"], r["value"]),
            )
        ),
        stage_periods=per_grain(
            fig.StagePeriod, "stage_time_by_", lambda r: (*by_stage(r), r["period"])
        ),
        conversion_periods=per_grain(
            fig.ConversionPeriod, "stage_conversion_by_", lambda r: (*by_stage(r), r["period"])
        ),
        waterfall_periods=tuple(
            p for grain in GRAINS for p in _waterfall_periods(results[f"waterfall_by_{grain}"])
        ),
        close_periods=per_grain(
            fig.ClosePeriod, "win_rate_by_", lambda r: (r["kind"], r["motion"], r["period"])
        ),
        deal_values=of(fig.DealValues, "deal_values", lambda r: r["motion"]),
        open_pipeline=of(fig.OpenPipeline, "open_pipeline", by_stage),
        revenue_periods=per_grain(
            fig.RevenuePeriod,
            "revenue_by_",
            lambda r: (r["motion"], r["period"]),
            FREQUENCY_GRAINS.values(),
        ),
        volume_periods=per_grain(
            fig.VolumePeriod,
            "volume_by_",
            lambda r: (r["kind"], r["motion"], r["stage"], r["period"]),
            FREQUENCY_GRAINS.values(),
        ),
        unmapped=tuple(fig.figure_from_row(fig.Unmapped, r) for r in unmapped),
    )


def _stage_order(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    return {
        (r["motion"], r["stage"]): r["position"]
        for r in _rows(
            con, "SELECT motion, stage, position FROM declared_stages WHERE kind = 'deal'"
        )
    }


def _to_next(ordered: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows of one funnel in step order, each with the next step and the share reaching it."""
    out = []
    for i, r in enumerate(ordered):
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        out.append(
            {
                **r,
                "next_step": nxt["step"] if nxt else None,
                "conversion": (
                    round(nxt["reached"] / r["reached"], fig.DIGITS)
                    if nxt and r["reached"]
                    else None
                ),
            }
        )
    return out


def _waterfall(rows: list[dict[str, Any]]) -> tuple[fig.WaterfallStep, ...]:
    ordered = sorted(rows, key=lambda r: r["position"])
    return tuple(fig.figure_from_row(fig.WaterfallStep, r) for r in _to_next(ordered))


def _waterfall_periods(rows: list[dict[str, Any]]) -> list[fig.WaterfallPeriod]:
    funnels: dict[Any, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: (r["period"], r["position"])):
        funnels.setdefault(r["period"], []).append(r)
    return [
        fig.figure_from_row(fig.WaterfallPeriod, r)
        for funnel in funnels.values()
        for r in _to_next(funnel)
    ]


def measure(
    playbook: Playbook,
    events: Iterable[Mapping[str, Any]] = (),
    canonical_files: Sequence[str] = (),
    names: Mapping[tuple[str, str, str], str] | None = None,
) -> fig.Measurement:
    """Measure ``events`` (and generic-format files) against ``playbook``.

    ``names`` maps ``(motion, kind, folded CRM name)`` to playbook ids; by default
    :func:`gtmplay.measure.mapping.names` of the playbook.
    """
    from gtmplay.measure.kpis import kpi_values
    from gtmplay.measure.mapping import names as default_names

    with tempfile.TemporaryDirectory(prefix="gtmplay-duckdb-") as spill:
        con = connect(spill)
        try:
            load_playbook(con, playbook)
            load_events(con, events)
            bad: list[fig.BadRow] = []
            for path in canonical_files:
                bad += load_canonical(con, path)
            resolve_motions(con, playbook)
            map_stages(con, default_names(playbook) if names is None else names)
            assign_motions(con, playbook)
            measured = run(con)
        finally:
            con.close()
    values, periods, factors = kpi_values(playbook, measured)
    return replace(
        measured,
        kpis=values,
        kpi_periods=periods,
        kpi_factors=factors,
        bad_rows=tuple(bad),
        bad_row_count=len(bad),
    )
