"""Reporters: one module per findings format, chosen by name.

Every reporter module exposes ``render(inp: ReportInput) -> str`` and is
imported only when it is used. A reporter never sorts, filters by level or
decides the exit status: it shows what :class:`ReportInput` holds.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gtmplay.findings import Finding, Level

if TYPE_CHECKING:
    from gtmplay.result import Result

# format name -> module exposing ``render``
REPORTERS: dict[str, str] = {
    "text": "gtmplay.report.text",
    "json": "gtmplay.report.json_format",
    "sarif": "gtmplay.report.sarif",
    "github": "gtmplay.report.github",
    "junit": "gtmplay.report.junit",
    "gitlab": "gtmplay.report.gitlab",
    "markdown": "gtmplay.report.markdown",
}


@dataclass(frozen=True, slots=True)
class Baseline:
    """What ``--base`` found: the revision compared against, and what changed.

    ``new`` holds the current findings that the base revision did not have
    (compared by fingerprint); ``fixed`` the base findings that are gone,
    with their locations at the base revision.
    """

    ref: str
    commit: str
    new: frozenset[Finding]
    fixed: tuple[Finding, ...] = ()
    missing: bool = False  # the playbook did not exist at the base revision


@dataclass(frozen=True, slots=True)
class ReportInput:
    """Everything a reporter may show. Paths in findings are relative to the cwd."""

    findings: tuple[Finding, ...]
    results: tuple[Result, ...] = ()
    baseline: Baseline | None = None
    colour: bool = False
    fail_on: Level = Level.ERROR
    version: str = field(default="")

    def is_new(self, finding: Finding) -> bool:
        """Whether the finding counts: always, unless ``--base`` says it is old."""
        return self.baseline is None or finding in self.baseline.new

    @property
    def new_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if self.is_new(f))

    @property
    def existing_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not self.is_new(f))


def counts(findings: Sequence[Finding]) -> dict[Level, int]:
    """Findings per level, most severe first."""
    return {lvl: sum(1 for f in findings if f.level is lvl) for lvl in sorted(Level, reverse=True)}


def baseline_counts(inp: ReportInput) -> str:
    """``1 new finding: 1 error; 2 existing findings; 0 fixed``: the one wording of ``--base``."""
    assert inp.baseline is not None
    new = inp.new_findings
    return "; ".join(
        (
            count_text(new).replace("finding", "new finding", 1) if new else "no new findings",
            plural(len(inp.existing_findings), "existing finding"),
            f"{len(inp.baseline.fixed)} fixed",
        )
    )


def baseline_where(base: Baseline) -> str:
    """What the findings were compared with, as the one-line reports say it."""
    return "the playbook is new" if base.missing else f"compared with {base.ref}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def count_text(findings: Sequence[Finding]) -> str:
    """``3 findings: 1 error, 2 warnings`` (``no findings`` when empty)."""
    if not findings:
        return "no findings"
    parts = [plural(n, str(lvl)) for lvl, n in counts(findings).items() if n]
    return f"{plural(len(findings), 'finding')}: {', '.join(parts)}"


def reporter(name: str) -> Callable[[ReportInput], str]:
    """The ``render`` function of format ``name`` (a key of :data:`REPORTERS`)."""
    module = importlib.import_module(REPORTERS[name])
    render_func: Callable[[ReportInput], str] = module.render
    return render_func


def render(name: str, inp: ReportInput) -> str:
    """The report of ``inp`` in format ``name``."""
    return reporter(name)(inp)
