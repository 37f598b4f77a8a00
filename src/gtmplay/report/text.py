"""``text``: one line per finding, ``path:line:col: level[rule] message``."""

from __future__ import annotations

from collections.abc import Sequence

from gtmplay.findings import Finding, Level

_COLOURS = {Level.ERROR: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.NOTE: "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def render(findings: Sequence[Finding], *, colour: bool = False) -> str:
    lines = []
    for f in findings:
        if not colour:
            lines.append(f.text())
            continue
        where = f"{_BOLD}{f.file}:{f.line}:{f.column}:{_RESET}"
        level = f"{_COLOURS[f.level]}{f.level}{_RESET}"
        hint = f" {_DIM}({f.hint}){_RESET}" if f.hint else ""
        lines.append(f"{where} {level}[{f.rule}] {f.message}{hint}")
    counts = {lvl: sum(1 for f in findings if f.level is lvl) for lvl in Level}
    if findings:
        summary = ", ".join(
            f"{n} {lvl}{'s' if n != 1 else ''}"
            for lvl, n in sorted(counts.items(), reverse=True)
            if n
        )
        lines.append(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}: {summary}")
    return "\n".join(lines) + ("\n" if lines else "")
