"""``gtmplay build``, as one readable function of named steps. No click here.

choose targets -> check the output location -> check the playbook -> refuse
on errors (unless forced) -> render each target and write its files into a
temporary folder -> swap that folder in for the output, atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from gtmplay.errors import UsageError
from gtmplay.findings import Finding, Level
from gtmplay.gcpause import no_cyclic_gc

if TYPE_CHECKING:
    from gtmplay.measure.figures import Measurement
    from gtmplay.render import BuildContext, Page
    from gtmplay.result import Result


_Files = TypeVar("_Files")

# target name -> module; `gtmplay build --only NAME` selects among these.
TARGETS: dict[str, str] = {
    "html": "gtmplay.render.html",
    "markdown": "gtmplay.render.markdown_docs",
    "handoffs": "gtmplay.render.handoffs",
    "salesforce": "gtmplay.crm.salesforce.exporter",
    "hubspot": "gtmplay.crm.hubspot.exporter",
    "pipedrive": "gtmplay.crm.pipedrive.exporter",
    "csv": "gtmplay.render.csv",
    "sql": "gtmplay.measure.sqlexport",
    "dbt": "gtmplay.measure.dbtexport",
}

# what `gtmplay build` writes when no --only is given
DEFAULT_TARGETS: tuple[str, ...] = ("html", "markdown", "handoffs")


@dataclass(frozen=True)
class Options:
    output: Path
    targets: tuple[str, ...] = ()  # empty: the default targets
    force: bool = False
    templates: Path | None = None
    stamp: bool = False
    # figures of `gtmplay measure`: the site gets its scorecard page (html/scorecard.html)
    measurement: Measurement | None = None
    dialect: str | None = None  # the SQL dialect of the sql and dbt targets


@dataclass
class Outcome:
    """What happened. ``status`` is the exit status: 0 built, 1 refused, 2 unusable."""

    status: int
    result: Result | None = None
    reason: str = ""
    files: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in (self.result.findings if self.result else []) if f.level is Level.ERROR]


def build(path: str, options: Options) -> Outcome:
    """Build the outputs of the playbook at ``path`` into ``options.output``."""
    from gtmplay.render.writer import check_output, write_targets
    from gtmplay.sources import open_playbook

    targets = select_targets(options.targets)
    if options.dialect is not None and not {"sql", "dbt"} & set(targets):
        raise UsageError(
            problem="--dialect applies to the sql and dbt targets only",
            fix="Add --only sql or --only dbt, or leave --dialect out",
        )
    templates = templates_dir(options.templates)
    open_playbook(path)  # a missing playbook first: its folder decides where -o may go
    playbook_dir = playbook_folder(path)
    check_output(options.output, playbook_dir)

    outcome, ctx = checked(
        path,
        targets,
        templates,
        force=options.force,
        stamp=options.stamp,
        measurement=options.measurement,
        dialect=options.dialect,
    )
    if ctx is None:
        return outcome
    # each page goes to disk before the next is rendered, so the build holds
    # one page at a time, not a target's output (nor all of them)
    with no_cyclic_gc():
        outcome.files = write_targets(
            options.output, rendered(targets, ctx, target_pages), playbook_dir=playbook_dir
        )
    outcome.warnings = list(ctx.warnings)
    return outcome


def render_checked(
    path: str,
    targets: tuple[str, ...],
    templates: Path | None,
    *,
    force: bool,
) -> tuple[Outcome, dict[str, bytes]]:
    """Check the playbook, then render ``targets`` in memory: the outcome and the files
    (none when the outcome refuses). ``gtmplay serve`` serves these files as they are;
    it has no build stamp, no measurement and no SQL target, so :func:`checked`'s
    defaults are the whole of its settings."""
    outcome, ctx = checked(path, targets, templates, force=force)
    if ctx is None:
        return outcome, {}
    with no_cyclic_gc():
        files = render_all(targets, ctx, render_target)
    outcome.files = len(files)
    outcome.warnings = list(ctx.warnings)
    return outcome, files


def checked(
    path: str,
    targets: tuple[str, ...],
    templates: Path | None,
    *,
    force: bool,
    stamp: bool = False,
    measurement: Measurement | None = None,
    dialect: str | None = None,
) -> tuple[Outcome, BuildContext | None]:
    """Check the playbook: the outcome, and what the targets render from (None when
    the outcome refuses)."""
    from gtmplay.pipeline import check_path
    from gtmplay.render import BuildContext
    from gtmplay.sourcemap import SourceMap

    result = check_path(path)
    refusal = gate(result, force=force)
    if refusal is not None:
        return refusal, None
    assert result.playbook is not None  # gate() refuses a result without a model
    # the targets read the model and the findings only: the merged document and
    # its source map, most of a check's memory, go before the outputs are made
    result.doc, result.smap, result.index = {}, SourceMap(), None

    ctx = BuildContext(
        playbook=result.playbook,
        result=result,
        findings=tuple(result.findings),
        templates=templates,
        stamp=build_stamp() if stamp else None,
        targets=targets,
        measurement=measurement,
        dialect=dialect,
    )
    return Outcome(status=0, result=result), ctx


def rendered(
    targets: tuple[str, ...],
    ctx: BuildContext,
    render_target: Callable[[str, BuildContext], _Files],
) -> Iterator[tuple[str, _Files]]:
    """Each target's name and files, rendered only when the caller asks for them."""
    for name in targets:
        yield name, render_target(name, ctx)


def render_all(
    targets: tuple[str, ...],
    ctx: BuildContext,
    render_target: Callable[[str, BuildContext], dict[str, bytes]],
) -> dict[str, bytes]:
    """The union of the targets' files; two targets writing one path is an error."""
    from gtmplay.render.writer import Paths

    files: dict[str, bytes] = {}
    paths = Paths()
    for name, part in rendered(targets, ctx, render_target):
        paths.add(name, part)
        files.update(part)
    return files


def render_target(name: str, ctx: BuildContext) -> dict[str, bytes]:
    """Run the target ``name`` (a key of :data:`TARGETS`) on ``ctx``."""
    import importlib

    module = importlib.import_module(TARGETS[name])
    files: dict[str, bytes] = module.render(ctx)
    return files


def target_pages(name: str, ctx: BuildContext) -> Iterator[Page]:
    """The files of the target ``name`` as (path, contents), each as it is made
    when the target has ``pages`` (see :mod:`gtmplay.render`)."""
    import importlib

    module = importlib.import_module(TARGETS[name])
    pages: Callable[[BuildContext], Iterator[Page]] | None = getattr(module, "pages", None)
    if pages is not None:
        yield from pages(ctx)
    else:
        yield from render_target(name, ctx).items()


def select_targets(requested: tuple[str, ...]) -> tuple[str, ...]:
    """Targets in the order asked, duplicates dropped; ``a,b`` counts as two."""
    names = [n.strip() for item in requested for n in item.split(",") if n.strip()]
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        raise UsageError(
            problem=f"unknown build target {unknown[0]!r}",
            fix=f"choose among {', '.join(sorted(TARGETS))}",
        )
    return tuple(dict.fromkeys(names)) or DEFAULT_TARGETS


def playbook_folder(path: str) -> Path:
    target = Path(path)
    return target if target.is_dir() else target.parent


def gate(result: Result, *, force: bool) -> Outcome | None:
    """Why this result must not be built, or None when it may be."""
    if not result.usable:
        return Outcome(2, result, "the playbook cannot be read; fix the errors above")
    errors = sum(1 for f in result.findings if f.level is Level.ERROR)
    if errors and not force:
        return Outcome(
            1,
            result,
            f"not built: the playbook has {errors} error{'s' if errors != 1 else ''}; "
            "fix them, or pass --force to build anyway",
        )
    if result.playbook is None:
        return Outcome(
            2,
            result,
            "not built: the playbook does not pass the schema, so there is nothing to render "
            "even with --force; fix the errors above",
        )
    return None


def templates_dir(path: Path | None) -> Path | None:
    if path is not None and not path.is_dir():
        raise UsageError(
            problem=f"--templates {path}: no such folder",
            fix="pass a folder laid out like templates/ (html/, markdown/, handoffs/)",
        )
    return path


def build_stamp() -> str:
    """UTC build time for ``--stamp``; ``SOURCE_DATE_EPOCH`` wins, for reproducible builds."""
    from datetime import datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else None
    except (ValueError, OverflowError, OSError):
        when = None
    return (when or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
