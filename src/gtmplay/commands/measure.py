"""``gtmplay measure``: options only; the work is in :mod:`gtmplay.services.measure`."""

from __future__ import annotations

import os
import sys

import click

from gtmplay.commands import options
from gtmplay.report import REPORTERS


def _progress(path: str) -> None:
    # one line, rewritten, and only where a person watches: never in a pipe or CI log
    name = os.path.basename(path)[:60]
    click.echo(f"\rreading {name}\x1b[K", nl=False, err=True)


@click.command(name="measure")
@click.argument("playbook", type=click.Path())
@click.argument("data", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(dict.fromkeys(["text", "json", *REPORTERS]))),
    default="text",
    show_default=True,
    help="text: the figures table and the findings; json: every figure and the findings; "
    "any other: the findings alone in that report format.",
)
@click.option(
    "--output",
    "-o",
    "out",
    type=click.Path(),
    default=None,
    help="Also build the playbook's site into OUT with the scorecard page "
    "(html/scorecard.html, html/scorecard.json), all or nothing.",
)
@options.fail_on
@click.option(
    "--encoding",
    default=None,
    help="The CSV files' encoding [default: UTF-8, else Windows-1252 (cp1252)].",
)
@click.option("--color/--no-color", "colour", default=None, help="Colour the findings.")
def command(
    playbook: str,
    data: tuple[str, ...],
    fmt: str,
    out: str | None,
    fail_on: str | None,
    encoding: str | None,
    colour: bool | None,
) -> int:
    """Measure CRM history against the playbook: time in stage, conversion, SLAs, KPIs.

    PLAYBOOK is a playbook folder or file. DATA are CRM exports (Salesforce
    OpportunityHistory + Opportunity, Lead + LeadHistory, HubSpot deals or
    contacts, the generic event format as CSV or Parquet) or folders of them.
    Where the data contradicts a declaration (a stage's target_days, a
    probability, a handoff SLA, a KPI target) a GTM6xx finding points at it.
    Exit status: 0, 1 when findings reach --fail-on, 2 when the playbook or
    the data cannot be used. See docs/measure.md.
    """
    from gtmplay.services.measure import MeasureOptions, run_measure

    tty = sys.stderr.isatty()
    if colour is None:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    outcome = run_measure(
        MeasureOptions(
            playbook=playbook,
            data=data,
            format=fmt,
            out=out,
            fail_on=fail_on,
            encoding=encoding,
            colour=colour,
            progress=_progress if tty else None,
        )
    )
    if tty:
        click.echo("\r\x1b[K", nl=False, err=True)
    click.echo(outcome.stdout, nl=False)
    return outcome.status
