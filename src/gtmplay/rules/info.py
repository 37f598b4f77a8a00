"""What a user needs to know about one rule: the registry's record.

Its own module so that the registry (which lists every rule) and the
foundation's rule documentation (which it lists) both import it and not
each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from gtmplay.findings import Level


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str  # "GTM101"
    name: str  # "coverage.stage-without-marketing"
    level: Level  # default level
    summary: str  # one line: SARIF shortDescription, `gtmplay rules`
    doc: str  # Markdown: what, why, a failing and a passing example
    # Whether a playbook may change the level of this rule or suppress it.
    # Problems that stop the model from being built (YAML, schema,
    # references) cannot be silenced: nothing after them would be right.
    configurable: bool
