"""Build target ``csv``: stages, lifecycle, handoffs and activities for spreadsheets.

A playbook with sales motions also gets ``motions.csv`` and a last column
saying the motions of each stage (``motions``), lifecycle step and handoff
(``motion``, the one it feeds) and activity (``motions``, empty for all); a
playbook without motions gets neither.

Files are UTF-8 with a byte order mark and CRLF line ends, which is what makes
Excel read non-ASCII text correctly on double-click; other tools skip the
mark. Lists are joined with ``"; "``. A text cell that a spreadsheet would run
as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) gets a leading apostrophe, so the spreadsheet shows it as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gtmplay.model import Playbook
    from gtmplay.render import BuildContext

Cell = str | int | float | bool | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Cell) -> str:
    """The cell text, made inert if a spreadsheet would evaluate it."""
    if type(value) is str:  # most cells (a bool is an int, so the order below matters)
        return "'" + value if value.startswith(FORMULA_START) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def table(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _join(values: Iterable[str]) -> str:
    return "; ".join(values)


def stages(playbook: Playbook) -> bytes:
    header = [
        "order",
        "id",
        "name",
        "owner",
        "probability",
        "forecast",
        "outcome",
        "target_days",
        "entry",
        "exit",
        "key_fields",
        "guidance",
        "description",
    ]
    rows = [
        [
            i,
            s.id,
            s.name,
            s.owner,
            s.probability,
            s.forecast,
            s.outcome,
            s.target_days,
            _join(s.entry),
            _join(s.exit),
            _join(s.key_fields),
            s.guidance,
            s.description,
        ]
        for i, s in enumerate(playbook.stages, 1)
    ]
    if playbook.motions:
        header.append("motions")
        for row, s in zip(rows, playbook.stages, strict=True):
            row.append(_join(m.id for m in playbook.motions if s.id in m.stages))
    return table(header, rows)


def lifecycle(playbook: Playbook) -> bytes:
    header = ["order", "id", "name", "owner", "kind", "converted", "entry", "exit", "description"]
    rows: list[list[Cell]] = [
        [i, s.id, s.name, s.owner, s.kind, s.converted, s.entry, s.exit, s.description]
        for i, s in enumerate(playbook.lifecycle, 1)
    ]
    if playbook.motions:
        header.append("motion")
        for row, step in zip(rows, playbook.lifecycle, strict=True):
            row.append(step.motion)
    return table(header, rows)


def handoffs(playbook: Playbook) -> bytes:
    header = [
        "id",
        "name",
        "from",
        "to",
        "at",
        "accept",
        "respond_within",
        "attempts",
        "window",
        "reject_reasons",
        "on_accept",
        "on_reject",
        "description",
    ]
    rows = []
    for h in playbook.handoffs:
        sla = h.sla
        rows.append(
            [
                h.id,
                h.name,
                h.from_team,
                h.to_team,
                h.at,
                _join(h.accept),
                sla.respond_within if sla else None,
                sla.attempts if sla else None,
                sla.window if sla else None,
                _join(h.reject_reasons),
                h.on_accept,
                h.on_reject,
                h.description,
                *([h.motion] if playbook.motions else []),
            ]
        )
    if playbook.motions:
        header.append("motion")
    return table(header, rows)


def activities(playbook: Playbook) -> bytes:
    header = [
        "id",
        "name",
        "owner",
        "kind",
        "supports",
        "personas",
        "markets",
        "assets",
        "metrics",
        "description",
    ]
    rows = [
        [
            a.id,
            a.name,
            a.owner,
            a.kind,
            _join(a.supports),
            _join(a.personas),
            _join(a.markets),
            _join(a.assets),
            _join(a.metrics),
            a.description,
            *([_join(a.motions)] if playbook.motions else []),
        ]
        for a in playbook.activities
    ]
    if playbook.motions:
        header.append("motions")  # empty: every motion
    return table(header, rows)


def motions(playbook: Playbook) -> bytes:
    header = ["order", "id", "name", "owner", "default_stage", "stages", "description"]
    rows = [
        [i, m.id, m.name, m.owner, m.start, _join(m.stages), m.description]
        for i, m in enumerate(playbook.motions, 1)
    ]
    return table(header, rows)


def render(ctx: BuildContext) -> dict[str, bytes]:
    pb = ctx.playbook
    files = {
        "csv/activities.csv": activities(pb),
        "csv/handoffs.csv": handoffs(pb),
        "csv/lifecycle.csv": lifecycle(pb),
        "csv/stages.csv": stages(pb),
    }
    if pb.motions:  # nothing about motions where the playbook declares none
        files["csv/motions.csv"] = motions(pb)
    return dict(sorted(files.items()))
