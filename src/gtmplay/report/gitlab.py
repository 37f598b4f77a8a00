"""``gitlab``: the Code Quality report of GitLab merge requests.

A JSON array of issues (``description``, ``check_name``, ``fingerprint``,
``severity``, ``location.path``, ``location.lines.begin``). GitLab compares
the reports of the source and target branches by fingerprint itself, so
every current finding is listed, with or without ``--base``; the fingerprint
is the finding's own (rule and semantic path), so moved lines stay the same
issue. GitLab keeps one issue per fingerprint: repeats get a numbered one.
"""

from __future__ import annotations

import hashlib
from typing import Any

from gtmplay.findings import Level
from gtmplay.report import ReportInput
from gtmplay.textio import json_text

SEVERITY = {Level.ERROR: "major", Level.WARNING: "minor", Level.NOTE: "info"}


def render(inp: ReportInput) -> str:
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for f in inp.findings:
        n = seen.get(f.fingerprint, 0)
        seen[f.fingerprint] = n + 1
        fingerprint = f.fingerprint
        if n:
            fingerprint = hashlib.sha256(f"{fingerprint}#{n}".encode()).hexdigest()[:32]
        description = f"{f.message} ({f.hint})" if f.hint else f.message
        issues.append(
            {
                "type": "issue",
                "description": f"{f.rule}: {description}",
                "check_name": f.rule,
                "categories": ["Bug Risk" if f.level is Level.ERROR else "Style"],
                "fingerprint": fingerprint,
                "severity": SEVERITY[f.level],
                "location": {
                    "path": f.file,
                    "lines": {"begin": f.line, "end": max(f.end_line, f.line)},
                },
            }
        )
    return json_text(issues)
