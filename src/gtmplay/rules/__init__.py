"""Alignment rules (filled in by the rules issue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gtmplay.findings import Finding
    from gtmplay.pipeline import Result


def run_rules(result: Result) -> list[Finding]:
    """All findings of ``result`` after the alignment rules ran."""
    return list(result.findings)
