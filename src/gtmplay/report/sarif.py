"""``sarif``: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs).

Rules with results are described from the rule registry: summary, Markdown
help, default level.
URIs are relative to ``%SRCROOT%`` (run the check from the repository root),
and ``partialFingerprints`` carries the rule-plus-semantic-path fingerprint,
so an alert survives lines moving above it. Under ``--base`` each result has
a ``baselineState`` (``new`` or ``unchanged``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from gtmplay.findings import Finding, Level
from gtmplay.report import ReportInput
from gtmplay.textio import json_text

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "gtmplay/v1"
_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "note"}


def uri(path: str) -> str:
    """A relative URI reference for a cwd-relative file path."""
    return quote(path.replace("\\", "/"), safe="/-._~")


def _rules(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    """Descriptors of the rules that have results, in id order."""
    from gtmplay.rules.registry import find_rule

    out: list[dict[str, Any]] = []
    for rule_id in sorted({f.rule for f in findings}):
        info = find_rule(rule_id)
        if info is None:  # a finding of a rule the registry does not know still needs one
            out.append({"id": rule_id, "shortDescription": {"text": rule_id}})
            continue
        doc = info.doc or info.summary
        out.append(
            {
                "id": info.id,
                "name": info.name,
                "shortDescription": {"text": info.summary},
                "fullDescription": {"text": info.summary},
                "help": {"text": doc, "markdown": doc},
                "defaultConfiguration": {"level": _LEVELS[info.level]},
            }
        )
    return out


def _message(f: Finding) -> str:
    return f"{f.message} ({f.hint})" if f.hint else f.message


def _result(f: Finding, index: int, state: str | None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": f.line, "startColumn": f.column}
    if f.end_line:
        region["endLine"] = f.end_line
        region["endColumn"] = max(f.end_column, 1)
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": uri(f.file), "uriBaseId": "%SRCROOT%"},
            "region": region,
        }
    }
    if f.path:
        location["logicalLocations"] = [{"fullyQualifiedName": f.path}]
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": _LEVELS[f.level],
        "message": {"text": _message(f)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    if state is not None:
        result["baselineState"] = state
    return result


def document(inp: ReportInput) -> dict[str, Any]:
    rules = _rules(inp.findings)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    base = inp.baseline
    results = [
        _result(f, index[f.rule], None if base is None else "new" if inp.is_new(f) else "unchanged")
        for f in inp.findings
    ]
    driver: dict[str, Any] = {"name": "gtmplay", "rules": rules}
    if inp.version:
        driver["version"] = inp.version
        driver["semanticVersion"] = inp.version
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render(inp: ReportInput) -> str:
    return json_text(document(inp))
