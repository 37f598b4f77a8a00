"""Options that several commands share, declared once so their choices and help stay alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

# what click.option returns: it adds the option to the command it decorates
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

fail_on = click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "note"]),
    default=None,
    help="Exit 1 when a finding at or above this level exists "
    "[default: the playbook's checks.fail_on, else error].",
)


def text_format(choices: Sequence[str], *, help: str = "Output format.") -> Decorator:
    """``--format`` of a command whose formats are named in ``choices``, ``text`` by default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help=help,
    )


def output_path(what: str) -> Decorator:
    """``--output/-o PATH``: write ``what`` (the report, the plan) to PATH instead of stdout."""
    return click.option(
        "--output", "-o", metavar="PATH", default=None, help=f"Write {what} to PATH, not stdout."
    )


def templates(*, watched: bool = False) -> Decorator:
    """``--templates DIR`` of the commands that render the docs (``build``, ``serve``)."""
    return click.option(
        "--templates",
        type=click.Path(path_type=Path),
        metavar="DIR",
        help="Folder of templates overriding built-in ones by name "
        f"(run sandboxed{'; watched too' if watched else ''}).",
    )
