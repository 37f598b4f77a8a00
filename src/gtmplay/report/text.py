"""``text``: one line per finding, ``path:line:col: level[rule] message``.

Coloured when ``colour`` is set (the CLI sets it on a terminal without
``NO_COLOR``). With ``--base`` only new findings are listed; existing ones
are counted and fixed ones listed after them, so a pull request reads as
what it changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from gtmplay.findings import Finding, Level, visible
from gtmplay.report import ReportInput, baseline_counts, baseline_where, count_text

_COLOURS = {Level.ERROR: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.NOTE: "\x1b[36m"}
_BOLD, _DIM, _GREEN, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[32m", "\x1b[0m"


# a finding is one line, and text from a playbook never drives the terminal
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F] if c != 0x09}
_CONTROL.update({0x0A: "\\n", 0x0D: "\\r"})


def clean(text: str) -> str:
    """``text`` with line breaks and control characters written as escapes."""
    # visible() first: bidi overrides and invisible characters in a name (or in a
    # file name, which no finding rewrites) are shown, in `gtmplay diff` too
    return visible(text).translate(_CONTROL)


def line(f: Finding, *, colour: bool = False) -> str:
    if not colour:
        return clean(f.text())
    where = f"{_BOLD}{clean(f.file)}:{f.line}:{f.column}:{_RESET}"
    level = f"{_COLOURS[f.level]}{f.level}{_RESET}"
    hint = f" {_DIM}({clean(f.hint)}){_RESET}" if f.hint else ""
    return f"{where} {level}[{f.rule}] {clean(f.message)}{hint}"


def _lines(findings: Iterable[Finding], colour: bool) -> list[str]:
    return [line(f, colour=colour) for f in findings]


def render(inp: ReportInput) -> str:
    base = inp.baseline
    if base is None:
        lines = _lines(inp.findings, inp.colour)
        if inp.findings:
            lines.append(count_text(inp.findings))
        return "".join(f"{text}\n" for text in lines)

    new = inp.new_findings
    lines = _lines(new, inp.colour)
    fixed_word = f"{_GREEN}fixed{_RESET}" if inp.colour else "fixed"
    lines.extend(f"{fixed_word}: {clean(f.text())}" for f in base.fixed)
    lines.append(f"{baseline_counts(inp)} ({baseline_where(base)})")
    return "".join(f"{text}\n" for text in lines)
