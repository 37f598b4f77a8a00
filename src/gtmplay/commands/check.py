"""``gtmplay check``."""

from __future__ import annotations

import os
import sys

import click

from gtmplay.findings import Level


@click.command(name="check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "note"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding at or above this level exists.",
)
@click.option(
    "--color/--no-color",
    "colour",
    default=None,
    help="Colour the text output (default: when writing to a terminal).",
)
def command(paths: tuple[str, ...], fail_on: str, colour: bool | None) -> int:
    """Check playbooks: YAML, schema, references and alignment rules.

    PATHS are playbook folders (holding playbook.yaml) or playbook files.
    Findings print as path:line:col: level[rule] message. Exit status: 0 when
    clean, 1 when findings at or above --fail-on exist, 2 when a file cannot
    be used (unreadable, not YAML) or the command line is wrong.
    """
    from gtmplay.pipeline import check_path
    from gtmplay.report import text

    results = [check_path(path) for path in paths]
    findings = sorted(f for r in results for f in r.findings)
    if colour is None:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    click.echo(text.render(findings, colour=colour), nl=False)
    if any(not r.usable for r in results):
        return 2
    threshold = Level.parse(fail_on)
    return 1 if any(f.level >= threshold for f in findings) else 0
