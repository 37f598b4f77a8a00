"""The sql and dbt targets keep the fixed queries, transpiled, between runs, and nothing
of the playbook: a warm build prints what a cold one printed, parsing nothing (what the
playbook declares is built as sqlglot trees and printed in every build)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmplay.measure import dbtexport, sqlcache, sqlexport
from gtmplay.measure.queries import QUERIES

from .test_sqlexport import ACME, build, playbook


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
