"""Findings: what every stage of the pipeline reports.

A finding is a plain sortable value. Sorting by ``(file, line, column, rule,
message)`` gives the order users read, so reporters never re-sort.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import IntEnum


class Level(IntEnum):
    """Severity of a finding; ordered so that ``level >= Level.WARNING`` works."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Level:
        return cls[text.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file, 1-based lines and columns, end exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem, at one place, found by one rule.

    ``path`` is the semantic path of the object concerned
    (``stages[proposal].probability``): it survives line moves, so it feeds the
    fingerprint used to compare findings across git revisions.
    """

    file: str
    line: int
    column: int
    rule: str
    message: str
    level: Level = field(compare=False)
    name: str = field(default="", compare=False)
    end_line: int = field(default=0, compare=False)
    end_column: int = field(default=0, compare=False)
    path: str = field(default="", compare=False)
    hint: str = field(default="", compare=False)
    fatal: bool = field(default=False, compare=False)

    @property
    def fingerprint(self) -> str:
        """Stable identity of the finding: rule and semantic path, not lines.

        Falls back to the message for findings with no semantic path (syntax
        errors), which have no better identity.
        """
        key = f"{self.rule}\0{self.path or self.message}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def text(self) -> str:
        """``file:line:col: level[rule] message`` (the ``text`` format)."""
        out = f"{self.file}:{self.line}:{self.column}: {self.level}[{self.rule}] {self.message}"
        if self.hint:
            out += f" ({self.hint})"
        return out


def at(
    span: Span,
    *,
    rule: str,
    name: str,
    level: Level,
    message: str,
    path: str = "",
    hint: str = "",
    fatal: bool = False,
) -> Finding:
    """Build a finding located at ``span``."""
    return Finding(
        file=span.file,
        line=span.line,
        column=span.column,
        rule=rule,
        name=name,
        message=message,
        level=level,
        end_line=span.end_line,
        end_column=span.end_column,
        path=path,
        hint=hint,
        fatal=fatal,
    )
