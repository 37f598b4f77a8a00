"""The SQL dialects the sql and dbt targets write, by sqlglot's names.

Names only: ``gtmplay build`` offers them as ``--dialect``'s choices on every
run, which then need not import the SQL export (:mod:`gtmplay.measure.sqlexport`
and the canonical tables it imports) for a build of the docs alone.
"""

from __future__ import annotations

# the warehouses offered, as sqlglot names them (databricks: Spark SQL)
DIALECTS: tuple[str, ...] = ("duckdb", "snowflake", "bigquery", "postgres", "databricks")
DEFAULT_DIALECT = "duckdb"
# the dialect queries.py is written in
SOURCE_DIALECT = "duckdb"
