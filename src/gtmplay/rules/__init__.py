"""Alignment rules: the registry, the rules, and their configuration.

Each rule is a module of its own (``gtm101_stage_without_marketing.py``) with
``ID``, ``NAME``, ``LEVEL``, ``SUMMARY``, a docstring that is its user
documentation, and ``check(ctx)``. They are listed here explicitly, in id
order, and imported only when rules run or are documented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gtmplay.findings import Finding
    from gtmplay.pipeline import Result

RULE_MODULES: tuple[str, ...] = ()


def run_rules(result: Result) -> list[Finding]:
    """All findings of ``result`` after the alignment rules ran."""
    return list(result.findings)
