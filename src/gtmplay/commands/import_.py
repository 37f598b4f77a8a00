"""``gtmplay import``: start a playbook from an existing CRM configuration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from gtmplay.crm.imported import Imported

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
    from gtmplay.crm.imported import check_output
    from gtmplay.crm.salesforce.importer import import_salesforce

    check_output(Path(out))
    return _finish(import_salesforce(list(paths)), Path(out))


@command.command(name="hubspot")
@click.argument("file", type=click.Path())
@click.option("--pipeline", default=None, help="Id or label of the pipeline when FILE has several.")
@output_option
def hubspot(file: str, pipeline: str | None, out: str) -> int:
    """Import a HubSpot deal pipeline: the JSON of GET /crm/v3/pipelines/deals[/ID]."""
    from gtmplay.crm.hubspot.importer import import_hubspot
    from gtmplay.crm.imported import check_output

    check_output(Path(out))
    return _finish(import_hubspot(file, pipeline), Path(out))


def _finish(imported: Imported, out: Path) -> int:
    from gtmplay.crm.imported import gaps, write_playbook

    for warning in imported.warnings:
        click.echo(f"gtmplay: warning: {warning}", err=True)
    target = write_playbook(imported, out)
    doc = imported.doc
    if imported.summary:
        click.echo(imported.summary)
    click.echo(
        f"wrote {target}: {len(doc.get('stages', []))} stages, "
        f"{len(doc.get('lifecycle', []))} lifecycle steps"
    )
    click.echo("to fill in for sales and marketing to align:")
    for gap in gaps(doc):
        click.echo(f"  - {gap}")
    click.echo(f"then run: gtmplay check {out}")
    return 0
