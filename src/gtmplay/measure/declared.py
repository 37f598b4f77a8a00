"""The rows of the declared tables (``declared_stages``, ``declared_handoffs``),
read from the playbook.

Plain Python and nothing heavy imported: the engine loads these rows into
DuckDB, and the sql and dbt build targets print the same rows as SQL without
loading the engine (its figures and DuckDB helpers are most of a target's
imports).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gtmplay.model import Playbook

Row = tuple[Any, ...]


def declared_stages(playbook: Playbook) -> list[Row]:
    """Rows of ``declared_stages``: each motion's stages, then the lifecycle."""
    rows: list[Row] = []
    for motion in playbook.sales_motions:
        for position, stage_id in enumerate(motion.stages, start=1):
            stage = playbook.stage(stage_id)
            if stage is None:  # an unresolved reference: `check` reports it
                continue
            rows.append(
                (
                    motion.id,
                    stage.id,
                    "deal",
                    position,
                    stage.outcome,
                    None if stage.target_days is None else float(stage.target_days),
                    float(stage.probability),
                )
            )
    for position, step in enumerate(playbook.lifecycle, start=1):
        outcome = "lost" if step.kind != "funnel" else "won" if step.converted else "open"
        rows.append(("", step.id, "lead", position, outcome, None, None))
    return rows


def declared_handoffs(playbook: Playbook) -> list[Row]:
    """Rows of ``declared_handoffs``: each handoff's step and SLA in hours."""
    return [
        (
            h.id,
            h.at,
            h.sla.respond_within_hours if h.sla else None,
            h.sla.window_hours if h.sla else None,
            h.on_accept,
            h.on_reject,
        )
        for h in playbook.handoffs
    ]
