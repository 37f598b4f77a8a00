"""Findings: what every stage of the pipeline reports.

A finding is a plain sortable value. Sorting by ``(file, line, column, rule,
message)`` gives the order users read, so reporters never re-sort.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

# Kept as they are: zero-width (non-)joiners, which Persian, Indic scripts and
# emoji need, and tab / line feed / carriage return, which every reporter
# already escapes in its own format's way (%0A, <br>, &#10;, \n).
_KEEP = frozenset("\u200c\u200d\t\n\r")


def visible(text: str) -> str:
    """``text`` with control, format and other invisible characters shown as ``<U+XXXX>``.

    Messages quote names and values from the playbook. A right-to-left override
    (U+202E) there would make a report read differently from the playbook, a
    control character could drive a terminal or break a line-based format, and a
    lone surrogate (``"\\ud800"`` in YAML) cannot even be encoded. Idempotent.
    """
    if text.isprintable():  # the fast path: all of str.isprintable's categories are shown
        return text
    import unicodedata

    return "".join(
        f"<U+{ord(c):04X}>"
        if not c.isprintable() and c not in _KEEP and unicodedata.category(c) != "Zs"
        else c
        for c in text
    )


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

    def __post_init__(self) -> None:
        # Every finding is built here, whoever builds it, so this is the one place
        # where text quoted from a playbook is made visible: each reporter (text,
        # github, markdown, junit, sarif, json...) then shows the same message.
        for name in ("message", "hint", "path"):
            value = getattr(self, name)
            shown = visible(value)
            if shown is not value:
                object.__setattr__(self, name, shown)

    @property
    def fingerprint(self) -> str:
        """Stable identity of the finding: rule and semantic path, not lines.

        Falls back to the message for findings with no semantic path (syntax
        errors), which have no better identity.
        """
        # imported here: hashlib loads OpenSSL (3.7 MiB resident), and only
        # --base and the GitLab report need fingerprints
        import hashlib

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
    rule: tuple[str, str],
    message: str,
    *,
    level: Level = Level.ERROR,
    path: str = "",
    hint: str = "",
    fatal: bool = False,
) -> Finding:
    """Build a finding of ``rule`` (its id and name) located at ``span``."""
    return Finding(
        file=span.file,
        line=span.line,
        column=span.column,
        rule=rule[0],
        name=rule[1],
        message=message,
        level=level,
        end_line=span.end_line,
        end_column=span.end_column,
        path=path,
        hint=hint,
        fatal=fatal,
    )
