"""What the readers share: the stays they produce and the bad rows they count."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gtmplay.measure import textfile as tf
from gtmplay.measure.figures import BadRow

Event = dict[str, Any]
# only the first bad rows are kept for the report; all are counted
KEEP_BAD_ROWS = 100


@dataclass(slots=True)
class Read:
    """What the readers produced: stays, files for DuckDB, bad rows, files skipped."""

    events: list[Event] = field(default_factory=list)
    canonical: list[str] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    bad_row_count: int = 0
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def bad(self, table: tf.Table, line: int, message: str) -> None:
        self.bad_row_count += 1
        if len(self.bad_rows) < KEEP_BAD_ROWS:
            self.bad_rows.append(BadRow(table.path, line, message))

    def ragged(self, table: tf.Table) -> None:
        for line, n in table.ragged:
            self.bad(table, line, f"{n} fields where the header has {len(table.header)}")


def rows(table: tf.Table, out: Read) -> Iterator[tuple[int, tuple[str, ...]]]:
    """The rows of ``table``; its ragged rows are reported as bad first."""
    out.ragged(table)
    yield from table.rows


def chain_stays(stays: list[Event]) -> None:
    """Each stay of one record, in the order it entered them, ends when the next
    begins (``exited_at``); the last one is still open (None)."""
    for i, stay in enumerate(stays):
        stay["exited_at"] = stays[i + 1]["entered_at"] if i + 1 < len(stays) else None


def date_columns(table: tf.Table, *names: str) -> dict[str, str]:
    """The date format of each named column, detected over the whole column."""
    pos = table.index(*names)
    return {n: tf.best_date_format([r[pos[n]] for _, r in table.rows]) for n in names if n in pos}
