"""``gtmplay explain ID_OR_NAME``: the documentation of one rule."""

from __future__ import annotations

import click


@click.command(name="explain")
@click.argument("rule")
def command(rule: str) -> int:
    """Show what a rule checks, why, and a failing and a passing example.

    RULE is an id (GTM101, any case) or a name (coverage.stage-without-marketing).
    """
    from gtmplay.errors import UsageError
    from gtmplay.rules.listing import explain
    from gtmplay.rules.registry import find_rule, suggest_rule

    info = find_rule(rule)
    if info is None:
        hint = suggest_rule(rule)
        raise UsageError(
            problem=f"unknown rule {rule!r}" + (f" ({hint})" if hint else ""),
            fix="Run gtmplay rules to list every rule",
        )
    click.echo(explain(info), nl=False)
    return 0
