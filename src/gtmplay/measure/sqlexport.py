"""``gtmplay build --only sql``: measure's metrics as SQL for the warehouse.

Teams whose CRM history already sits in a warehouse run the metrics there.
The SQL is not written again for them: every query of
:data:`gtmplay.measure.queries.QUERIES` (the texts ``gtmplay measure`` runs
on DuckDB) is transpiled by sqlglot into the dialect asked for, so the
warehouse computes the same figures. The build writes, under
``sql/<dialect>/``:

* ``schema.sql``: the canonical tables (``events``, ``declared_stages``,
  ``declared_handoffs``; :mod:`gtmplay.measure.events`);
* ``declared.sql``: the playbook's declarations as rows of the declared tables
  (stages with target days and probabilities, handoffs with SLA hours);
* ``metrics.sql``: one ``CREATE OR REPLACE VIEW`` per query, in dependency
  order, each preceded by what it computes.

Load the CRM history into ``events`` (the generic event format) and run the
three files in order. :mod:`gtmplay.measure.dbtexport` builds a dbt project
from the same pieces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from gtmplay.measure.events import TABLES, create_table_sql
from gtmplay.measure.warehouses import DEFAULT_DIALECT as DEFAULT_DIALECT
from gtmplay.measure.warehouses import DIALECTS as DIALECTS
from gtmplay.measure.warehouses import SOURCE_DIALECT as SOURCE_DIALECT

if TYPE_CHECKING:
    from sqlglot import exp

    from gtmplay.measure.sqlcache import FixedSql
    from gtmplay.model import Playbook


class BuildInput(Protocol):
    """What the sql and dbt targets read of the build's ``BuildContext``.

    A protocol, not the class: :mod:`gtmplay.render` (the scorecard) imports this
    package, so importing it back would make a cycle.
    """

    @property
    def playbook(self) -> Playbook: ...

    @property
    def dialect(self) -> str | None: ...


def transpile(sql: str, dialect: str) -> str:
    """``sql`` (DuckDB's dialect) as ``dialect`` writes it, pretty-printed.

    sqlglot translates the syntax; :mod:`gtmplay.measure.dialects` rewrites
    what would otherwise compute something else in ``dialect`` (or fail there).
    """
    import sqlglot

    return printed(sqlglot.parse(sql, read=SOURCE_DIALECT), dialect)


def printed(trees: Sequence[exp.Expr | None], dialect: str) -> str:
    """DuckDB trees (parsed, or built as the parser would) as ``dialect`` writes them,
    pretty-printed and rewritten as :func:`transpile` says."""
    from gtmplay.measure.dialects import rewrite

    return ";\n".join(
        rewrite(tree, dialect).sql(dialect=dialect, pretty=True) for tree in trees if tree
    )


def transpile_fixed(sql: str, dialect: str, fixed: FixedSql | None) -> str:
    """As :func:`transpile`, for a text that does not depend on the playbook: taken
    from ``fixed`` (the texts kept between runs) when given."""
    if fixed is None:
        return transpile(sql, dialect)
    return fixed.get(f"transpile\0{sql}", lambda: transpile(sql, dialect))


def literal(value: Any) -> str:
    """A Python value as an SQL literal in DuckDB's dialect (the transpiler's input)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(value)
    return "'" + str(value).replace("'", "''") + "'"


def declared_rows(playbook: Playbook) -> dict[str, list[tuple[Any, ...]]]:
    """The declared tables' rows, as :mod:`gtmplay.measure.engine` loads them."""
    from gtmplay.measure.declared import declared_handoffs, declared_stages

    return {
        "declared_stages": declared_stages(playbook),
        "declared_handoffs": declared_handoffs(playbook),
    }


# what the parser reads as one number literal (a sign before it makes a Neg)
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


def value_tree(value: Any) -> exp.Expr:
    """``value`` as the tree sqlglot parses from :func:`literal`, built without parsing.

    The playbook's rows were printed as text and parsed again, most of the
    dbt target's time. Its strings are still quoted by sqlglot, in each
    dialect; a value written otherwise than plain digits (``inf``, ``1e-05``)
    is parsed as before, so that every value prints as it did.
    """
    from sqlglot import exp

    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    text = literal(value)
    digits = text.removeprefix("-")
    if _NUMBER.fullmatch(digits):
        number = exp.Literal(this=digits, is_string=False)
        return exp.Neg(this=number) if digits != text else number
    import sqlglot

    return sqlglot.parse_one(text, read=SOURCE_DIALECT)


def insert_tree(table: str, rows: Sequence[tuple[Any, ...]]) -> exp.Insert:
    """``INSERT INTO table (columns) VALUES rows`` (DuckDB), as the parser builds it."""
    from sqlglot import exp

    columns = [exp.Identifier(this=c.name, quoted=False) for c in TABLES[table]]
    values = [exp.Tuple(expressions=[value_tree(v) for v in row]) for row in rows]
    return exp.Insert(
        this=exp.Schema(
            this=exp.Table(this=exp.Identifier(this=table, quoted=False)), expressions=columns
        ),
        expression=exp.Values(expressions=values),
    )


def _header(title: str, dialect: str) -> str:
    return f"-- {title}\n-- Generated by gtmplay from the playbook; dialect: {dialect}.\n\n"


def schema_file(dialect: str, fixed: FixedSql | None = None) -> str:
    parts = [transpile_fixed(create_table_sql(table), dialect, fixed) + ";" for table in TABLES]
    return _header("The canonical tables of gtmplay measure", dialect) + "\n\n".join(parts) + "\n"


def declared_file(playbook: Playbook, dialect: str) -> str:
    from gtmplay.measure.sqlcache import declared_text

    tables = declared_rows(playbook)

    def make() -> str:
        parts = [
            printed([insert_tree(table, rows)], dialect) + ";"
            for table, rows in tables.items()
            if rows
        ]
        body = "\n\n".join(parts) if parts else "-- the playbook declares nothing to load"
        return _header("What the playbook declares", dialect) + body + "\n"

    # the rows as last printed when the playbook declares the same: no sqlglot to import
    return declared_text("declared", dialect, tables, make)


def metrics_file(dialect: str, fixed: FixedSql | None = None) -> str:
    from gtmplay.measure.queries import QUERIES

    parts = []
    for query in QUERIES:
        view = f"CREATE OR REPLACE VIEW {query.name} AS\n{query.sql}"
        sql = transpile_fixed(view, dialect, fixed)
        parts.append(f"-- {query.name}: {query.doc}\n{sql};")
    return _header("The metrics of gtmplay measure", dialect) + "\n\n".join(parts) + "\n"


def render(ctx: BuildInput) -> dict[str, bytes]:
    """The ``sql`` build target."""
    from gtmplay.measure.sqlcache import FixedSql

    dialect = ctx.dialect or DEFAULT_DIALECT
    base = f"sql/{dialect}"
    fixed = FixedSql(dialect)
    files = {
        f"{base}/schema.sql": schema_file(dialect, fixed).encode(),
        f"{base}/declared.sql": declared_file(ctx.playbook, dialect).encode(),
        f"{base}/metrics.sql": metrics_file(dialect, fixed).encode(),
    }
    fixed.save()
    return files
