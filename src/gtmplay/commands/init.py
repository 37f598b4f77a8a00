"""``gtmplay init``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gtmplay.services.init import DEFAULT, STARTERS

_LIST = "\n".join(f"  {s.name:<21} {s.summary}" for s in STARTERS)


# "\b" keeps click from re-flowing the list into one paragraph
@click.command(name="init", epilog=f"\b\nTemplates:\n{_LIST}")
@click.argument("folder", default=".", type=click.Path(path_type=Path))
@click.option(
    "-t",
    "--template",
    "name",
    type=click.Choice([s.name for s in STARTERS]),
    default=None,
    help=f"The starter playbook (asked on a terminal; {DEFAULT} otherwise).",
)
def command(folder: Path, name: str | None) -> int:
    """Start a playbook in FOLDER (new or empty; default: here) from a template.

    The playbook is complete and passes gtmplay check as written; its
    comments explain the format. Replace the example values with yours.
    Exit status 0 when written, 2 when FOLDER is not empty or cannot be written.
    """
    from gtmplay.services.init import check_target, init

    check_target(folder)  # before asking anything
    if name is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            click.echo("Templates:")
            for s in STARTERS:
                click.echo(f"  {s.name:<21} {s.summary}")
            name = click.prompt(
                "Start from which template",
                type=click.Choice([s.name for s in STARTERS]),
                default=DEFAULT,
                show_choices=False,
            )
        else:
            name = DEFAULT
    count = init(folder, name)
    click.echo(f"wrote {count} files to {folder} from the template {name}")
    click.echo(f"next: edit them, then run: gtmplay check {folder}")
    return 0
