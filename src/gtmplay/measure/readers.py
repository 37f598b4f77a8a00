"""Readers: CRM exports in, canonical stays (:mod:`gtmplay.measure.events`) out.

Each DATA argument is a file or a folder of files. A file's layout is
recognised by its header (:data:`LAYOUTS`); files that belong together
(Salesforce ``OpportunityHistory`` with ``Opportunity``, the EdTech funnel's
five files) are read together. A file in the generic event format goes
straight to DuckDB (:func:`gtmplay.measure.engine.load_canonical`), so large
histories never pass through Python.

A row that cannot be read is a :class:`~gtmplay.measure.figures.BadRow`
(file, line, what is wrong), counted and reported, never dropped silently.
A file that lacks a column its layout needs is a usage error naming the file,
the column and the columns found (exit status 2).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gtmplay.errors import UsageError
from gtmplay.measure import textfile as tf
from gtmplay.measure.events import REQUIRED_EVENT_COLUMNS
from gtmplay.measure.intake import Event, Read, chain_stays, date_columns, rows


def data_files(paths: Sequence[str]) -> list[str]:
    """The files named, folders expanded to their CSV and Parquet files (sorted)."""
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(
                str(p)
                for p in Path(path).iterdir()
                if p.is_file() and p.suffix.lower() in (".csv", ".parquet", ".txt", ".tsv")
            )
            if not found:
                raise UsageError(
                    problem=f"{path}: no CSV or Parquet file in this folder",
                    fix="give the exported files or the folder holding them",
                )
            out += found
        elif os.path.isfile(path):
            out.append(path)
        else:
            raise UsageError(problem=f"{path}: no such file or folder")
    return out


# --------------------------------------------------------------------------
# layouts


@dataclass(frozen=True, slots=True)
class Layout:
    """A kind of file, recognised by the columns it must have."""

    name: str
    columns: tuple[str, ...]
    main: bool  # False: a companion that only adds to a main file of its group
    group: str


def _hubspot_deals(t: tf.Table) -> bool:
    return any(_fold(h).startswith("date entered") for h in t.header)


def _hubspot_contacts(t: tf.Table) -> bool:
    return any(_BECAME.match(h) for h in t.header)


_BECAME = re.compile(r"^\s*became an? (.+?) date\s*$", re.I)

LAYOUTS: tuple[Layout, ...] = (
    Layout("generic event format", REQUIRED_EVENT_COLUMNS, True, "canonical"),
    Layout(
        "Maven CRM sales pipeline",
        ("opportunity_id", "deal_stage", "engage_date", "close_date"),
        True,
        "maven",
    ),
    Layout("Maven CRM sales teams", ("sales_agent", "manager", "regional_office"), False, "maven"),
    Layout("Maven CRM accounts", ("account", "sector", "office_location"), False, "maven"),
    Layout("Maven CRM products", ("product", "series", "sales_price"), False, "maven"),
    Layout("Maven CRM data dictionary", ("table", "field", "description"), False, "maven"),
    Layout(
        "Salesforce OpportunityHistory",
        ("OpportunityId", "StageName", "CreatedDate"),
        True,
        "sf-opportunity",
    ),
    Layout("Salesforce Opportunity", ("Id", "StageName", "IsWon"), False, "sf-opportunity"),
    Layout(
        "Salesforce LeadHistory", ("LeadId", "Field", "NewValue", "CreatedDate"), True, "sf-lead"
    ),
    Layout("Salesforce Lead", ("Id", "Status", "CreatedDate"), False, "sf-lead"),
    Layout(
        "EdTech lead interactions",
        ("lead_id", "lead_stage", "call_done_date"),
        True,
        "edtech",
    ),
    Layout("EdTech lead assignments", ("lead_id", "assigned_date"), False, "edtech"),
    Layout("EdTech lead details", ("lead_id", "lead_gen_source"), False, "edtech"),
    Layout("EdTech demos watched", ("lead_id", "demo_watched_date"), False, "edtech"),
    Layout(
        "EdTech reasons for no interest",
        ("lead_id", "reasons_for_not_interested_in_demo"),
        False,
        "edtech",
    ),
    Layout("X Education leads", ("Prospect ID", "Converted"), True, "xeducation"),
)


def _fold(name: str) -> str:
    return " ".join(name.split()).lower()


def layout_of(table: tf.Table) -> Layout | None:
    # a file with most of the generic format's columns is one, so that a missing
    # column is named as such (by the engine) rather than the file being unknown
    if len(table.index(*REQUIRED_EVENT_COLUMNS)) >= len(REQUIRED_EVENT_COLUMNS) - 1:
        return LAYOUTS[0]
    for layout in LAYOUTS:
        if table.has(*layout.columns):
            return layout
    if _hubspot_deals(table):
        return Layout("HubSpot deals", (), True, "hubspot-deals")
    if _hubspot_contacts(table):
        return Layout("HubSpot contacts", (), True, "hubspot-contacts")
    return None


def _unknown(table: tf.Table) -> UsageError:
    mains = "; ".join(f"{lay.name} ({', '.join(lay.columns)})" for lay in LAYOUTS if lay.main)
    return UsageError(
        problem=f"{table.path}: not a CRM export gtmplay knows "
        f"(columns found: {', '.join(table.header[:12])}"
        f"{', ...' if len(table.header) > 12 else ''})",
        fix=f"give one of: {mains}; HubSpot deals (Date entered ... columns); HubSpot "
        "contacts (Became a ... Date columns); or convert it to the generic event format "
        "(docs/measure.md)",
    )


def read_inputs(
    paths: Sequence[str],
    encoding: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Read:
    """Read every DATA argument into canonical stays (or canonical files for DuckDB)."""
    from gtmplay.measure import readers_crm

    out = Read()
    explicit = {p for p in paths if os.path.isfile(p)}
    groups: dict[str, dict[str, list[tf.Table]]] = {}
    for path in data_files(paths):
        if progress is not None:
            progress(path)
        out.files.append(path)
        if path.lower().endswith(".parquet"):
            out.canonical.append(path)
            continue
        # the layout is known by the header: a generic-format file goes to
        # DuckDB unparsed, only an export the readers below turn into stays is read whole
        table = tf.read_header(path, encoding)
        layout = layout_of(table)
        if layout is None:
            if path in explicit:
                raise _unknown(table)
            out.skipped.append(path)  # a folder may hold files that are not exports
            continue
        if layout.group == "canonical":
            out.canonical.append(path)
            continue
        whole = tf.read_table(path, encoding)
        groups.setdefault(layout.group, {}).setdefault(layout.name, []).append(whole)
    readers: dict[str, Callable[[dict[str, list[tf.Table]], Read], None]] = {
        "maven": _maven,
        "edtech": _edtech,
        "xeducation": _xeducation,
        "sf-opportunity": readers_crm.salesforce_opportunities,
        "sf-lead": readers_crm.salesforce_leads,
        "hubspot-deals": readers_crm.hubspot_deals,
        "hubspot-contacts": readers_crm.hubspot_contacts,
    }
    for group, tables in sorted(groups.items()):
        main = [lay.name for lay in LAYOUTS if lay.group == group and lay.main]
        if main and not any(name in tables for name in main):
            companion = next(iter(tables.values()))[0]
            raise UsageError(
                problem=f"{companion.path}: a {next(iter(tables))} file alone holds no "
                "stage history",
                fix=f"give the {main[0]} file with it",
            )
        readers[group](tables, out)
    return out


def _one(tables: dict[str, list[tf.Table]], name: str) -> list[tf.Table]:
    return tables.get(name, [])


# --------------------------------------------------------------------------
# Maven CRM: one row per opportunity (Prospecting > Engaging > Won / Lost)


def _maven(tables: dict[str, list[tf.Table]], out: Read) -> None:
    office: dict[str, str] = {}
    for t in _one(tables, "Maven CRM sales teams"):
        c = t.require("sales_agent", "regional_office")
        for _, r in rows(t, out):
            office[r[c["sales_agent"]].strip()] = r[c["regional_office"]].strip()
    sector: dict[str, str] = {}
    for t in _one(tables, "Maven CRM accounts"):
        c = t.require("account", "sector")
        for _, r in rows(t, out):
            sector[r[c["account"]].strip()] = r[c["sector"]].strip()
    for t in tables["Maven CRM sales pipeline"]:
        c = t.require(
            "opportunity_id", "sales_agent", "account", "deal_stage", "engage_date",
            "close_date", "close_value",
        )  # fmt: skip
        fmts = date_columns(t, "engage_date", "close_date")
        for line, r in rows(t, out):
            try:
                engaged = tf.parse_date(r[c["engage_date"]], fmts["engage_date"])
                closed = tf.parse_date(r[c["close_date"]], fmts["close_date"])
                amount = tf.parse_amount(r[c["close_value"]])
            except tf.ValueProblem as exc:
                out.bad(t, line, str(exc))
                continue
            rid = tf.text(r[c["opportunity_id"]])
            stage = tf.text(r[c["deal_stage"]])
            if rid is None or stage is None:
                out.bad(t, line, "no opportunity_id or deal_stage")
                continue
            agent = tf.text(r[c["sales_agent"]])
            account = tf.text(r[c["account"]]) or ""
            base = {
                "record_id": rid,
                "kind": "deal",
                "owner": agent,
                "segment": sector.get(account) or None,
                "market": office.get(agent or "") or None,
                "source_file": t.path,
                "source_line": line,
            }
            outcome = {"won": "won", "lost": "lost"}.get(stage.lower())
            # every deal was prospected (no date); engaged ones have engage_date
            out.events.append(
                {**base, "crm_stage": "Prospecting", "exited_at": engaged, "outcome": outcome}
            )
            if engaged is not None:
                out.events.append(
                    {
                        **base,
                        "crm_stage": "Engaging",
                        "entered_at": engaged,
                        "exited_at": closed,
                        "outcome": outcome,
                    }
                )
            if outcome is not None:
                out.events.append(
                    {
                        **base,
                        "crm_stage": stage,
                        "entered_at": closed,
                        "amount": amount,
                        "outcome": outcome,
                    }
                )


# --------------------------------------------------------------------------
# EdTech funnel: assignment to a junior manager, then calls per lead stage


def _edtech(tables: dict[str, list[tf.Table]], out: Read) -> None:
    source: dict[str, str | None] = {}
    for t in _one(tables, "EdTech lead details"):
        c = t.require("lead_id", "lead_gen_source")
        for _, r in rows(t, out):
            source[r[c["lead_id"]].strip()] = tf.text(r[c["lead_gen_source"]])
    reasons: dict[str, list[str | None]] = {}
    reason_cols = (
        "reasons_for_not_interested_in_demo",
        "reasons_for_not_interested_to_consider",
        "reasons_for_not_interested_to_convert",
    )
    for t in _one(tables, "EdTech reasons for no interest"):
        c = t.require("lead_id", *reason_cols)
        for _, r in rows(t, out):
            reasons[r[c["lead_id"]].strip()] = [tf.text(r[c[n]]) for n in reason_cols]
    assigned: dict[str, tuple[Any, str | None, str, int]] = {}
    for t in _one(tables, "EdTech lead assignments"):
        c = t.require("lead_id", "assigned_date", "jnr_sm_id")
        fmt = date_columns(t, "assigned_date")["assigned_date"]
        for line, r in rows(t, out):
            try:
                when = tf.parse_date(r[c["assigned_date"]], fmt)
            except tf.ValueProblem as exc:
                out.bad(t, line, str(exc))
                continue
            assigned[r[c["lead_id"]].strip()] = (when, tf.text(r[c["jnr_sm_id"]]), t.path, line)
    # the first call of each lead at each stage, in the order stages were reached
    first: dict[str, dict[str, tuple[Any, str, int]]] = {}
    owner: dict[str, str | None] = {}
    for t in tables["EdTech lead interactions"]:
        c = t.require("lead_id", "lead_stage", "call_done_date", "jnr_sm_id")
        fmt = date_columns(t, "call_done_date")["call_done_date"]
        for line, r in rows(t, out):
            try:
                when = tf.parse_date(r[c["call_done_date"]], fmt)
            except tf.ValueProblem as exc:
                out.bad(t, line, str(exc))
                continue
            lead, stage = r[c["lead_id"]].strip(), tf.text(r[c["lead_stage"]])
            if not lead or stage is None or when is None:
                out.bad(t, line, "no lead_id, lead_stage or call_done_date")
                continue
            seen = first.setdefault(lead, {})
            if stage not in seen or when < seen[stage][0]:
                seen[stage] = (when, t.path, line)
            owner.setdefault(lead, tf.text(r[c["jnr_sm_id"]]))
    stage_order = ("lead", "awareness", "consideration", "conversion")
    for lead in sorted(set(first) | set(assigned)):
        calls = first.get(lead, {})
        ordered = sorted(
            calls.items(),
            key=lambda kv: (kv[1][0], stage_order.index(kv[0]) if kv[0] in stage_order else 9),
        )
        why = [r for r in reasons.get(lead, []) if r]
        common = {"record_id": lead, "kind": "lead", "source": source.get(lead)}
        given = assigned.get(lead)
        first_call = min((v[0] for v in calls.values()), default=None)
        stays: list[Event] = []
        if given is not None:
            # the handoff: assigned to a junior manager, answered by the first call
            stays.append(
                {
                    **common,
                    "crm_stage": "lead",
                    "entered_at": given[0],
                    "responded_at": first_call,
                    "owner": given[1],
                    "source_file": given[2],
                    "source_line": given[3],
                }
            )
        for stage, (when, path, line) in ordered:
            if stage == "lead" and given is not None:
                continue  # the assignment above is this stay
            stays.append(
                {
                    **common,
                    "crm_stage": stage,
                    "entered_at": when,
                    "owner": owner.get(lead),
                    "source_file": path,
                    "source_line": line,
                }
            )
        chain_stays(stays)
        if stays and why:
            stays[-1]["reason"] = why[-1]
        out.events.extend(stays)


# --------------------------------------------------------------------------
# X Education: one row per lead, converted or not, no timestamps


def _xeducation(tables: dict[str, list[tf.Table]], out: Read) -> None:
    for t in tables["X Education leads"]:
        c = t.require("Prospect ID", "Converted", "Lead Source", "Lead Origin")
        for line, r in rows(t, out):
            try:
                converted = tf.parse_flag(r[c["Converted"]])
            except tf.ValueProblem as exc:
                out.bad(t, line, str(exc))
                continue
            rid = tf.text(r[c["Prospect ID"]])
            if rid is None:
                out.bad(t, line, "no Prospect ID")
                continue
            base = {
                "record_id": rid,
                "kind": "lead",
                "source": tf.text(r[c["Lead Source"]]),
                "segment": tf.text(r[c["Lead Origin"]]),
                "outcome": "won" if converted else None,
                "source_file": t.path,
                "source_line": line,
            }
            out.events.append({**base, "crm_stage": "Lead"})
            if converted:
                out.events.append({**base, "crm_stage": "Converted"})
