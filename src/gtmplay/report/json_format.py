"""``json``: the stable, documented shape (``docs/reporting.md``), ``"version": 1``.

Keys come in a fixed order and every key is always present (``null`` when
it does not apply), so consumers can rely on the shape and two runs are
byte-identical.
"""

from __future__ import annotations

from typing import Any

from gtmplay.findings import Finding
from gtmplay.report import ReportInput, counts
from gtmplay.textio import json_text

VERSION = 1


def finding_dict(f: Finding, new: bool | None = None) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "name": f.name,
        "level": str(f.level),
        "message": f.message,
        "hint": f.hint,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line or f.line,
        "end_column": f.end_column or f.column,
        "path": f.path,
        "fingerprint": f.fingerprint,
        "new": new,
    }


def document(inp: ReportInput) -> dict[str, Any]:
    base = inp.baseline
    summary: dict[str, Any] = {str(lvl): n for lvl, n in counts(inp.findings).items()}
    summary["total"] = len(inp.findings)
    summary["new"] = len(inp.new_findings) if base else None
    summary["fixed"] = len(base.fixed) if base else None
    return {
        "version": VERSION,
        "tool": {"name": "gtmplay", "version": inp.version},
        "fail_on": str(inp.fail_on),
        "playbooks": [
            {"target": r.target, "files": list(r.files), "usable": r.usable, "valid": r.valid}
            for r in inp.results
        ],
        "summary": summary,
        "findings": [finding_dict(f, inp.is_new(f) if base else None) for f in inp.findings],
        "baseline": None
        if base is None
        else {
            "ref": base.ref,
            "commit": base.commit,
            "playbook_missing": base.missing,
            "fixed": [finding_dict(f) for f in base.fixed],
        },
    }


def render(inp: ReportInput) -> str:
    return json_text(document(inp))
