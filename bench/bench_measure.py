"""Benchmark of ``gtmplay measure``: generated stage histories of 1M and 10M rows.

Not a test: it prints a table. Usage::

    python bench/bench_measure.py                     # 1,000,000 and 10,000,000 rows
    python bench/bench_measure.py --rows 1000000 --markdown   # the docs/performance.md table
    python bench/bench_measure.py --keep out/         # keep the generated CSV files

For each size, :mod:`gtmplay.measure.generate` writes a seeded history of
``playbooks/acme`` (deals walking its stages, leads its funnel) in the generic
event CSV format; then, each in a process of its own so that its peak memory
(max RSS) is its own:

* ``gtmplay measure playbooks/acme FILE --format json`` (the command as a user
  runs it: check the playbook, read the file, run every query, render JSON);
* the engine alone, in-process: ``gtmplay.measure.engine.measure`` on the
  file as a canonical file (DuckDB reads it; no Python reader, no rules, no
  rendering);
* DuckDB running the bare queries on the same file: the canonical tables,
  the CSV loaded into ``events``, every query of ``gtmplay.measure.queries``
  (no playbook check, no rules, no rendering) — the floor ``measure`` is held
  to (target: at most 2x);
* ``bench/pandas_measure.py``: the core metrics written by hand in pandas (a
  bench-only dependency: ``pip install pandas``) — the baseline ``measure``
  must beat by at least 10x.

Times are wall-clock seconds and CPU seconds (user + system, the process and
its threads), best of ``--repeat``; memory is the peak resident size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = ROOT / "playbooks" / "acme"

_ENGINE = """
import sys
from gtmplay.measure.engine import measure
from gtmplay.pipeline import check_path
playbook = check_path(sys.argv[2], rules=False).playbook
measure(playbook, canonical_files=[sys.argv[1]])
"""

_DUCKDB_BARE = """
import sys
import duckdb
from gtmplay.measure.engine import declared_handoffs, declared_stages
from gtmplay.measure.events import EVENT_COLUMNS, TABLES, create_table_sql
from gtmplay.measure.queries import QUERIES
from gtmplay.model import build_playbook
import yaml, json
playbook = build_playbook(json.loads(open(sys.argv[2]).read()))
con = duckdb.connect()
for table in TABLES:
    con.execute(create_table_sql(table))
for table, rows in (("declared_stages", declared_stages(playbook)),
                    ("declared_handoffs", declared_handoffs(playbook))):
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
types = ", ".join(f"'{c.name}': '{c.type}'" for c in EVENT_COLUMNS)
cols = ", ".join(c.name for c in EVENT_COLUMNS)
con.execute(
    f"INSERT INTO events SELECT {cols} FROM read_csv(?, header = true, columns = {{{types}}}, "
    "nullstr = '', timestampformat = '%Y-%m-%d %H:%M:%S')", [sys.argv[1]])
for q in QUERIES:
    if q.role == "view":
        con.execute(f"CREATE TEMP TABLE {q.name} AS {q.sql}")
    else:
        con.execute(q.sql).fetchall()
"""


def generate(rows: int, path: Path, seed: int) -> float:
    from gtmplay.measure import generate as g
    from gtmplay.pipeline import check_path

    playbook = check_path(str(PLAYBOOK), rules=False).playbook
    assert playbook is not None
    start = time.perf_counter()
    with path.open("w", encoding="utf-8", newline="") as out:
        # a tenth of the records are leads (their events, and the deals they open)
        events = g.history(playbook, seed=seed, leads=rows // 40, rows=rows, days=730)
        g.write_events(out, events)
    return time.perf_counter() - start


def run(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (bytes) of one process.

    Exit status 1 is fine: ``measure`` finds the generated history over target in
    places (the generator spreads stays around the targets), and says so.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} failed ({status}): {err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def best(cmd: list[str], repeat: int) -> tuple[float, float, int]:
    results = [run(cmd) for _ in range(repeat)]
    return min(r[0] for r in results), min(r[1] for r in results), max(r[2] for r in results)


def playbook_json(folder: Path) -> Path:
    import json

    from gtmplay.pipeline import check_path

    result = check_path(str(PLAYBOOK), rules=False)
    path = folder / "playbook.json"
    path.write_text(json.dumps(result.doc), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")
    parser.add_argument(
        "--cli-max-rows",
        type=int,
        default=None,
        help="run the gtmplay measure command only up to this many rows (default: all)",
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="gtmplay-bench-measure-"))
    folder.mkdir(parents=True, exist_ok=True)
    doc = playbook_json(folder)
    python = sys.executable
    gtmplay = [python, "-m", "gtmplay"]
    rows_out = []
    for rows in args.rows:
        path = folder / f"events-{rows}.csv"
        made = generate(rows, path, args.seed) if not path.exists() else 0.0
        size = path.stat().st_size
        print(f"{rows:,} rows: generated in {made:.1f} s, {size / 1e6:.0f} MB", file=sys.stderr)
        measure = None
        if args.cli_max_rows is None or rows <= args.cli_max_rows:
            measure = best([*gtmplay, "measure", str(PLAYBOOK), str(path), "--format", "json"],
                           args.repeat)  # fmt: skip
        engine = best([python, "-c", _ENGINE, str(path), str(PLAYBOOK)], args.repeat)
        bare = best([python, "-c", _DUCKDB_BARE, str(path), str(doc)], args.repeat)
        pandas = None
        if not args.no_pandas:
            pandas = best([python, str(ROOT / "bench" / "pandas_measure.py"), str(PLAYBOOK),
                           str(path)], args.repeat)  # fmt: skip
        rows_out.append((rows, size, measure, engine, bare, pandas))
        if not args.keep:
            path.unlink()
        print_table(rows_out[-1:], markdown=args.markdown, head=len(rows_out) == 1)
        sys.stdout.flush()


Timing = tuple[float, float, int]


def _time(t: Timing | None) -> str:
    return f"{t[0]:.1f} s / {t[1]:.1f} s" if t else "-"


def _rss(t: Timing | None) -> str:
    return f"{t[2] / 2**20:,.0f} MiB" if t else "-"


def _ratio(a: Timing | None, b: Timing | None) -> str:
    return f"{a[1] / b[1]:.2f}x" if a and b else "-"


def print_table(
    rows: list[tuple[int, int, Timing | None, Timing, Timing, Timing | None]],
    *,
    markdown: bool,
    head: bool = True,
) -> None:
    titles = [
        "rows", "CSV", "measure wall / CPU", "measure peak RSS", "engine wall / CPU",
        "engine peak RSS", "bare DuckDB wall / CPU", "bare DuckDB peak RSS",
        "pandas wall / CPU", "pandas peak RSS", "measure ÷ DuckDB (CPU)",
        "engine ÷ DuckDB (CPU)", "pandas ÷ measure (CPU)", "pandas ÷ engine (CPU)",
    ]  # fmt: skip
    lines = [
        [
            f"{n:,}", f"{size / 1e6:,.0f} MB", _time(m), _rss(m), _time(e), _rss(e), _time(d),
            _rss(d), _time(p), _rss(p), _ratio(m, d), _ratio(e, d), _ratio(p, m), _ratio(p, e),
        ]
        for n, size, m, e, d, p in rows
    ]  # fmt: skip
    if markdown:
        if head:
            print("| " + " | ".join(titles) + " |")
            print("|" + "---:|" * len(titles))
        for line in lines:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(x) for x in col) for col in zip(titles, *lines, strict=True)]
    for line in [titles, *lines] if head else lines:
        print("  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)))


if __name__ == "__main__":
    main()
