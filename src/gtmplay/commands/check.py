"""``gtmplay check``: options only; the work is in :mod:`gtmplay.services.check`."""

from __future__ import annotations

import os
import sys

import click

from gtmplay.commands import options
from gtmplay.report import REPORTERS


@click.command(name="check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(REPORTERS)),
    default=None,
    help="Report format on standard output [default: github when GITHUB_ACTIONS=true, else text].",
)
@click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    metavar="FORMAT=PATH",
    help="Also write a report in FORMAT to PATH (repeatable), e.g. sarif=gtmplay.sarif.",
)
@options.fail_on
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Fail only on findings that are new since the merge-base of REF and HEAD "
    "(e.g. origin/main); fixed ones are listed.",
)
@click.option(
    "--color/--no-color",
    "colour",
    default=None,
    help="Colour the text output (default: when writing to a terminal).",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print only findings: no 'no findings' line for a clean playbook on a terminal.",
)
def command(
    paths: tuple[str, ...],
    fmt: str | None,
    outputs: tuple[str, ...],
    fail_on: str | None,
    base: str | None,
    colour: bool | None,
    quiet: bool,
) -> int:
    """Check playbooks: YAML, schema, references and alignment rules.

    PATHS are playbook folders (holding playbook.yaml) or playbook files.
    Findings print as path:line:col: level[rule] message. Exit status: 0 when
    clean, 1 when findings at or above --fail-on exist (with --base: new
    ones), 2 when a file cannot be used (unreadable, not YAML) or the command
    line is wrong. See docs/reporting.md for the formats.
    """
    from gtmplay.services.check import CheckOptions, parse_output, run_check

    terminal = sys.stdout.isatty()
    if colour is None:
        colour = terminal and "NO_COLOR" not in os.environ
    options = CheckOptions(
        paths=paths,
        format=fmt,
        outputs=tuple(parse_output(spec) for spec in outputs),
        fail_on=fail_on,
        base=base,
        colour=colour,
        env=dict(os.environ),
        # scripts and CI keep today's silence on success; a person at a terminal is told
        confirm=terminal and not quiet,
    )
    outcome = run_check(options)
    click.echo(outcome.stdout, nl=False)
    return outcome.status
