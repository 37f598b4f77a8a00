"""``gtmplay rules``: every rule with its id, name, default level and summary."""

from __future__ import annotations

import click

from gtmplay.commands import options
from gtmplay.rules.listing import FORMATS


@click.command(name="rules")
@options.text_format(FORMATS)
def command(fmt: str) -> int:
    """List every rule gtmplay checks.

    Rules are named by id (GTM101) or name (coverage.stage-without-marketing)
    in checks.rules, gtmplay.toml and suppress: entries. `gtmplay explain ID`
    shows a rule's documentation.
    """
    from gtmplay.rules.listing import render

    click.echo(render(fmt), nl=False)
    return 0
