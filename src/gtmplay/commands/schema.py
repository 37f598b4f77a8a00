"""``gtmplay schema``."""

from __future__ import annotations

import click


@click.command(name="schema")
@click.option(
    "--fragment",
    is_flag=True,
    help="Print the schema of included files (no gtmplay/name required).",
)
def command(fragment: bool) -> int:
    """Print the playbook JSON Schema (2020-12), for editors and other tools."""
    from gtmplay.schemafiles import FRAGMENT_SCHEMA, PLAYBOOK_SCHEMA, schema_text

    click.echo(schema_text(FRAGMENT_SCHEMA if fragment else PLAYBOOK_SCHEMA), nl=False)
    return 0
