"""Options that several commands share, declared once so their choices and help stay alike."""

from __future__ import annotations

import click

fail_on = click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "note"]),
    default=None,
    help="Exit 1 when a finding at or above this level exists "
    "[default: the playbook's checks.fail_on, else error].",
)
