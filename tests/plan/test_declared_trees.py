"""The declared rows of the sql and dbt targets are built as sqlglot trees, not
printed as text and parsed again: each dialect must print exactly what it printed
from the parsed text, whatever the playbook's values."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gtmplay.measure.dbtexport import declared_sql
from gtmplay.measure.events import TABLES
from gtmplay.measure.sqlexport import DIALECTS, insert_tree, literal, printed, transpile

# what the targets printed before: the rows as DuckDB text, parsed by sqlglot


def insert_text(table: str, rows: list[tuple[Any, ...]]) -> str:
    columns = ", ".join(c.name for c in TABLES[table])
    values = ",\n  ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)
    return f"INSERT INTO {table} ({columns}) VALUES\n  {values}"


def union_text(table: str, rows: list[tuple[Any, ...]]) -> str:
    columns = TABLES[table]
    return "\nUNION ALL\n".join(
        "SELECT "
        + ", ".join(
            f"CAST({literal(v)} AS {c.type}) AS {c.name}" for v, c in zip(row, columns, strict=True)
        )
        for row in rows
    )


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),  # inf and nan too: printed as before, whatever that is
    st.text(max_size=12),
    st.sampled_from(
        ["", "it's", "a\\b", "\\'", "'';--", "line\nbreak", "tab\t", "é ü 中", "%s {x}"]
    ),
)


def rows_of(table: str) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    width = len(TABLES[table])
    return st.lists(st.tuples(*[values] * width), min_size=1, max_size=4)


SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(rows=rows_of("declared_stages"), dialect=st.sampled_from(DIALECTS))
def test_a_declared_union_prints_as_its_parsed_text(
    rows: list[tuple[Any, ...]], dialect: str
) -> None:
    assert declared_sql("declared_stages", rows, dialect) == transpile(
        union_text("declared_stages", rows), dialect
    )


@SLOW
@given(rows=rows_of("declared_handoffs"), dialect=st.sampled_from(DIALECTS))
def test_a_declared_insert_prints_as_its_parsed_text(
    rows: list[tuple[Any, ...]], dialect: str
) -> None:
    built = printed([insert_tree("declared_handoffs", rows)], dialect)
    assert built == transpile(insert_text("declared_handoffs", rows), dialect)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_typical_rows_in_every_dialect(dialect: str) -> None:
    # a playbook's own values: ids, a quote, positions, days and percentages, no SLA
    rows = [
        ("", "mql", "lead", 1, "open", None, None),
        ("smb", "o'brien", "deal", 2, "won", 2.5, 100.0),
        ("smb", "lost", "deal", 3, "lost", -1.0, 0.0),
    ]
    assert declared_sql("declared_stages", rows, dialect) == transpile(
        union_text("declared_stages", rows), dialect
    )
    built = printed([insert_tree("declared_stages", rows)], dialect)
    assert built == transpile(insert_text("declared_stages", rows), dialect)
    assert "'o''brien'" in built or "'o\\'brien'" in built
