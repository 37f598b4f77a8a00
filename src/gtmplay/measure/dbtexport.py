"""``gtmplay build --only dbt``: measure's metrics as a dbt project.

The same queries as ``gtmplay measure`` and ``--only sql``
(:data:`gtmplay.measure.queries.QUERIES`, transpiled by sqlglot into
``--dialect``), laid out as dbt expects under ``dbt/``:

* ``models/sources.yml``: the CRM history as the source ``crm.events`` (the
  generic event format; the schema is the variable ``crm_schema``, by default
  the target's);
* ``models/declared_stages.sql`` and ``models/declared_handoffs.sql``: what
  the playbook declares, as typed literal rows (not seeds: a seed reads an
  empty cell as NULL, and the motion of a playbook without motions is ``''``);
* ``models/<query>.sql``: one model per query, the bare table names of the
  query replaced by ``{{ ref(...) }}`` and ``{{ source(...) }}``; the
  documentation of each in ``models/models.yml``;
* ``tests/*.sql``: singular tests that return a row, and so fail, for each
  declaration the data contradicts: a stage whose median stay is over its
  ``target_days``, a stage whose win rate is off its probability by more than
  ``tolerance`` (a variable, 0.10), a handoff whose median first response is
  slower than ``respond_within``; each only on a sample of at least
  ``min_sample`` records (a variable, 30), as the measure rules do.

``dbt run && dbt test`` with a profile named ``gtmplay_measure``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from gtmplay.measure.events import EVENT_COLUMNS, TABLES
from gtmplay.measure.sqlexport import (
    DEFAULT_DIALECT,
    SOURCE_DIALECT,
    BuildInput,
    declared_rows,
    printed,
    transpile,
    value_tree,
)

PROJECT = "gtmplay_measure"
MIN_SAMPLE = 30
TOLERANCE = 0.10
# a stand-in table name the dialects print unquoted, swapped for Jinja after printing
_MARK = "gtmplay_dbt_"
_MARKED = re.compile(rf"\b{_MARK}(ref|source)__([a-z_]+)\b")

DECLARED_DOCS: dict[str, str] = {
    "declared_stages": "Each motion's stages and the lifecycle steps, as the playbook has them.",
    "declared_handoffs": "Each handoff's step and SLA in hours, as the playbook declares it.",
}
# singular tests: each returns the rows that break a declaration (dbt fails on any row)
TESTS: dict[str, str] = {
    "stage_over_target": """\
-- A stage whose median stay is longer than its declared target_days.
SELECT motion, stage, completed, median_days, target_days
FROM {{ ref('stage_time') }}
WHERE target_days IS NOT NULL
  AND completed >= {{ var('min_sample') }}
  AND median_days > target_days
""",
    "probability_miscalibrated": """\
-- A stage whose deals win more or less often than its declared probability says.
SELECT motion, stage, closed, win_rate, declared_probability
FROM {{ ref('stage_conversion') }}
WHERE declared_probability IS NOT NULL
  AND closed >= {{ var('min_sample') }}
  AND ABS(win_rate - declared_probability) > {{ var('tolerance') }}
""",
    "handoff_sla_missed": """\
-- A handoff whose median first response is slower than its respond_within.
SELECT handoff, step, responded, median_response_hours, respond_within_hours
FROM {{ ref('handoff_sla') }}
WHERE respond_within_hours IS NOT NULL
  AND responded >= {{ var('min_sample') }}
  AND median_response_hours > respond_within_hours
""",
}


def model_sql(sql: str, dialect: str, names: set[str]) -> str:
    """``sql`` in ``dialect`` with its tables as ``ref`` (queries, seeds) or ``source``."""
    import sqlglot
    from sqlglot import exp

    from gtmplay.measure.dialects import rewrite

    tree = sqlglot.parse_one(sql, read=SOURCE_DIALECT)
    for table in tree.find_all(exp.Table):
        name = table.name
        if name == "events":
            table.set("this", exp.to_identifier(f"{_MARK}source__events"))
        elif name in names:
            table.set("this", exp.to_identifier(f"{_MARK}ref__{name}"))
    text = rewrite(tree, dialect).sql(dialect=dialect, pretty=True)

    def jinja(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2)
        return "{{ source('crm', 'events') }}" if kind == "source" else f"{{{{ ref('{name}') }}}}"

    return _MARKED.sub(jinja, text)


def declared_sql(table: str, rows: Sequence[tuple[Any, ...]], dialect: str) -> str:
    """The rows of a declared table as a query: typed literals joined by ``UNION ALL``."""
    from sqlglot import exp

    columns = TABLES[table]
    if not rows:  # the columns and their types, no row
        cells = ", ".join(f"CAST(NULL AS {c.type}) AS {c.name}" for c in columns)
        return transpile(f"SELECT {cells} WHERE 1 = 0", dialect)
    # SELECT CAST(value AS type) AS column, ... for each row, built as the parser
    # builds it (see sqlexport.value_tree); UNION ALL nests to the left, as parsed
    types = [exp.DataType.build(c.type, dialect=SOURCE_DIALECT) for c in columns]
    selects = [
        exp.Select(
            expressions=[
                exp.Alias(
                    this=exp.Cast(this=value_tree(v), to=t.copy()),
                    alias=exp.Identifier(this=c.name, quoted=False),
                )
                for v, c, t in zip(row, columns, types, strict=True)
            ]
        )
        for row in rows
    ]
    tree: exp.Expr = selects[0]
    for select in selects[1:]:
        tree = exp.Union(this=tree, expression=select, distinct=False)
    return printed([tree], dialect)


def _yaml(value: Any) -> bytes:
    import yaml

    # libyaml's emitter when PyYAML has it: a seventh of the pure-Python one's time
    # (5.3 -> 0.7 ms for the three files), and the same text for these files, which
    # hold gtmplay's own names and docs (tests/plan/test_sqlexport.py holds the two)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(value, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return text.encode()


def render(ctx: BuildInput) -> dict[str, bytes]:
    """The ``dbt`` build target."""
    from gtmplay.measure.queries import QUERIES
    from gtmplay.measure.sqlcache import FixedSql, declared_text

    dialect = ctx.dialect or DEFAULT_DIALECT
    files: dict[str, bytes] = {}
    seeds = declared_rows(ctx.playbook)
    names = {q.name for q in QUERIES} | set(seeds)
    files["dbt/dbt_project.yml"] = _yaml(
        {
            "name": PROJECT,
            "version": "1.0.0",
            "config-version": 2,
            "profile": PROJECT,
            "model-paths": ["models"],
            "test-paths": ["tests"],
            "vars": {"min_sample": MIN_SAMPLE, "tolerance": TOLERANCE},
            "models": {PROJECT: {"+materialized": "view"}},
        }
    )
    files["dbt/models/sources.yml"] = _yaml(
        {
            "version": 2,
            "sources": [
                {
                    "name": "crm",
                    "schema": "{{ var('crm_schema', target.schema) }}",
                    "tables": [
                        {
                            "name": "events",
                            "description": "The CRM history in gtmplay's generic event format.",
                            "columns": [
                                {"name": c.name, "description": c.doc} for c in EVENT_COLUMNS
                            ],
                        }
                    ],
                }
            ],
        }
    )
    files["dbt/models/models.yml"] = _yaml(
        {
            "version": 2,
            "models": [
                *({"name": t, "description": DECLARED_DOCS[t]} for t in seeds),
                *({"name": q.name, "description": q.doc} for q in QUERIES),
            ],
        }
    )
    # the queries and names are gtmplay's, not the playbook's: kept between runs
    fixed = FixedSql(dialect)
    refs = "\0".join(sorted(names))
    for query in QUERIES:
        make = functools.partial(model_sql, query.sql, dialect, names)
        sql = fixed.get(f"model\0{refs}\0{query.sql}", make)
        files[f"dbt/models/{query.name}.sql"] = (sql + "\n").encode()
    fixed.save()
    for table, rows in seeds.items():
        make = functools.partial(declared_sql, table, rows, dialect)
        sql = declared_text(f"dbt-{table}", dialect, rows, make)
        files[f"dbt/models/{table}.sql"] = (sql + "\n").encode()
    for name, sql in TESTS.items():
        files[f"dbt/tests/{name}.sql"] = sql.encode()
    return files
