"""``gtmplay import``: start a playbook from an existing CRM configuration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from gtmplay.services.import_ import Options

OUT_HELP = "Folder to write the new playbook to (must not exist or be empty)."
output_option = click.option(
    "-o", "--output", "out", default="imported-playbook", show_default=True, help=OUT_HELP
)


@click.group(name="import")
def command() -> None:
    """Write a new playbook from an existing CRM's configuration.

    The playbook keeps every stage and lead status with its properties,
    descriptions and guidance, and exporting it (gtmplay build --only
    salesforce or hubspot) gives the same values back. What a CRM cannot know
    (teams, marketing activities, handoffs) is listed for you to fill in.
    Exit status 0 when written, 2 when the input cannot be used.
    """


@command.command(name="salesforce")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@output_option
def salesforce(paths: tuple[str, ...], out: str) -> int:
    """Import Salesforce metadata: a DX source folder (force-app), a metadata-API
    folder (src) or metadata files.

    Reads the OpportunityStage and LeadStatus standard value sets and every
    business process, record type and Path on Opportunity and Lead found
    under PATHS; every other file is skipped unread.
    """
    from gtmplay.services.import_ import Options

    return _run(Options(crm="salesforce", paths=paths, output=Path(out)))


@command.command(name="hubspot")
@click.argument("file", type=click.Path())
@click.option(
    "--pipeline", default=None, help="Id or label of the one pipeline to import (default: all)."
)
@output_option
def hubspot(file: str, pipeline: str | None, out: str) -> int:
    """Import HubSpot deal pipelines: the JSON of GET /crm/v3/pipelines/deals[/ID].

    A file with several pipelines gives one sales motion per pipeline.
    """
    from gtmplay.services.import_ import Options

    return _run(Options(crm="hubspot", paths=(file,), output=Path(out), pipeline=pipeline))


def _run(options: Options) -> int:
    from gtmplay.services.import_ import run

    outcome = run(options)
    for warning in outcome.imported.warnings:
        click.echo(f"gtmplay: warning: {warning}", err=True)
    if outcome.imported.summary:
        click.echo(outcome.imported.summary)
    click.echo(f"wrote {outcome.target}: {outcome.counts}")
    click.echo("to fill in for sales and marketing to align:")
    for gap in outcome.gaps:
        click.echo(f"  - {gap}")
    click.echo(f"then run: gtmplay check {options.output}")
    return outcome.status
