"""Per-warehouse rewrites: the transpiled metrics compute what DuckDB computes.

sqlglot transpiles the syntax of :mod:`gtmplay.measure.queries`; it does not
always keep the meaning. Each rewrite below fixes one construct whose result
differs in a warehouse (or that the warehouse refuses), by an exact equivalent
written in that warehouse's own terms. They run on the parsed DuckDB text,
before sqlglot prints it; :data:`REWRITES` says which run for which dialect,
and docs/measure.md (the warehouse section) lists them with what was verified
how.

* **Division** is floating point in DuckDB (``/`` on integers or decimals gives
  a DOUBLE). Snowflake and Databricks divide fixed-point numbers to a fixed
  scale (six or seven decimals: 1 second / 86400.0 is not 1/86400 there), and
  PostgreSQL divides integers to an integer. Every ``/`` gets its operands
  cast to DOUBLE, unless one is a number literal (which converts exactly).
* **PERCENTILE_CONT(q) WITHIN GROUP (ORDER BY x)** is an aggregate in DuckDB,
  PostgreSQL and Snowflake. BigQuery has it only as an analytic function: the
  query is rewritten to compute it over a window partitioned by the GROUP BY
  keys in a subquery, and the outer query takes its (per group constant) MAX.
  Databricks gets ``PERCENTILE(x, q)``, its exact percentile with the same
  linear interpolation (sqlglot would write ``PERCENTILE_APPROX``, which is
  approximate).
* **DATE_DIFF('second', a, b)** counts second boundaries crossed in DuckDB
  (0.9 s to 1.1 s is 1). Snowflake's DATEDIFF and BigQuery's DATETIME_DIFF
  count boundaries too, and sqlglot writes PostgreSQL's with DATE_TRUNC; the
  Databricks function counts whole elapsed seconds, so both ends are truncated
  to the second first. BigQuery's columns are DATETIME (a TIMESTAMP there is an
  instant), so its differences and truncations use the DATETIME functions, and
  its weeks are ``WEEK(MONDAY)`` (its ``WEEK`` starts on Sunday).
* **TRIM(x)** removes spaces only in DuckDB; BigQuery's removes all Unicode
  white space. The space is named explicitly.
* **MIN/MAX of text** compare bytes in DuckDB; PostgreSQL compares by the
  database's collation (``'B' > 'a'`` in en_US), so text columns get
  ``COLLATE "C"``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from gtmplay.measure.events import TABLES

if TYPE_CHECKING:
    from sqlglot import exp

Rewrite = Callable[["exp.Expr"], "exp.Expr"]

# the text columns of the canonical tables (the views keep their names)
TEXT_COLUMNS: frozenset[str] = frozenset(
    c.name for columns in TABLES.values() for c in columns if c.type == "VARCHAR"
)


def float_division(tree: exp.Expr) -> exp.Expr:
    """``a / b`` with both operands DOUBLE, as DuckDB divides."""
    from sqlglot import exp

    for div in list(tree.find_all(exp.Div)):
        for side in ("this", "expression"):
            operand = div.args[side]
            if isinstance(operand, exp.Literal) and not operand.is_string:
                continue
            if isinstance(operand, exp.Cast) and operand.to.is_type(exp.DataType.Type.DOUBLE):
                continue
            div.set(side, exp.cast(operand.copy(), exp.DataType.Type.DOUBLE))
    return tree


def _percentile_parts(node: exp.WithinGroup) -> tuple[exp.Expr, exp.Expr]:
    """The value ordered and the fraction of a ``PERCENTILE_CONT ... WITHIN GROUP``."""
    from sqlglot import exp

    order = node.expression
    ordered = order.expressions[0] if isinstance(order, exp.Order) else None
    if (
        not isinstance(node.this, exp.PercentileCont)
        or ordered is None
        or len(order.expressions) != 1
        or ordered.args.get("desc")
    ):
        # the queries use ascending PERCENTILE_CONT only; anything else must be
        # given its own rewrite rather than printed wrong
        raise ValueError(f"no rewrite for {node.sql('duckdb')}")
    return ordered.this, node.this.this


def exact_percentile(tree: exp.Expr) -> exp.Expr:
    """Databricks: ``PERCENTILE(x, q)``, exact, instead of ``PERCENTILE_APPROX``."""
    from sqlglot import exp

    for node in list(tree.find_all(exp.WithinGroup)):
        value, fraction = _percentile_parts(node)
        node.replace(exp.Anonymous(this="PERCENTILE", expressions=[value.copy(), fraction.copy()]))
    return tree


def window_percentile(tree: exp.Expr) -> exp.Expr:
    """BigQuery: each grouped query with percentiles as a window in a subquery.

    ``SELECT k, COUNT(t.x), PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY t.v)
    FROM t WHERE w GROUP BY k`` becomes ``SELECT k, COUNT(t__x), MAX(_pct1)
    FROM (SELECT k, t.x AS t__x, PERCENTILE_CONT(t.v, 0.5) OVER (PARTITION BY
    k) AS _pct1 FROM t WHERE w) AS _w GROUP BY k``: the same rows reach the
    aggregates, and the window gives every row of a group its percentile.
    """
    from sqlglot import exp

    for select in list(tree.find_all(exp.Select)):
        found = [
            w for w in select.find_all(exp.WithinGroup) if w.find_ancestor(exp.Select) is select
        ]
        if not found:
            continue
        group = select.args.get("group")
        keys = list(group.expressions) if group else []
        inner_columns: list[exp.Expr] = []
        for i, node in enumerate(found, 1):
            value, fraction = _percentile_parts(node)
            window = exp.Window(
                this=exp.Anonymous(
                    this="PERCENTILE_CONT", expressions=[value.copy(), fraction.copy()]
                ),
                partition_by=[k.copy() for k in keys],
            )
            inner_columns.append(exp.alias_(window, f"_pct{i}"))
            # constant within the group: MAX takes it whatever the row
            node.replace(exp.Max(this=exp.column(f"_pct{i}")))
        # every column the outer query still reads comes through the subquery
        moved: dict[tuple[str, str], str] = {}
        outer = [*select.expressions, *keys]
        if select.args.get("having"):
            outer.append(select.args["having"])
        for part in outer:
            for column in list(part.find_all(exp.Column)):
                if column.name.startswith("_pct") and not column.table:
                    continue
                key = (column.table, column.name)
                alias = moved.setdefault(key, f"{key[0]}__{key[1]}" if key[0] else key[1])
                if alias == column.name and not column.table:
                    continue
                new: exp.Expr = exp.column(alias)
                if column.parent is select:  # a bare output column keeps its name
                    new = exp.alias_(new, column.name)
                column.replace(new)
        inner_columns[:0] = [
            exp.alias_(exp.column(name, table=table or None), alias) if table else exp.column(name)
            for (table, name), alias in moved.items()
        ]
        inner = exp.Select(expressions=inner_columns)
        # the rows the aggregates saw: the same FROM, joins and WHERE, now inside
        inner.set("from_", select.args["from_"].copy())
        if select.args.get("joins"):
            inner.set("joins", [j.copy() for j in select.args["joins"]])
            select.set("joins", None)
        if select.args.get("where"):
            inner.set("where", select.args["where"].copy())
            select.set("where", None)
        subquery = exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("_w")))
        select.set("from_", exp.From(this=subquery))
    return tree


def _second(value: exp.Expr) -> exp.Expr:
    from sqlglot import exp

    return exp.TimestampTrunc(this=value.copy(), unit=exp.var("SECOND"))


def second_boundaries(tree: exp.Expr) -> exp.Expr:
    """Databricks: differences in seconds between truncated ends, so boundaries count."""
    from sqlglot import exp

    for diff in list(tree.find_all(exp.DateDiff)):
        if diff.text("unit").upper() == "SECOND":
            diff.set("this", _second(diff.this))
            diff.set("expression", _second(diff.expression))
    return tree


def bigquery_datetime(tree: exp.Expr) -> exp.Expr:
    """BigQuery: DATETIME_DIFF and DATETIME_TRUNC on the DATETIME columns."""
    from sqlglot import exp

    for diff in list(tree.find_all(exp.DateDiff)):
        unit = exp.var(diff.text("unit").upper())
        diff.replace(
            exp.Anonymous(
                this="DATETIME_DIFF", expressions=[diff.this.copy(), diff.expression.copy(), unit]
            )
        )
    for trunc in list(tree.find_all(exp.TimestampTrunc, exp.DateTrunc)):
        unit = exp.var(trunc.text("unit").upper())
        if unit.name == "WEEK":  # BigQuery's weeks start on Sunday; DuckDB's on Monday
            unit = exp.var("WEEK(MONDAY)")
        trunc.replace(exp.Anonymous(this="DATETIME_TRUNC", expressions=[trunc.this.copy(), unit]))
    return tree


def trim_spaces(tree: exp.Expr) -> exp.Expr:
    """``TRIM(x)`` as ``TRIM(' ' FROM x)``: spaces only, whatever the default."""
    from sqlglot import exp

    for trim in list(tree.find_all(exp.Trim)):
        if trim.args.get("expression") is None:
            trim.set("expression", exp.Literal.string(" "))
    return tree


def binary_collation(tree: exp.Expr) -> exp.Expr:
    """PostgreSQL: MIN/MAX of a text column by bytes, as DuckDB orders text."""
    from sqlglot import exp

    for agg in list(tree.find_all(exp.Max, exp.Min)):
        value = agg.this
        if isinstance(value, exp.Column) and value.name in TEXT_COLUMNS:
            agg.set(
                "this",
                exp.Collate(this=value.copy(), expression=exp.to_identifier("C", quoted=True)),
            )
    return tree


REWRITES: dict[str, tuple[Rewrite, ...]] = {
    "duckdb": (),
    "snowflake": (float_division, trim_spaces),
    "bigquery": (float_division, trim_spaces, bigquery_datetime, window_percentile),
    "postgres": (float_division, trim_spaces, binary_collation),
    "databricks": (float_division, trim_spaces, second_boundaries, exact_percentile),
}


def rewrite(tree: exp.Expr, dialect: str) -> exp.Expr:
    """``tree`` (parsed DuckDB) rewritten so that ``dialect`` computes DuckDB's figures."""
    for step in REWRITES[dialect]:
        tree = step(tree)
    return tree
