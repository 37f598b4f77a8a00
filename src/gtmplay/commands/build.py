"""``gtmplay build``."""

from __future__ import annotations

from pathlib import Path

import click

from gtmplay.commands import options
from gtmplay.measure.warehouses import DIALECTS


@click.command(name="build")
@click.argument("path", type=click.Path())
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    metavar="OUT",
    help="Output folder; replaced as a whole when the build succeeds.",
)
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="TARGET",
    help="Build only this target (repeat, or a comma list): html, markdown, handoffs, "
    "a CRM target, sql or dbt.",
)
@click.option("--force", is_flag=True, help="Build even when the playbook has errors.")
@options.templates()
@click.option("--stamp", is_flag=True, help="Write the build time into the outputs.")
@click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    default=None,
    help="SQL dialect of the sql and dbt targets [default: duckdb].",
)
def command(
    path: str, output: Path, only: tuple[str, ...], force: bool, templates: Path | None,
    stamp: bool, dialect: str | None,
) -> int:  # fmt: skip
    """Render the playbook at PATH into OUT: HTML site, Markdown docs, handoffs.

    The output is written to a temporary folder beside OUT and swapped in
    only when complete. Exit status: 0 built, 1 refused because the playbook
    has errors (see --force), 2 when the playbook or output cannot be used.
    """
    from gtmplay.report import ReportInput, text
    from gtmplay.services.build import Options, build

    outcome = build(
        path,
        Options(
            output=output,
            targets=only,
            force=force,
            templates=templates,
            stamp=stamp,
            dialect=dialect,
        ),
    )
    if outcome.status != 0:
        if outcome.result is not None:
            findings = tuple(outcome.result.findings)
            click.echo(text.render(ReportInput(findings=findings)), nl=False)
        click.echo(f"gtmplay: {outcome.reason}", err=True)
        return outcome.status
    for warning in outcome.warnings:
        click.echo(f"gtmplay: warning: {warning}", err=True)
    click.echo(f"built {outcome.files} files into {output}")
    return 0
