"""``gtmplay explain ID_OR_NAME``: the documentation of one rule."""

from __future__ import annotations

import click


@click.command(name="explain")
@click.argument("rule")
def command(rule: str) -> int:
    """Show what a rule checks, why, and a failing and a passing example.

    RULE is an id (GTM101, any case) or a name (coverage.stage-without-marketing);
    the start of a name's words is enough when it fits one rule (stage-without-mark).
    """
    from gtmplay.errors import UsageError
    from gtmplay.rules.listing import explain
    from gtmplay.rules.registry import find_rule, rules_by_words, suggest_rule

    info = find_rule(rule)
    if info is None:
        # words of a name, as people remember them: the one rule they fit is shown
        matches = rules_by_words(rule)
        if len(matches) == 1:
            info = matches[0]
            click.echo(f"gtmplay: {rule!r} is {info.name} ({info.id})", err=True)
        elif matches:
            names = ", ".join(m.name for m in matches)
            raise UsageError(
                problem=f"{rule!r} fits {len(matches)} rules: {names}",
                fix="Name one of them",
            )
        else:
            hint = suggest_rule(rule)
            raise UsageError(
                problem=f"unknown rule {rule!r}" + (f" ({hint})" if hint else ""),
                fix="Run gtmplay rules to list every rule",
            )
    click.echo(explain(info), nl=False)
    return 0
