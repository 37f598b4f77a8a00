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
import contextvars
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

import gtmplay
from gtmplay import textio
from gtmplay.errors import UsageError
from gtmplay.render import charts, sanitize
from gtmplay.render.sandbox import BoundedSandbox, FolderLoader, TemplateLimit, bounded, collect

BUILTIN = Path(gtmplay.__file__).parent / "_data" / "templates"


class _Done(str):
    """Markdown text already neutralised by a filter (cheaper to make than ``Markup``)."""

    __slots__ = ()


# A big playbook prints the same few names (owners, stages, steps, personas) on
# thousands of rows; escaping is a pure function of the text, so each distinct
# short text is escaped once per process. Long texts (descriptions) are mostly
# unique and are not kept. The bound keeps the memory small whatever the input.
_SHORT = 200


@functools.lru_cache(maxsize=8192)
def _inline_short(text: str) -> str:
    return textio.markdown_inline(text)


@functools.lru_cache(maxsize=8192)
def _cell_short(text: str) -> str:
    return textio.markdown_cell(text)


def _markdown_finalize(value: Any) -> Any:
    if type(value) is str:  # the common case; a subclass (Markup, _Done) is not
        return _inline_short(value) if len(value) <= _SHORT else textio.markdown_inline(value)
    if isinstance(value, (Markup, _Done)):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return textio.markdown_inline(value)


def _cell(value: Any) -> _Done:
    if type(value) is str and len(value) <= _SHORT:
        return _Done(_cell_short(value))
    return _Done(textio.markdown_cell(value))


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


# words the playbook format spells as ids but people write otherwise
_LABELS = {
    "seo": "SEO",
    "pr": "PR",
    "sdr": "SDR",
    "revops": "RevOps",
    "ads": "Ads",
    "best-case": "Best case",
    "one-pager": "One-pager",
    "sales-play": "Sales play",
    "win-rate": "Win rate",
}


def label(value: str | None) -> str:
    """An enumerated value of the format as words: ``economic-buyer`` -> ``Economic buyer``."""
    if not value:
        return ""
    text = str(value)
    if text in _LABELS:
        return _LABELS[text]
    words = text.replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


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
        finalize=None if html else _markdown_finalize,
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
        "amount": charts.amount,
        "percent": charts.percent,
    }
    if html:
        filters["md"] = sanitize.markdown_html
    else:
        filters["md"] = lambda v: _Done(textio.markdown_text(v))
        filters["cell"] = _cell
        filters["mermaid"] = Markup
    env.filters.update(filters)
    # the one global gtmplay adds; set once, here, and never per build (see ActivityRow)
    env.globals["activity_row"] = ActivityRow(env, _MACROS[kind], "activity_row_markup")
    env.globals["activity_cells"] = _html_cells if html else _markdown_cells
    return env


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

# the template that holds each target's shared macros
_MACROS = {"html": "html/macros.html.j2", "markdown": "markdown/macros.md.j2"}


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


def asset(env: jinja2.Environment, name: str) -> str:
    """The text of a file copied as it is (``html/style.css``), through the same loader."""
    with template_errors(name, user=isinstance(env, BoundedSandbox)):
        return env.loader.get_source(env, name)[0] if env.loader else ""


def render_pages(
    env: jinja2.Environment,
    site: Any,
    *,
    kind: str,
    suffix: str,
    pages: Sequence[tuple[str, str, str]],
    extra: Callable[[str], Mapping[str, Any]],
) -> dict[str, bytes]:
    """Every page of a documentation target: the fixed ``pages``, then one per
    stage and one per team guide, under ``kind/`` with ``suffix``.

    ``extra(root)`` gives the values only this target's templates use (its
    diagrams), given the relative path back to the target's folder.
    """
    nav = [(page, title) for page, _, title in pages]
    files: dict[str, bytes] = {}

    def page(out: str, template: str, title: str, **values: Any) -> None:
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
        text = render(env, f"{kind}/{template}{suffix}.j2", context)
        files[f"{kind}/{out}{suffix}"] = text.encode("utf-8")

    # user templates: one time bound for all pages of the target
    token = _CURRENT_ROWS.set(_Rows())
    try:
        with bounded() if isinstance(env, BoundedSandbox) else contextlib.nullcontext():
            for out, template, title in pages:
                page(out, template, title)
            for view in site.stages:
                page(view.page, "stage", view.stage.name, view=view)
            for guide in site.guides:
                page(guide.page, "guide", f"Guide for {guide.team.name}", guide=guide)
    except TemplateLimit as exc:
        # The timer is armed for the whole target, so it can fire between two
        # renders (in a diagram, in this loop), outside the handler that names
        # one template; it is still the user templates' time that ran out.
        raise UsageError(problem=f"templates of the {kind} pages: {exc}", fix=_BOUNDS) from exc
    finally:
        _CURRENT_ROWS.reset(token)
    return files


class _Rows:
    """The rows one ``render_pages`` call has rendered, and the macro it renders them with."""

    __slots__ = ("macro", "rows")

    def __init__(self) -> None:
        self.macro: Callable[..., Any] | None = None
        self.rows: dict[tuple[str, str], Markup] = {}


# the rows of the pages being rendered now; None outside render_pages
_CURRENT_ROWS: contextvars.ContextVar[_Rows | None] = contextvars.ContextVar(
    "gtmplay_rows", default=None
)


class ActivityRow:
    """The template global ``activity_row(item, root)``: the macro ``activity_row_markup``
    of the target's macros template, remembered by ``item.id`` and ``root``.

    Big playbooks list the same activity on many pages; its table row is the
    same each time, so it is rendered once per build. The memory belongs to the
    build (a context variable that :func:`render_pages` sets), not to this
    object: the environment is kept for the whole process, and Jinja2 binds a
    global into the module of an imported template the first time it imports
    it, so anything the global itself remembered would show one playbook's
    rows in the next build. The macro is looked up again each build, so an
    overriding template edited on disk (``gtmplay serve``) is seen.
    """

    def __init__(self, env: jinja2.Environment, template: str, macro: str) -> None:
        self._env, self._template, self._name = env, template, macro

    def join(self, items: Sequence[Any], root: str) -> Markup:
        """The rows of ``items``, one after another: a table's body in one call,
        where a template loop would call ``activity_row`` once per item."""
        return Markup("".join([self(item, root) for item in items]))

    def __call__(self, item: Any, root: str) -> Markup:
        rows = _CURRENT_ROWS.get()
        if rows is None:  # called outside a build: nothing to remember it in
            rows = _Rows()
        key = (item.id, root)
        if key not in rows.rows:
            with template_errors(self._template, user=isinstance(self._env, BoundedSandbox)):
                if rows.macro is None:
                    module = self._env.get_template(self._template).module
                    rows.macro = getattr(module, self._name)
                rows.rows[key] = Markup(rows.macro(item, root))
        return rows.rows[key]


class Cells:
    """The cells of an activity's table row that hold more than one value, ready
    to print: the template global ``activity_cells(a, root)``.

    The activities page and the row of an activity on stage pages and guides
    show them; as template loops they were most of a big build (a few
    attribute lookups and escapes per link, thousands of rows), so they are
    made here, each value escaped exactly as the templates escaped it, the
    output unchanged. ``kind`` is the activity's kind as shown (HTML: its
    label; Markdown: the id as a cell), ``owner`` the owner's link (empty
    without an owner), ``supports`` and ``content`` the stages and steps it
    supports and its content, links joined by ``, ``.
    """

    __slots__ = ("content", "kind", "owner", "supports")

    def __init__(self, kind: str, owner: str, supports: str, content: str) -> None:
        self.kind, self.owner, self.supports, self.content = kind, owner, supports, content


@functools.lru_cache(maxsize=8192)
def _escape_short(text: str) -> str:
    return str(escape(text))


def _escape(value: Any) -> str:
    """markupsafe's escape, remembered for short texts (as ``_inline_short``)."""
    if type(value) is str and len(value) <= _SHORT:
        return _escape_short(value)
    return str(escape(value))


def _html_link(ref: Any, root: str) -> str:
    if ref.page:
        return f'<a href="{_escape(root)}{_escape(ref.page)}.html">{_escape(ref.name)}</a>'
    return _escape(ref.name)


def _html_asset(x: Any) -> str:
    if x.href:
        return f'<a href="{_escape(x.href)}">{_escape(x.name)}</a>'
    return _escape(x.name)


def _html_cells(a: Any, root: str) -> Cells:
    return Cells(
        Markup(_escape(label(a.kind))),
        Markup(_html_link(a.owner, root) if a.owner else ""),
        Markup(", ".join([_html_link(t, root) for t in a.supports])),
        Markup(", ".join([_html_asset(x) for x in a.assets])),
    )


def _markdown_link(ref: Any, root: str) -> str:
    # what `[{{ name|cell }}]({{ root }}{{ page }}.md)` printed: every value finalized
    if ref.page:
        path = f"{_markdown_finalize(root)}{_markdown_finalize(ref.page)}"
        return f"[{_cell(ref.name)}]({path}.md)"
    return str(_cell(ref.name))


def _markdown_asset(x: Any) -> str:
    if x.href:
        href = x.href.replace(">", "%3E").replace("<", "%3C").replace(" ", "%20")
        return f"[{_cell(x.name)}](<{_markdown_finalize(href)}>)"
    return str(_cell(x.name))


def _markdown_cells(a: Any, root: str) -> Cells:
    return Cells(
        _cell(a.kind),
        _Done(_markdown_link(a.owner, root) if a.owner else ""),
        _Done(", ".join([_markdown_link(t, root) for t in a.supports])),
        _Done(", ".join([_markdown_asset(x) for x in a.assets])),
    )


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
