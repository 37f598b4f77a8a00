"""``github``: workflow commands that GitHub Actions turns into annotations.

``::error file=F,line=L,col=C,endLine=E,endColumn=EC,title=T::message``.
GitHub shows at most a few annotations per step, so the check also appends
the ``markdown`` report to ``$GITHUB_STEP_SUMMARY`` (see :mod:`gtmplay.services.check`).
Under ``--base`` only new findings are annotated: a pull request is not
blamed for gaps it did not make.
"""

from __future__ import annotations

from gtmplay.findings import Finding, Level
from gtmplay.report import ReportInput, baseline_counts, baseline_where, count_text

_COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "notice"}


def escape_data(text: str) -> str:
    """Escape a message: ``%``, carriage return and newline."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus ``:`` and ``,`` (the separators)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    props = [("file", f.file), ("line", str(f.line)), ("col", str(f.column))]
    if f.end_line:
        props.append(("endLine", str(f.end_line)))
        # GitHub uses the columns only for a region on a single line
        if f.end_line == f.line and f.end_column:
            props.append(("endColumn", str(f.end_column)))
    title = f"{f.rule} {f.name}" if f.name else f.rule
    props.append(("title", title))
    message = f"{f.message} ({f.hint})" if f.hint else f.message
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{_COMMANDS[f.level]} {joined}::{escape_data(message)}"


def render(inp: ReportInput) -> str:
    lines = [annotation(f) for f in inp.new_findings]
    base = inp.baseline
    if base is None:
        lines.append(f"gtmplay: {count_text(inp.findings)}")
    else:
        lines.append(f"gtmplay: {baseline_counts(inp)} ({baseline_where(base)})")
    return "".join(f"{text}\n" for text in lines)
