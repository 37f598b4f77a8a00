"""Jinja2 environments for the docs, built-in or overridden by the user.

Built-in templates run in a normal environment. With ``--templates DIR`` the
user's files override built-in ones of the same relative name and everything
runs in Jinja2's immutable sandbox (``ImmutableSandboxedEnvironment``), so a
template can neither reach Python internals nor change the data other pages
and targets are rendered from. HTML templates autoescape; Markdown templates pass every value
through :func:`gtmplay.textio.markdown_inline` (``finalize``), so raw
HTML in the YAML is escaped there too. Undefined names are errors.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket
from markupsafe import Markup

import gtmplay
from gtmplay import textio
from gtmplay.errors import UsageError
from gtmplay.render import Page, rows, sanitize
from gtmplay.render.escaping import Done, cell, label, markdown_finalize
from gtmplay.render.sandbox import BoundedSandbox, FolderLoader, TemplateLimit, bounded, collect

BUILTIN = Path(gtmplay.__file__).parent / "_data" / "templates"


def number(value: float | int | None) -> str:
    """``4.0`` -> ``4``, ``0.5`` -> ``0.5``; the docs never show ``4.0 hours``."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


_UNITS = {"percent": "{}%", "ratio": "{}\u00d7", "days": "{} days", "hours": "{} hours"}


def measure(value: float | int | None, unit: str) -> str:
    """A KPI target as people write it: ``22%``, ``90 days``, ``2,400,000``.

    A ratio gets a multiplication sign after the number.
    """
    if value is None:
        return ""
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,g}"
    if unit in ("days", "hours") and text == "1":
        return f"1 {unit[:-1]}"
    return _UNITS.get(unit, "{}").format(text)


def duration(value: str | None) -> str:
    """A duration in words (``30m`` -> ``30 minutes``); anything else as written."""
    if not value:
        return ""
    from gtmplay.durations import words

    try:
        return words(str(value))
    except ValueError:
        return str(value)


def environment(kind: str, user_dir: Path | None) -> jinja2.Environment:
    """The environment for ``kind`` (``html`` or ``markdown``), one per process.

    Compiling the templates is most of a small build, so each environment is
    kept and reused: Jinja2 caches the compiled templates in it and, because
    ``auto_reload`` stays on, still notices a template file changed on disk.
    """
    return _environment(kind, None if user_dir is None else user_dir.resolve())


@functools.lru_cache(maxsize=16)
def _environment(kind: str, user_dir: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(BUILTIN))]
    if user_dir is not None:
        loaders.insert(0, FolderLoader(str(user_dir)))
    cls = BoundedSandbox if user_dir is not None else jinja2.Environment
    html = kind == "html"
    options: dict[str, Any] = {
        "autoescape": html,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    env = cls(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=None if html else markdown_finalize,
        # the sandbox compiles templates differently (it intercepts operators),
        # so only the built-in environments share compiled code on disk
        bytecode_cache=None if user_dir is not None else bytecode_cache(kind, options),
        **options,
    )
    filters: dict[str, Callable[..., Any]] = {
        "number": number,
        "measure": measure,
        "url": sanitize.safe_url,
        "label": label,
        "duration": duration,
        # measured figures (the scorecard): 1,234 and 12.5; a share of 0.634 as 63%
        "amount": _amount,
        "percent": _percent,
    }
    if html:
        filters["md"] = sanitize.markdown_html
    else:
        filters["md"] = lambda v: Done(textio.markdown_text(v))
        filters["cell"] = cell
        filters["mermaid"] = Markup
    env.filters.update(filters)
    # the globals gtmplay adds: set once, here, and never per build (see rows.py)
    env.globals.update(rows.template_globals(kind))
    return env


# The scorecard's filters: its charts module (about 8 ms to import) is loaded
# when a page prints a measured figure, not by every build.


def _amount(value: float | None, unit: str = "") -> str:
    from gtmplay.render.charts import amount

    return amount(value, unit)


def _percent(value: float | None) -> str:
    from gtmplay.render.charts import percent

    return percent(value)


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's on-disk cache of compiled templates; a cache folder that
    cannot be read or written only means compiling again, never an error."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache(kind: str, options: Mapping[str, Any]) -> jinja2.BytecodeCache | None:
    """Where the compiled built-in templates of ``kind`` are kept between runs.

    Compiling the templates is most of a small build's time. Jinja2 checks
    each cached template against its source, but not against the options it
    was compiled with, so the folder is named after everything the compiled
    code depends on: the kind and its options, Jinja2's and Python's versions.
    None when the folder cannot be made.
    """
    import hashlib
    import sys

    from gtmplay.cachedir import user_cache_dir

    # finalize changes the generated code: Markdown has one, HTML none
    depends = f"{kind}\0{sorted(options.items())}\0{jinja2.__version__}\0{sys.version}"
    key = hashlib.sha256(depends.encode()).hexdigest()[:16]
    folder = user_cache_dir() / "templates" / f"{kind}-{key}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietBytecodeCache(str(folder), "%s.jinja")


# what to do when a user template goes over a bound of the sandbox
_BOUNDS = "templates from --templates run with bounds on time, memory and output size"


def render(env: jinja2.Environment, name: str, values: Mapping[str, Any]) -> str:
    """Render template ``name``; template mistakes become a clear usage error.

    User templates (a sandboxed environment) run within the time, memory and
    output bounds of :mod:`gtmplay.render.sandbox`.
    """
    with template_errors(name, user=isinstance(env, BoundedSandbox)):
        template = env.get_template(name)
        if not isinstance(env, BoundedSandbox):
            return template.render(values)
        with bounded():
            return collect(template.generate(values))


# a page's chunks are encoded and handed on about this many characters at a
# time: few enough writes that they cost nothing, little text pending
_FLUSH = 64 * 1024


def render_chunks(env: jinja2.Environment, name: str, values: Mapping[str, Any]) -> Iterator[bytes]:
    """:func:`render`, as UTF-8 chunks made while the caller writes them.

    Jinja2's ``render`` lists every chunk of a page, joins them into its text,
    which is then encoded: for a page of megabytes (the activities page) the
    chunks, the text and the bytes at once. Here a few chunks are joined and
    encoded at a time (:func:`gtmplay.textio.batched`), a big one (the activities
    table) on its own.
    """
    with template_errors(name):
        template = env.get_template(name)
        for text in textio.batched(template.generate(values), _FLUSH):
            yield text.encode("utf-8")


def asset(env: jinja2.Environment, name: str) -> str:
    """The text of a file copied as it is (``html/style.css``), through the same loader."""
    with template_errors(name, user=isinstance(env, BoundedSandbox)):
        return env.loader.get_source(env, name)[0] if env.loader else ""


# (template, title) of the pages a documentation target has once, the
# overview first: the HTML site and the Markdown docs show the same pages
_DOC_PAGES = (
    ("index", "Overview"),
    ("strategy", "Strategy"),
    ("lifecycle", "Demand waterfall"),
    ("activities", "Marketing activities"),
    ("handoffs", "Handoffs and SLAs"),
    ("kpis", "KPIs and cadence"),
    ("alignment", "Alignment"),
)


def doc_pages(index: str) -> tuple[tuple[str, str, str], ...]:
    """(output page without suffix, template, title) of the pages that exist
    once, for :func:`render_pages`; the overview is written as ``index`` (the
    Markdown docs call it ``README`` so that a forge shows it for the folder)."""
    return tuple(
        (index if template == "index" else template, template, title)
        for template, title in _DOC_PAGES
    )


def render_pages(
    env: jinja2.Environment,
    site: Any,
    *,
    kind: str,
    suffix: str,
    pages: Sequence[tuple[str, str, str]],
    extra: Callable[[str], Mapping[str, Any]],
) -> Iterator[Page]:
    """Every page of a documentation target, as (path, contents) when it is made:
    the fixed ``pages``, then one per stage and one per team guide, under
    ``kind/`` with ``suffix``.

    ``extra(root)`` gives the values only this target's templates use (its
    diagrams), given the relative path back to the target's folder.

    Built-in templates yield each page as chunks rendered while the caller
    (the build's writer) writes them, so no page is ever whole in memory.
    User templates run under one time bound for the whole target, an
    alarm that must not fire while the caller writes: their pages are all
    made inside the bound and yielded after it.
    """
    nav = [(page, title) for page, _, title in pages]

    user = isinstance(env, BoundedSandbox)

    def page(out: str, template: str, title: str, **values: Any) -> Page:
        root = "../" * out.count("/")
        context = {
            "site": site,
            "pb": site.playbook,
            "root": root,
            "current": out,
            "title": title,
            "nav": nav,
            **extra(root),
            **values,
        }
        name = f"{kind}/{template}{suffix}.j2"
        if user:
            return f"{kind}/{out}{suffix}", render(env, name, context).encode("utf-8")
        return f"{kind}/{out}{suffix}", render_chunks(env, name, context)

    # (output page, template, title, values) of every page, in order
    every: list[tuple[str, str, str, dict[str, Any]]] = [(o, t, title, {}) for o, t, title in pages]
    every += [(v.page, "stage", v.stage.name, {"view": v}) for v in site.stages]
    every += [(g.page, "guide", f"Guide for {g.team.name}", {"guide": g}) for g in site.guides]
    if not user:
        with rows.remembered():
            for out, template, title, values in every:
                yield page(out, template, title, **values)
        return
    # user templates: one time bound for all pages of the target. Pages are
    # rendered right here, no deeper: a runaway template's recursion leaves
    # the unraisable hook just enough stack (tests/hostile/test_templates.py)
    files: dict[str, bytes] = {}
    try:
        with rows.remembered(), bounded():
            for out, template, title, values in every:
                path, data = page(out, template, title, **values)
                assert isinstance(data, bytes)  # a bounded page is made whole
                files[path] = data
    except TemplateLimit as exc:
        # The timer is armed for the whole target, so it can fire between two
        # renders (in a diagram, in this loop), outside the handler that names
        # one template; it is still the user templates' time that ran out.
        raise UsageError(problem=f"templates of the {kind} pages: {exc}", fix=_BOUNDS) from exc
    yield from files.items()


@contextlib.contextmanager
def template_errors(name: str, *, user: bool = False) -> Iterator[None]:
    """Template mistakes as usage errors; with ``user`` (a template from
    ``--templates``), any exception, since the template is what failed."""
    try:
        yield
    except UsageError:
        raise  # from a template this one called: already says which
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name or name}:{exc.lineno}"
        raise UsageError(
            problem=f"template {where}: {exc.message}", fix="fix the template"
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise UsageError(
            problem=f"template {exc.name} not found",
            fix="a template may include only templates that exist in --templates or built in",
        ) from exc
    except jinja2.TemplateError as exc:
        # Jinja2's sandbox messages end with a period of their own ("... is unsafe.")
        raise UsageError(
            problem=f"template {_where(exc, name)}: {str(exc).rstrip('.')}",
            fix="fix the template (templates from --templates run in a sandbox)",
        ) from exc
    except TemplateLimit as exc:
        raise UsageError(problem=f"template {_where(exc, name)}: {exc}", fix=_BOUNDS) from exc
    except RecursionError as exc:
        raise UsageError(
            problem=f"template {_where(exc, name)}: it calls itself without end "
            "(a recursive macro, or a template including itself)",
            fix="fix the template",
        ) from exc
    except Exception as exc:
        if not user:
            raise  # a built-in template failing is a bug in gtmplay
        # the sandbox's range() raises OverflowError past 100,000 items;
        # `1/0`, `'a' - 1` and the like fail with Python's own exceptions
        detail = str(exc).rstrip(".") or type(exc).__name__
        raise UsageError(
            problem=f"template {_where(exc, name)}: {type(exc).__name__}: {detail}",
            fix="fix the template (templates from --templates run in a sandbox, "
            "with bounds on time, memory and output size)",
        ) from exc


def _where(exc: BaseException, name: str) -> str:
    """``file:line`` of the innermost template frame of ``exc``'s traceback."""
    found = name
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
