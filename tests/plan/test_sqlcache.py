"""The sql and dbt targets keep the fixed queries, transpiled, between runs, in files that
hold nothing of the playbook: a warm build prints what a cold one printed, parsing nothing.
What the playbook declares is kept apart, one text per name and dialect, reused only for
the same rows: a build whose declarations did not change imports no sqlglot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gtmplay.measure import dbtexport, sqlcache, sqlexport
from gtmplay.measure.queries import QUERIES

from .test_sqlexport import ACME, MOTIONS, build, playbook


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GTMPLAY_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts sqlglot is asked to parse and transpile (sql: whole texts; dbt: models)."""
    calls: list[str] = []
    transpile, model_sql = sqlexport.transpile, dbtexport.model_sql

    def counting_transpile(sql: str, dialect: str) -> str:
        calls.append(sql)
        return transpile(sql, dialect)

    def counting_model(sql: str, dialect: str, names: set[str]) -> str:
        calls.append(sql)
        return model_sql(sql, dialect, names)

    monkeypatch.setattr(sqlexport, "transpile", counting_transpile)
    monkeypatch.setattr(dbtexport, "transpile", counting_transpile)
    monkeypatch.setattr(dbtexport, "model_sql", counting_model)
    return calls


@pytest.mark.parametrize("dialect", ["duckdb", "bigquery"])
def test_a_warm_build_prints_what_a_cold_one_did_and_parses_nothing(
    dialect: str, tmp_path: Path, cache: Path, counted: list[str]
) -> None:
    args = ("--only", "sql,dbt", "--dialect", dialect)
    cold = build(tmp_path / "cold", *args)
    # three tables, the queries as views and as models; the declared rows are not parsed
    assert len(counted) == 3 + 2 * len(QUERIES)
    assert not [t for t in counted if t.startswith(("INSERT INTO declared_", "SELECT CAST("))]
    counted.clear()
    assert build(tmp_path / "warm", *args) == cold
    assert counted == []
    assert [p.name.split("-")[0] for p in (cache / "sql").iterdir()] == [dialect]


def test_the_cache_holds_nothing_of_the_playbook(tmp_path: Path, cache: Path) -> None:
    files = build(tmp_path / "out", "--only", "sql,dbt")
    (kept,) = (cache / "sql").iterdir()
    text = kept.read_text(encoding="utf-8")
    pb = playbook(ACME)
    stages, handoffs = [s.id for s in pb.stages], [h.id for h in pb.handoffs]
    assert stages and handoffs
    assert all(f"'{i}'" in files["sql/duckdb/declared.sql"] for i in stages + handoffs)
    assert all(f"'{i}'" in files["dbt/models/declared_stages.sql"] for i in stages)
    assert [i for i in stages + handoffs if i in text] == []


def test_a_damaged_or_unwritable_cache_only_costs_time(
    tmp_path: Path, cache: Path, counted: list[str]
) -> None:
    cold = build(tmp_path / "cold", "--only", "sql")
    (kept,) = (cache / "sql").iterdir()
    kept.write_text('{"not": 1, "cut off', encoding="utf-8")
    counted.clear()
    assert build(tmp_path / "damaged", "--only", "sql") == cold
    assert len(counted) == 3 + len(QUERIES)  # transpiled again, and kept again
    assert build(tmp_path / "again", "--only", "sql") == cold
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GTMPLAY_CACHE_DIR", str(blocker / "cache"))
        assert build(tmp_path / "unwritable", "--only", "sql") == cold


def test_another_sqlglot_release_or_dialect_is_another_file(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = {sqlcache.FixedSql._file(d) for d in ("duckdb", "postgres")}
    monkeypatch.setattr(sqlcache, "_sqlglot_release", lambda: b"__version__ = '99.0.0'")
    names |= {sqlcache.FixedSql._file("duckdb")}
    assert len(names) == 3 and None not in names
    monkeypatch.setattr(sqlcache, "_sqlglot_release", lambda: None)
    assert sqlcache.FixedSql._file("duckdb") is None  # no cache: transpiled each time


def test_a_build_declaring_what_the_last_one_did_imports_no_sqlglot(tmp_path: Path) -> None:
    # in a process of its own: this one has imported sqlglot long ago
    probe = (
        "import sys; from gtmplay.cli import main; code = main(sys.argv[1:]); "
        "print(code, 'sqlglot' in sys.modules)"
    )
    env = {**os.environ, "GTMPLAY_CACHE_DIR": str(tmp_path / "cache")}
    seen = []
    for run in ("cold", "warm"):
        args = ["build", MOTIONS, "-o", str(tmp_path / run), "--only", "sql,dbt"]
        proc = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env
        )
        seen.append(proc.stdout.splitlines()[-1])
    assert seen == ["0 True", "0 False"]
    files = sorted(p.relative_to(tmp_path / "cold") for p in (tmp_path / "cold").rglob("*.sql"))
    assert len(files) == 3 + len(QUERIES) + 5
    for name in files:
        assert (tmp_path / "warm" / name).read_bytes() == (tmp_path / "cold" / name).read_bytes()


def test_other_declarations_are_printed_again_in_the_same_files(
    tmp_path: Path, cache: Path
) -> None:
    declared = ("sql/duckdb/declared.sql", "dbt/models/declared_stages.sql")
    # each playbook alone, in a cache folder of its own
    alone = {}
    for path in (ACME, MOTIONS):
        with pytest.MonkeyPatch.context() as patch:
            name = Path(path).name
            patch.setenv("GTMPLAY_CACHE_DIR", str(tmp_path / "caches" / name))
            alone[path] = build(tmp_path / "alone" / name, "--only", "sql,dbt", playbook=path)
    assert alone[ACME]["sql/duckdb/declared.sql"] != alone[MOTIONS]["sql/duckdb/declared.sql"]
    # one after the other, in one folder: each prints its own rows, never the last one's
    for n, path in enumerate((ACME, MOTIONS, ACME, MOTIONS)):
        files = build(tmp_path / f"turn{n}", "--only", "sql,dbt", playbook=path)
        assert [files[d] for d in declared] == [alone[path][d] for d in declared]
    assert sorted(p.name for p in (cache / "declared").iterdir()) == [
        "dbt-declared_handoffs-duckdb.sql",
        "dbt-declared_stages-duckdb.sql",
        "declared-duckdb.sql",
    ]


def test_a_damaged_declared_file_is_printed_again(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = build(tmp_path / "cold", "--only", "sql")
    kept = cache / "declared" / "declared-duckdb.sql"
    head, text = kept.read_text(encoding="utf-8").split("\n", 1)
    assert text == cold["sql/duckdb/declared.sql"]
    printed: list[str] = []
    insert_tree = sqlexport.insert_tree

    def counting(table: str, rows: Any) -> Any:
        printed.append(table)
        return insert_tree(table, rows)

    monkeypatch.setattr(sqlexport, "insert_tree", counting)
    other_rows = f"-- gtmplay {'0' * 64} {head.split()[-1]}"
    # cut off, the digest of other rows, not UTF-8
    for damage in (f"{head}\nINSERT INTO cut".encode(), f"{other_rows}\n{text}".encode(), b"\xff"):
        kept.write_bytes(damage)
        printed.clear()
        assert build(tmp_path / "again", "--only", "sql") == cold
        assert printed == ["declared_stages", "declared_handoffs"]
        assert kept.read_text(encoding="utf-8") == f"{head}\n{text}"
    printed.clear()
    assert build(tmp_path / "warm", "--only", "sql") == cold
    assert printed == []
