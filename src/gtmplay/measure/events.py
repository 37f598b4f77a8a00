"""The canonical event format every reader produces and every metric reads.

One row is one *stay*: a record (a deal or a lead) in one stage or lifecycle
status, from the moment it entered to the moment it left (``exited_at`` empty
while it is still there, or when the CRM does not say). A Salesforce
``OpportunityHistory``, a HubSpot "Date entered/exited" export, a Maven pipeline
file or a generic CSV/Parquet all become this one table, named ``events`` in
the engine; the metrics in :mod:`gtmplay.measure.queries` read nothing else
besides the declared tables below, which come from the playbook.

This module imports nothing heavy: the scorecard renderer, the SQL exporter
and the docs read the column lists from here, and the engine builds the DuckDB
tables from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SqlType = Literal["VARCHAR", "TIMESTAMP", "DOUBLE", "INTEGER", "BOOLEAN"]
RecordKind = Literal["deal", "lead"]
RECORD_KINDS: tuple[RecordKind, ...] = ("deal", "lead")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a canonical table: its name, SQL type and meaning."""

    name: str
    type: SqlType
    required: bool
    doc: str


# Column order is the order of the generic CSV/Parquet format and of the
# engine's table; docs/measure.md lists them from here.
EVENT_COLUMNS: tuple[Column, ...] = (
    Column("record_id", "VARCHAR", True, "The deal or lead id in the CRM."),
    Column("kind", "VARCHAR", True, "`deal` (sales stages) or `lead` (lifecycle statuses)."),
    Column("crm_stage", "VARCHAR", True, "The stage or status as the CRM names it."),
    Column(
        "stage",
        "VARCHAR",
        False,
        "The playbook's stage or lifecycle step id the CRM name maps to; empty when it maps "
        "to nothing (those names are listed by `gtmplay measure`).",
    ),
    Column("entered_at", "TIMESTAMP", False, "When the record entered the stage."),
    Column("exited_at", "TIMESTAMP", False, "When it left; empty while it is still there."),
    Column(
        "responded_at",
        "TIMESTAMP",
        False,
        "First response after entering (a call, an email) for a handoff step.",
    ),
    Column("owner", "VARCHAR", False, "The owner (user, agent, sales manager)."),
    Column("source", "VARCHAR", False, "Lead source or channel."),
    Column("amount", "DOUBLE", False, "Deal amount, a plain number."),
    Column("motion", "VARCHAR", False, "The playbook's motion id, when the CRM records one."),
    Column("segment", "VARCHAR", False, "Segment (size band, region, record type)."),
    Column("persona", "VARCHAR", False, "Playbook persona id of the main contact."),
    Column("market", "VARCHAR", False, "Playbook market id."),
    Column(
        "outcome",
        "VARCHAR",
        False,
        "`won` or `lost` once the record is closed, whatever stage the row is about; "
        "empty while open or unknown.",
    ),
    Column("reason", "VARCHAR", False, "Why the record was rejected or lost, as written."),
    Column("source_file", "VARCHAR", False, "The file the row was read from."),
    Column("source_line", "INTEGER", False, "Its line in that file (1 = header)."),
)

EVENT_COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in EVENT_COLUMNS)
REQUIRED_EVENT_COLUMNS: tuple[str, ...] = tuple(c.name for c in EVENT_COLUMNS if c.required)

# What the playbook declares, as tables beside ``events``: the queries join
# them so that one SQL text serves DuckDB here and the warehouse in the dbt
# project (where they are seeds).
DECLARED_STAGE_COLUMNS: tuple[Column, ...] = (
    Column("motion", "VARCHAR", True, "Motion id ('' for a playbook without motions)."),
    Column("stage", "VARCHAR", True, "Stage or lifecycle step id."),
    Column("kind", "VARCHAR", True, "`deal` for stages, `lead` for lifecycle steps."),
    Column("position", "INTEGER", True, "Order in the motion or the waterfall, from 1."),
    Column(
        "outcome",
        "VARCHAR",
        True,
        "`open`, `won` or `lost`; a lifecycle step: `open` on the funnel, `won` for the step "
        "that converts, `lost` for recycle and disqualified steps.",
    ),
    Column("target_days", "DOUBLE", False, "Declared `target_days` of the stage."),
    Column("probability", "DOUBLE", False, "Declared win probability, in percent."),
)

DECLARED_HANDOFF_COLUMNS: tuple[Column, ...] = (
    Column("handoff", "VARCHAR", True, "Handoff id."),
    Column("step", "VARCHAR", True, "The lifecycle step the handoff happens at (`at`)."),
    Column("respond_within_hours", "DOUBLE", False, "SLA `respond_within`, in hours."),
    Column("window_hours", "DOUBLE", False, "SLA `window`, in hours."),
    Column("accept_step", "VARCHAR", False, "`on_accept` step."),
    Column("reject_step", "VARCHAR", False, "`on_reject` step."),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "events": EVENT_COLUMNS,
    "declared_stages": DECLARED_STAGE_COLUMNS,
    "declared_handoffs": DECLARED_HANDOFF_COLUMNS,
}


def create_table_sql(table: str, *, temp: bool = False) -> str:
    """``CREATE TABLE`` for one canonical table (ANSI types, DuckDB accepts it).

    ``temp``: ``CREATE TEMP TABLE``, a table of the connection (the engine's).
    """
    cols = ",\n  ".join(
        f"{c.name} {c.type}{' NOT NULL' if c.required else ''}" for c in TABLES[table]
    )
    return f"CREATE {'TEMP ' if temp else ''}TABLE {table} (\n  {cols}\n)"


def markdown_table(table: str) -> str:
    """The columns of one canonical table as the Markdown table docs/measure.md shows."""
    lines = ["| column | type | required | meaning |", "|---|---|---|---|"]
    lines += [
        f"| `{c.name}` | {c.type} | {'yes' if c.required else ''} | {c.doc} |"
        for c in TABLES[table]
    ]
    return "\n".join(lines)
