"""``build --only sql`` and ``--only dbt``: measure's queries, transpiled, giving its figures."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from gtmplay.cli import main
from gtmplay.measure import generate
from gtmplay.measure.queries import QUERIES
from gtmplay.measure.sqlexport import DIALECTS
from gtmplay.model import Playbook
from gtmplay.pipeline import check_path

ROOT = Path(__file__).resolve().parents[2]
ACME = str(ROOT / "playbooks" / "acme")
MOTIONS = str(ROOT / "playbooks" / "acme-motions")
_JINJA = re.compile(r"\{\{\s*(ref|source)\(([^)]*)\)\s*\}\}")


def build(out: Path, *args: str, playbook: str = ACME) -> dict[str, str]:
    code = main(["build", playbook, "-o", str(out), *args])
    assert code == 0
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


@cache
def playbook(path: str) -> Playbook:
    result = check_path(path)
    assert result.playbook is not None
    return result.playbook


@pytest.mark.parametrize("dialect", DIALECTS)
def test_transpiled_sql_parses_in_its_dialect(dialect: str, tmp_path: Path) -> None:
    import sqlglot

    files = build(tmp_path / "out", "--only", "sql", "--dialect", dialect, playbook=MOTIONS)
    assert sorted(files) == [f"sql/{dialect}/{n}.sql" for n in ("declared", "metrics", "schema")]
    counts = {}
    for name, text in files.items():
        statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
        counts[name.rsplit("/", 1)[1]] = len(statements)
    assert counts == {"schema.sql": 3, "declared.sql": 2, "metrics.sql": len(QUERIES)}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_dbt_models_parse_in_their_dialect(dialect: str, tmp_path: Path) -> None:
    import sqlglot
    import yaml

    files = build(tmp_path / "out", "--only", "dbt", "--dialect", dialect)
    models = {n for n in files if n.startswith("dbt/models/") and n.endswith(".sql")}
    names = [q.name for q in QUERIES] + ["declared_stages", "declared_handoffs"]
    assert models == {f"dbt/models/{n}.sql" for n in names}
    for name in models:
        bare = _JINJA.sub(lambda m: m.group(2).split(",")[-1].strip(" '\""), files[name])
        assert "{{" not in bare, name
        sqlglot.parse_one(bare, read=dialect)
    project = yaml.safe_load(files["dbt/dbt_project.yml"])
    assert project["profile"] == "gtmplay_measure"
    assert project["vars"] == {"min_sample": 30, "tolerance": 0.1}
    assert sorted(n for n in files if n.startswith("dbt/tests/")) == [
        "dbt/tests/handoff_sla_missed.sql",
        "dbt/tests/probability_miscalibrated.sql",
        "dbt/tests/stage_over_target.sql",
    ]
    # the stays model reads the source and the declared stages, by ref
    stays = files["dbt/models/stays.sql"]
    assert "{{ source('crm', 'events') }}" in stays
    assert "{{ ref('declared_stages') }}" in stays and "{{ ref('as_of') }}" in stays


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build(tmp_path / "a", "--only", "sql,dbt", "--dialect", "snowflake")
    assert first == build(tmp_path / "b", "--only", "sql,dbt", "--dialect", "snowflake")


def test_dialect_without_a_sql_target_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["build", ACME, "-o", str(tmp_path / "out"), "--only", "html",
                 "--dialect", "postgres"])  # fmt: skip
    _, err = capsys.readouterr()
    assert (code, err) == (
        2,
        "gtmplay: error: --dialect applies to the sql and dbt targets only. Add --only sql or "
        "--only dbt, or leave --dialect out.\n",
    )
    assert not (tmp_path / "out").exists()


def generated_events(path: Path, pb: Playbook) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        generate.write_events(out, generate.history(pb, seed=5, deals=3000, leads=3000))
    return path


def test_the_exported_sql_on_duckdb_gives_measure_s_figures(tmp_path: Path) -> None:
    # the three files, run by hand on a fresh DuckDB, against the engine's own measurement
    import duckdb

    from gtmplay.measure import engine
    from gtmplay.measure.events import EVENT_COLUMN_NAMES

    pb = playbook(MOTIONS)
    files = build(tmp_path / "out", "--only", "sql", playbook=MOTIONS)
    events = generated_events(tmp_path / "events.csv", pb)
    con = duckdb.connect()
    con.execute(files["sql/duckdb/schema.sql"])
    con.execute(files["sql/duckdb/declared.sql"])
    cols = ", ".join(EVENT_COLUMN_NAMES)
    con.execute(
        f"INSERT INTO events ({cols}) SELECT {cols} FROM read_csv(?, header = true, "
        "all_varchar = true, nullstr = '')",
        [str(events)],
    )
    con.execute(files["sql/duckdb/metrics.sql"])
    measured = engine.measure(pb, canonical_files=[str(events)])

    def rows(view: str, keys: str) -> list[tuple[object, ...]]:
        return con.execute(f"SELECT {keys} FROM {view} ORDER BY ALL").fetchall()

    assert rows("stage_conversion", "motion, stage, entered, advanced, won, closed") == sorted(
        (r.motion, r.stage, r.entered, r.advanced, r.won, r.closed)
        for r in measured.stage_conversion
    )
    assert rows("waterfall", "step, reached") == sorted(
        (w.step, w.reached) for w in measured.waterfall
    )
    got = rows("stage_time", "motion, stage, stays, round(median_days, 6)")
    assert got == sorted((t.motion, t.stage, t.stays, t.median_days) for t in measured.stage_time)
    assert len(got) == 8  # new business: five open stages; expansion: three
    assert _period_rows(con) == _measured_periods(measured)


def _period_rows(con: Any) -> list[list[tuple[object, ...]]]:
    # the per-period queries, as the exported SQL (or the dbt models) left them
    out = []
    for grain in ("month", "quarter"):
        for view, keys in (
            (
                f"stage_conversion_by_{grain}",
                "motion, stage, period, entered, advanced, won, closed",
            ),
            (f"waterfall_by_{grain}", "period, step, reached"),
            (f"win_rate_by_{grain}", "motion, kind, period, closed, won, lost"),
        ):
            sql = f"SELECT {keys} FROM {view} ORDER BY ALL"
            out.append([tuple(str(v) for v in r) for r in con.execute(sql).fetchall()])
    return out


def _measured_periods(m: Any) -> list[list[tuple[object, ...]]]:
    out = []
    for grain in ("month", "quarter"):
        out += [
            sorted(
                tuple(
                    str(v)
                    for v in (c.motion, c.stage, c.period, c.entered, c.advanced, c.won, c.closed)
                )
                for c in m.conversion_periods
                if c.grain == grain
            ),
            sorted(
                (str(w.period), str(w.step), str(w.reached))
                for w in m.waterfall_periods
                if w.grain == grain
            ),
            sorted(
                tuple(str(v) for v in (c.motion, c.kind, c.period, c.closed, c.won, c.lost))
                for c in m.close_periods
                if c.grain == grain
            ),
        ]
    assert all(out), "the generated history fills every per-period figure"
    return out


# `dbt build` of each project named on the command line (a JSON list of argument lists),
# all in one start of dbt: the start, mostly imports, costs about 1.7 s of CPU, and a
# second build in the same process parses faster. dbtRunner is what the dbt command runs;
# each build's log is followed by a line with the exit status the command would give
# (0 every node passed, 1 a model or test failed, 2 dbt itself failed).
DBT_BUILDS = """
import json, sys
from dbt.cli.main import dbtRunner
runner = dbtRunner()
for args in json.loads(sys.argv[1]):
    result = runner.invoke(["build", *args])
    status = 0 if result.success else 1 if result.exception is None else 2
    sys.stdout.flush()
    print(f"\\n{sys.argv[2]} {status}", flush=True)
"""
DBT_END = "==gtmplay: dbt build exited"


def dbt_builds(dbt: str, builds: list[list[str]], env: dict[str, str]) -> list[tuple[int, str]]:
    """Each build's exit status and log, run by the Python that runs ``dbt``."""
    import json
    import subprocess

    first = Path(dbt).read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
    if not first.startswith("#!") or "python" not in first:
        pytest.fail(f"GTMPLAY_DBT={dbt} is not dbt's Python script (no #!...python line)")
    done = subprocess.run(
        [first[2:].strip(), "-c", DBT_BUILDS, json.dumps(builds), DBT_END],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    # [log, status, log, status, ..., what follows the last status line]
    parts = re.split(rf"\n{re.escape(DBT_END)} (\d)\n", done.stdout)
    assert done.returncode == 0 and len(parts) == 2 * len(builds) + 1, (
        done.stdout[-3000:] + done.stderr[-3000:]
    )
    return [(int(status), log) for log, status in zip(parts[:-1:2], parts[1::2], strict=True)]


def test_dbt_project_runs_and_gives_measure_s_figures(tmp_path: Path) -> None:
    import os

    dbt = os.environ.get("GTMPLAY_DBT")
    if not dbt:
        pytest.skip("GTMPLAY_DBT is not set: .ci/run sets it to the dbt of its .venv-dbt")
    import duckdb

    from gtmplay.measure import engine
    from gtmplay.measure.events import create_table_sql

    pb = playbook(MOTIONS)
    build(tmp_path / "out", "--only", "dbt", playbook=MOTIONS)
    database = tmp_path / "crm.duckdb"
    events = generated_events(tmp_path / "events.csv", pb)
    with duckdb.connect(str(database)) as con:
        con.execute(create_table_sql("events"))
        con.execute(
            "INSERT INTO events SELECT * FROM read_csv(?, header = true, nullstr = '', "
            "all_varchar = true)",
            [str(events)],
        )
    # the same data against a playbook that declares a 2-day discovery: its test fails. It is
    # built into a copy of the database, so the first build's views are the ones read below
    broken = tmp_path / "broken"
    shutil.copytree(MOTIONS, broken)
    stages = broken / "stages.yaml"
    text = stages.read_text(encoding="utf-8")
    stages.write_text(text.replace("target_days: 10\n", "target_days: 2\n", 1), encoding="utf-8")
    build(tmp_path / "broken-out", "--only", "dbt", playbook=str(broken))
    shutil.copyfile(database, tmp_path / "broken.duckdb")
    (tmp_path / "profiles.yml").write_text(
        "gtmplay_measure:\n  target: ci\n  outputs:\n"
        + "".join(
            f"    {name}:\n      type: duckdb\n      path: '{tmp_path / name}.duckdb'\n"
            "      threads: 1\n"
            for name in ("crm", "broken")
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "DBT_PROFILES_DIR": str(tmp_path), "DBT_SEND_ANONYMOUS_USAGE_STATS": "0"}
    # `dbt build` runs the models, then their tests: it exits 0 only when every model
    # ran and every test passed
    (status, log), (broken_status, broken_log) = dbt_builds(
        dbt,
        [
            ["--project-dir", str(tmp_path / "out" / "dbt"), "--target", "crm"],
            ["--project-dir", str(tmp_path / "broken-out" / "dbt"), "--target", "broken"],
        ],
        env,
    )
    # the generated history follows the playbook: every declared target holds
    assert status == 0, log[-3000:]
    measured = engine.measure(pb, canonical_files=[str(events)])
    with duckdb.connect(str(database), read_only=True) as con:
        got = con.execute(
            "SELECT motion, stage, entered, advanced, won, closed FROM stage_conversion "
            "ORDER BY ALL"
        ).fetchall()
        steps = con.execute("SELECT step, reached FROM waterfall ORDER BY ALL").fetchall()
        periods = _period_rows(con)
    assert got == sorted(
        (r.motion, r.stage, r.entered, r.advanced, r.won, r.closed)
        for r in measured.stage_conversion
    )
    assert steps == sorted((w.step, w.reached) for w in measured.waterfall)
    assert periods == _measured_periods(measured)

    assert broken_status == 1, broken_log[-3000:]
    assert "FAIL 2 stage_over_target" in broken_log  # discovery, in each of the two motions
    assert "PASS probability_miscalibrated" in broken_log


def test_the_dbt_yaml_files_are_what_the_pure_python_emitter_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    assert hasattr(yaml, "CSafeDumper")  # libyaml: what a build uses
    made = build(tmp_path / "libyaml", "--only", "dbt")
    monkeypatch.delattr(yaml, "CSafeDumper")
    pure = build(tmp_path / "pure", "--only", "dbt")
    assert made == pure
    assert len([n for n in made if n.endswith(".yml")]) == 3
    assert (
        "description: The CRM history in gtmplay's generic event format."
        in (made["dbt/models/sources.yml"])
    )


def test_the_sql_targets_do_not_load_the_engine(tmp_path: Path) -> None:
    # the declared rows are plain Python (measure/declared.py): printing them
    # needs neither DuckDB's helpers nor the figures (about 20 ms of a build)
    import subprocess
    import sys

    wanted = "gtmplay.measure.dbtexport,gtmplay.measure.engine,gtmplay.measure.figures"
    probe = (
        "import sys; from gtmplay.cli import main; code = main(sys.argv[2:]); "
        "print(code, sorted(m for m in sys.modules if m in sys.argv[1].split(',')))"
    )
    args = ["build", MOTIONS, "-o", str(tmp_path / "out"), "--only", "sql,dbt"]
    proc = subprocess.run(
        [sys.executable, "-c", probe, wanted, *args], capture_output=True, text=True, check=False
    )
    assert proc.stdout.splitlines()[-1] == "0 ['gtmplay.measure.dbtexport']"
