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

Each file is made while it is written (``pages``): its rows are encoded about
64K characters at a time, so the activities of a large playbook are never held
as rows, text and bytes at once (see docs/performance.md, Memory).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from gtmplay import textio
from gtmplay.render import Page, collected

if TYPE_CHECKING:
    from gtmplay.model import Playbook
    from gtmplay.render import BuildContext

Cell = str | int | float | bool | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# each start is one character: looking the first one up is a third of the time of
# str.startswith(FORMULA_START) on the 100,000 cells of 10,000 activities
_FORMULA_FIRST = frozenset(FORMULA_START)
# about the characters of rows encoded at a time
CHUNK_CHARS = 64 * 1024


def neutralise(value: Cell) -> str:
    """The cell text, made inert if a spreadsheet would evaluate it."""
    if type(value) is str:  # most cells (a bool is an int, so the order below matters)
        return "'" + value if value[:1] in _FORMULA_FIRST else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + value if value[:1] in _FORMULA_FIRST else value


class _Echo:
    """A file whose ``write`` gives its text back: ``csv.writer(...).writerow``
    returns what the file's write returns, so each row comes back as its line."""

    @staticmethod
    def write(text: str) -> str:
        return text


def table(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """The file's bytes: the byte order mark and the header, then the rows about
    :data:`CHUNK_CHARS` characters at a time, each made as it is asked for."""
    # the csv module quotes (QUOTE_MINIMAL, CRLF); textio.batched joins the lines
    line = csv.writer(_Echo(), lineterminator="\r\n").writerow
    yield b"\xef\xbb\xbf" + line(header).encode("utf-8")
    lines = (line(list(map(neutralise, row))) for row in rows)
    for text in textio.batched(lines, CHUNK_CHARS):
        yield text.encode("utf-8")


def _join(values: Iterable[str]) -> str:
    return "; ".join(values)


def stages(playbook: Playbook) -> Iterator[bytes]:
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
    motions = playbook.motions
    if motions:
        header.append("motions")
    rows = (
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
            *([_join(m.id for m in motions if s.id in m.stages)] if motions else []),
        ]
        for i, s in enumerate(playbook.stages, 1)
    )
    return table(header, rows)


def lifecycle(playbook: Playbook) -> Iterator[bytes]:
    header = ["order", "id", "name", "owner", "kind", "converted", "entry", "exit", "description"]
    motions = bool(playbook.motions)
    if motions:
        header.append("motion")
    rows = (
        [
            i,
            s.id,
            s.name,
            s.owner,
            s.kind,
            s.converted,
            s.entry,
            s.exit,
            s.description,
            *([s.motion] if motions else []),
        ]
        for i, s in enumerate(playbook.lifecycle, 1)
    )
    return table(header, rows)


def handoffs(playbook: Playbook) -> Iterator[bytes]:
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


def activities(playbook: Playbook) -> Iterator[bytes]:
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
    rows = (
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
    )
    if playbook.motions:
        header.append("motions")  # empty: every motion
    return table(header, rows)


def motions(playbook: Playbook) -> Iterator[bytes]:
    header = ["order", "id", "name", "owner", "default_stage", "stages", "description"]
    rows = (
        [i, m.id, m.name, m.owner, m.start, _join(m.stages), m.description]
        for i, m in enumerate(playbook.motions, 1)
    )
    return table(header, rows)


def render(ctx: BuildContext) -> dict[str, bytes]:
    return collected(pages(ctx))


def pages(ctx: BuildContext) -> Iterator[Page]:
    """The files in the order of their names, each made while it is written."""
    pb = ctx.playbook
    yield "csv/activities.csv", activities(pb)
    yield "csv/handoffs.csv", handoffs(pb)
    yield "csv/lifecycle.csv", lifecycle(pb)
    if pb.motions:  # nothing about motions where the playbook declares none
        yield "csv/motions.csv", motions(pb)
    yield "csv/stages.csv", stages(pb)
