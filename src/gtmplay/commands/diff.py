"""``gtmplay diff``: options only; the work is in :mod:`gtmplay.services.diff`."""

from __future__ import annotations

import click

from gtmplay.commands import options
from gtmplay.report.diff_formats import FORMATS


@click.command(name="diff")
@click.argument("old")
@click.argument("new")
@options.text_format(FORMATS, help="Report format.")
@options.output_path("the report")
def command(old: str, new: str, fmt: str, output: str | None) -> int:
    """What a change does to a playbook: objects, coverage, probabilities, SLAs.

    OLD and NEW are each a playbook path (folder or file), REF:PATH (the path,
    relative to the current folder, at a git revision) or a bare REF (the
    other side's path at that revision). Examples:

    \b
      gtmplay diff origin/main playbooks/acme
      gtmplay diff v1.0:playbooks/acme HEAD:playbooks/acme
      gtmplay diff old-copy/ playbooks/acme --format markdown

    Exit status: 0 (also when there are changes), 2 when a side cannot be
    read or has errors.
    """
    from gtmplay.services.diff import DiffOptions, run_diff

    click.echo(run_diff(DiffOptions(old=old, new=new, format=fmt, output=output)), nl=False)
    return 0
