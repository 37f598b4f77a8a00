"""Readers for the CRMs' own export layouts: Salesforce and HubSpot.

* Salesforce ``OpportunityHistory`` (Data Export / Data Loader): one row per
  change of an opportunity, the stage it was in from ``CreatedDate`` on. Rows
  of one opportunity in a row with the same stage (an amount or date change)
  are one stay. ``Opportunity`` beside it adds the outcome (``IsWon``,
  ``IsClosed``), ``LeadSource``, ``Amount``, ``OwnerId`` and ``RecordTypeId``
  (as the segment), and a stay for an opportunity without history.
* Salesforce ``LeadHistory``: field changes; rows with ``Field`` ``Status``
  move the lead from ``OldValue`` to ``NewValue``. ``Lead`` beside it gives
  the first status's start (``CreatedDate``), ``IsConverted``,
  ``ConvertedDate``, ``LeadSource`` and ``OwnerId``.
* HubSpot deals: ``Date entered "<stage> (<pipeline>)"`` and
  ``Date exited ...`` columns, one row per deal.
* HubSpot contacts: ``Became a <lifecycle stage> Date`` columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gtmplay.measure import textfile as tf
from gtmplay.measure.intake import Event, Read, chain_stays, date_columns, rows

Tables = Mapping[str, list[tf.Table]]


def _get(r: tuple[str, ...], c: Mapping[str, int], name: str) -> str:
    return r[c[name]] if name in c else ""


def salesforce_opportunities(tables: Tables, out: Read) -> None:
    info: dict[str, dict[str, Any]] = {}
    for t in tables.get("Salesforce Opportunity", []):
        c = t.require("Id", "StageName", "IsWon")
        c |= t.index("IsClosed", "LeadSource", "Amount", "OwnerId", "RecordTypeId", "CreatedDate")
        fmt = date_columns(t, "CreatedDate").get("CreatedDate", tf.DATE_FORMATS[0])
        for line, r in rows(t, out):
            try:
                won = tf.parse_flag(r[c["IsWon"]])
                closed = tf.parse_flag(_get(r, c, "IsClosed"))
                amount = tf.parse_amount(_get(r, c, "Amount"))
                created = tf.parse_date(_get(r, c, "CreatedDate"), fmt)
            except tf.ValueProblem as exc:
                out.bad(t, line, str(exc))
                continue
            info[r[c["Id"]].strip()] = {
                "stage": tf.text(r[c["StageName"]]),
                "outcome": "won" if won else "lost" if closed else None,
                "source": tf.text(_get(r, c, "LeadSource")),
                "amount": amount,
                "owner": tf.text(_get(r, c, "OwnerId")),
                "segment": tf.text(_get(r, c, "RecordTypeId")),
                "created": created,
                "where": (t.path, line),
            }
    history: dict[str, list[tuple[Any, int, str, str, int, float | None]]] = {}
    for t in tables["Salesforce OpportunityHistory"]:
        c = t.require("OpportunityId", "StageName", "CreatedDate")
        c |= t.index("Amount")
        fmt = date_columns(t, "CreatedDate")["CreatedDate"]
        for order, (line, r) in enumerate(rows(t, out)):
            try:
                when = tf.parse_date(r[c["CreatedDate"]], fmt)
                amount = tf.parse_amount(_get(r, c, "Amount"))
            except tf.ValueProblem as exc:
                out.bad(t, line, str(exc))
                continue
            opp, stage = r[c["OpportunityId"]].strip(), tf.text(r[c["StageName"]])
            if not opp or stage is None:
                out.bad(t, line, "no OpportunityId or StageName")
                continue
            history.setdefault(opp, []).append((when, order, stage, t.path, line, amount))
    for opp in sorted(set(history) | set(info)):
        extra = info.get(opp, {})
        common = {
            "record_id": opp,
            "kind": "deal",
            "outcome": extra.get("outcome"),
            "source": extra.get("source"),
            "owner": extra.get("owner"),
            "segment": extra.get("segment"),
        }
        changes = sorted(history.get(opp, []), key=lambda h: (h[0] is None, h[0], h[1]))
        stays: list[Event] = []
        for when, _, stage, path, line, amount in changes:
            if stays and stays[-1]["crm_stage"] == stage:
                continue  # same stage: another field changed
            stays.append(
                {
                    **common,
                    "crm_stage": stage,
                    "entered_at": when,
                    "amount": amount if amount is not None else extra.get("amount"),
                    "source_file": path,
                    "source_line": line,
                }
            )
        if not stays and extra.get("stage"):
            path, line = extra["where"]
            stays.append(
                {
                    **common,
                    "crm_stage": extra["stage"],
                    "entered_at": extra.get("created"),
                    "amount": extra.get("amount"),
                    "source_file": path,
                    "source_line": line,
                }
            )
        chain_stays(stays)
        out.events.extend(stays)


def salesforce_leads(tables: Tables, out: Read) -> None:
    info: dict[str, dict[str, Any]] = {}
    for t in tables.get("Salesforce Lead", []):
        c = t.require("Id", "Status", "CreatedDate")
        c |= t.index("IsConverted", "ConvertedDate", "LeadSource", "OwnerId")
        fmts = date_columns(t, "CreatedDate", "ConvertedDate")
        for line, r in rows(t, out):
            try:
                created = tf.parse_date(r[c["CreatedDate"]], fmts["CreatedDate"])
                converted = tf.parse_flag(_get(r, c, "IsConverted"))
            except tf.ValueProblem as exc:
                out.bad(t, line, str(exc))
                continue
            info[r[c["Id"]].strip()] = {
                "status": tf.text(r[c["Status"]]),
                "created": created,
                "outcome": "won" if converted else None,
                "source": tf.text(_get(r, c, "LeadSource")),
                "owner": tf.text(_get(r, c, "OwnerId")),
                "where": (t.path, line),
            }
    changes: dict[str, list[tuple[Any, int, str | None, str, str, int]]] = {}
    for t in tables["Salesforce LeadHistory"]:
        c = t.require("LeadId", "Field", "NewValue", "CreatedDate")
        c |= t.index("OldValue")
        fmt = date_columns(t, "CreatedDate")["CreatedDate"]
        for order, (line, r) in enumerate(rows(t, out)):
            if r[c["Field"]].strip().lower() != "status":
                continue
            try:
                when = tf.parse_date(r[c["CreatedDate"]], fmt)
            except tf.ValueProblem as exc:
                out.bad(t, line, str(exc))
                continue
            new = tf.text(r[c["NewValue"]])
            if new is None:
                out.bad(t, line, "a Status change without NewValue")
                continue
            old = tf.text(_get(r, c, "OldValue"))
            changes.setdefault(r[c["LeadId"]].strip(), []).append(
                (when, order, old, new, t.path, line)
            )
    for lead in sorted(set(changes) | set(info)):
        extra = info.get(lead, {})
        common = {
            "record_id": lead,
            "kind": "lead",
            "outcome": extra.get("outcome"),
            "source": extra.get("source"),
            "owner": extra.get("owner"),
        }
        moves = sorted(changes.get(lead, []), key=lambda h: (h[0] is None, h[0], h[1]))
        stays: list[Event] = []
        first = moves[0][2] if moves else extra.get("status")
        if first:
            path, line = extra.get("where") or (moves[0][4], moves[0][5])
            stays.append(
                {
                    **common,
                    "crm_stage": first,
                    "entered_at": extra.get("created"),
                    "source_file": path,
                    "source_line": line,
                }
            )
        for when, _, _, new, path, line in moves:
            stays.append(
                {
                    **common,
                    "crm_stage": new,
                    "entered_at": when,
                    "source_file": path,
                    "source_line": line,
                }
            )
        chain_stays(stays)
        out.events.extend(stays)


_STAGE_COLUMN = re.compile(r"^\s*date (entered|exited)\s+(.+?)\s*$", re.I)
_PIPELINE = re.compile(r"^(.+?)\s*(?:\(([^()]*)\))?$")
_ID_COLUMNS = ("Record ID", "Deal ID", "Contact ID", "hs_object_id", "ID")
_BECAME = re.compile(r"^\s*became an? (.+?) date\s*$", re.I)


def _id_column(t: tf.Table) -> int:
    for name in _ID_COLUMNS:
        found = t.index(name)
        if found:
            return found[name]
    return t.require("Record ID")["Record ID"]


def hubspot_deals(tables: Tables, out: Read) -> None:
    for t in tables["HubSpot deals"]:
        rid = _id_column(t)
        c = t.index(
            "Amount", "Deal owner", "Original Source", "Original Traffic Source", "Pipeline"
        )
        stages: dict[str, dict[str, int]] = {}
        pipelines: dict[str, str | None] = {}
        for i, h in enumerate(t.header):
            m = _STAGE_COLUMN.match(h)
            if m:
                # Date entered "Qualified (Sales Pipeline)": the stage, then its pipeline
                named = _PIPELINE.match(m[2].strip().strip('"').strip())
                assert named is not None  # the pattern matches any non-empty text
                stage = named[1].strip()
                stages.setdefault(stage, {})[m[1].lower()] = i
                pipelines[stage] = named[2]
        fmts = {
            i: tf.best_date_format([r[i] for _, r in t.rows])
            for cols in stages.values()
            for i in cols.values()
        }
        for line, r in rows(t, out):
            try:
                amount = tf.parse_amount(_get(r, c, "Amount"))
                dates = {i: tf.parse_date(r[i], fmt) for i, fmt in fmts.items()}
            except tf.ValueProblem as exc:
                out.bad(t, line, str(exc))
                continue
            source = tf.text(_get(r, c, "Original Source")) or tf.text(
                _get(r, c, "Original Traffic Source")
            )
            for stage, cols in stages.items():
                entered = dates.get(cols.get("entered", -1))
                if entered is None:
                    continue
                out.events.append(
                    {
                        "record_id": r[rid].strip(),
                        "kind": "deal",
                        "crm_stage": stage,
                        "entered_at": entered,
                        "exited_at": dates.get(cols.get("exited", -1)),
                        "amount": amount,
                        "owner": tf.text(_get(r, c, "Deal owner")),
                        "source": source,
                        "segment": tf.text(_get(r, c, "Pipeline")) or pipelines.get(stage),
                        "source_file": t.path,
                        "source_line": line,
                    }
                )


def hubspot_contacts(tables: Tables, out: Read) -> None:
    for t in tables["HubSpot contacts"]:
        rid = _id_column(t)
        c = t.index("Original Source", "Contact owner")
        steps = {i: m[1] for i, h in enumerate(t.header) if (m := _BECAME.match(h))}
        fmts = {i: tf.best_date_format([r[i] for _, r in t.rows]) for i in steps}
        for line, r in rows(t, out):
            try:
                dates = [(tf.parse_date(r[i], fmts[i]), name) for i, name in steps.items()]
            except tf.ValueProblem as exc:
                out.bad(t, line, str(exc))
                continue
            reached = sorted((d, name) for d, name in dates if d is not None)
            for k, (when, name) in enumerate(reached):
                out.events.append(
                    {
                        "record_id": r[rid].strip(),
                        "kind": "lead",
                        "crm_stage": name,
                        "entered_at": when,
                        "exited_at": reached[k + 1][0] if k + 1 < len(reached) else None,
                        "source": tf.text(_get(r, c, "Original Source")),
                        "owner": tf.text(_get(r, c, "Contact owner")),
                        "source_file": t.path,
                        "source_line": line,
                    }
                )
