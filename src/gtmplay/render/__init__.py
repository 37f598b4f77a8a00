"""Build targets: one module per output, each a pure function of the playbook.

The targets are listed in :data:`gtmplay.services.build.TARGETS`. A target
module exposes ``render(ctx: BuildContext) -> dict[str, bytes]``
mapping POSIX paths relative to the output folder to file contents; a target
with big files also exposes ``pages(ctx) -> Iterator[Page]``, yielding each
(path, contents) as soon as it is made, the contents as bytes or as chunks of
bytes made while they are written, which ``gtmplay build`` prefers so that it
holds at most one page at a time (see :func:`collected`). Targets never write files
themselves: ``gtmplay.render.writer`` writes them into a temporary folder and
swaps it in atomically, so a failed build leaves the previous output untouched.
Output must be deterministic (no timestamps unless ``ctx.stamp``), so two
builds are byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gtmplay.findings import Finding
    from gtmplay.measure.figures import Measurement
    from gtmplay.model import Playbook
    from gtmplay.result import Result

# one file of a target: its path and its contents, whole or as chunks (a page
# rendered while it is written, never whole in memory)
Page = tuple[str, bytes | Iterable[bytes]]


def collected(pages: Iterable[Page]) -> dict[str, bytes]:
    """The files of ``pages`` in memory (``render``, ``gtmplay serve``), each
    page's chunks joined before the next page is made."""
    return {path: data if isinstance(data, bytes) else b"".join(data) for path, data in pages}


@dataclass(frozen=True)
class BuildContext:
    playbook: Playbook
    result: Result
    findings: tuple[Finding, ...] = ()
    templates: Path | None = None  # user templates overriding the built-in ones
    stamp: str | None = None  # a build timestamp, only when asked for
    warnings: list[str] = field(default_factory=list)  # what a target could not represent
    # the targets of this build (None: the default ones), so pages link only files that exist
    targets: tuple[str, ...] | None = None
    # what `gtmplay measure` found in CRM data: the HTML site adds its scorecard page
    measurement: Measurement | None = None
    dialect: str | None = None  # the SQL dialect of the sql and dbt targets (None: duckdb)
    # values several targets derive from the playbook, computed once per build
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
