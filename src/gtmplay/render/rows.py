"""An activity's table row, made in Python: the template globals ``activity_row``,
``activity_page_row`` and ``activity_cells``.

Pages list activities by the thousand (the activities page every one, each
stage page and team guide its own). As a Jinja2 loop or macro, a row was a
few dozen attribute lookups and an escape (a ``Markup`` made in Python) per
printed value, which was most of a big build. Here a row is one f-string,
each value escaped once with the functions the templates print with
(:mod:`gtmplay.render.escaping`), so the output is byte for byte what the
templates printed. The layout of the rows lives here and only here;
``tests/render/test_rows.py`` holds it to the templates it replaced.

A row that several pages list (stage pages, guides) is made once per target
and build: the memory is a context variable that
:func:`gtmplay.render.templating.render_pages` sets for one target's pages,
never the global itself, because the Jinja2 environment (and the globals
bound into its imported templates) is kept for the whole process.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from markupsafe import Markup

from gtmplay import textio
from gtmplay.render.escaping import (
    Done,
    cell,
    cell_text,
    html,
    html_once,
    label,
    markdown_finalize,
)
from gtmplay.render.sanitize import markdown_html
from gtmplay.render.views import ActivityView, AssetLink


class Cells:
    """The cells of an activity's table row that hold more than one value, ready
    to print: the template global ``activity_cells(a, root)``, for templates that
    lay out their own rows.

    ``kind`` is the activity's kind as shown (HTML: its label; Markdown: the id
    as a cell), ``owner`` the owner's link (empty without an owner),
    ``supports`` and ``content`` the stages and steps it supports and its
    content, links joined by ``, ``.
    """

    __slots__ = ("content", "kind", "owner", "supports")

    def __init__(self, kind: str, owner: str, supports: str, content: str) -> None:
        self.kind, self.owner, self.supports, self.content = kind, owner, supports, content


# The cells that hold links, in either format: ``link(name, page, root)`` is the
# format's link to a page of the docs, ``href(name, url)`` its link to content.
_Link = Callable[[str, str, str], str]
_Href = Callable[[str, str], str]


def _owner(a: ActivityView, root: str, link: _Link) -> str:
    return link(a.owner.name, a.owner.page, root) if a.owner else ""


# The views give activities with equal lists of stages or content one tuple
# (`views._Shared`): a big playbook has thousands of activities and a few
# hundred such lists, so each list's links are joined once per target and
# root, looked up by the tuple (kept with its text, so that no other tuple
# can take its id() while the target's pages are made).


def _supports(a: ActivityView, root: str, link: _Link, made: _Made | None) -> str:
    refs = a.supports
    if made is None:
        return ", ".join([link(t.name, t.page, root) for t in refs])
    key = (id(refs), root, link)
    kept = made.links.get(key)
    if kept is None:
        kept = made.links[key] = (refs, ", ".join([link(t.name, t.page, root) for t in refs]))
    return kept[1]


def _content(a: ActivityView, href: _Href, made: _Made | None) -> str:
    assets = a.assets
    if made is None:
        return ", ".join([href(x.name, x.href) for x in assets])
    key = (id(assets), "", href)
    kept = made.links.get(key)
    if kept is None:
        kept = made.links[key] = (assets, ", ".join([href(x.name, x.href) for x in assets]))
    return kept[1]


# -- HTML ------------------------------------------------------------------

# A playbook's stages, steps, teams and assets are linked from thousands of
# rows; a link is a pure function of its texts, so each is made once per process.


@functools.lru_cache(maxsize=8192)
def _html_ref(name: str, page: str, root: str) -> str:
    if page:
        return f'<a href="{html(root)}{html(page)}.html">{html(name)}</a>'
    return html(name)


@functools.lru_cache(maxsize=8192)
def _html_href(name: str, href: str) -> str:
    if href:
        return f'<a href="{html(href)}">{html(name)}</a>'
    return html(name)


@functools.lru_cache(maxsize=8192)
def _html_label(kind: str) -> str:
    # a playbook's few kinds, on every row
    return html(label(kind))


def html_cells(a: ActivityView, root: str) -> Cells:
    made = _MADE.get()
    return Cells(
        Markup(_html_label(a.kind)),
        Markup(_owner(a, root, _html_ref)),
        Markup(_supports(a, root, _html_ref, made)),
        Markup(_content(a, _html_href, made)),
    )


def _html_parts(a: ActivityView, made: _Made | None) -> tuple[str, str, str, str, str]:
    """The escaped values of ``a``'s rows that do not depend on the page: its id,
    name, kind, personas and content (both of its rows print them)."""
    return (
        # mostly unique: not worth remembering per process
        html_once(a.id),
        a.name if a.plain_name else html_once(a.name),
        _html_label(a.kind),
        html(a.personas),
        _content(a, _html_href, made),
    )


def _html_description(a: ActivityView) -> str:
    text = a.activity.description
    return f"<p>{text}</p>" if a.plain_description else markdown_html(text)


def html_row(a: ActivityView, root: str, parts: tuple[str, ...], made: _Made | None) -> str:
    """The row of ``a`` in the activity tables of stage pages and guides, given
    its :func:`_html_parts`."""
    id_, name, kind, personas, content = parts
    return (
        f'<tr><td data-label="Activity"><a href="{html(root)}activities.html#activity-'
        f'{id_}">{name}</a></td><td data-label="Kind">{kind}</td>'
        f'<td data-label="Owner">{_owner(a, root, _html_ref)}</td>'
        f'<td data-label="Personas">{personas}</td><td data-label="Content">{content}</td></tr>\n'
    )


def html_page_row(a: ActivityView, root: str, parts: tuple[str, ...], made: _Made | None) -> str:
    """The row of ``a`` on the activities page: every column, its description."""
    id_, name, kind, personas, content = parts
    metrics = (
        f'<p class="small"><strong>Measured by:</strong> {html(a.metrics)}</p>' if a.metrics else ""
    )
    return (
        f'<tr id="activity-{id_}"><td data-label="Activity">{name}'
        f' <span class="badge">{kind}</span></td>'
        f'<td data-label="Owner">{_owner(a, root, _html_ref)}</td>'
        f'<td data-label="Supports">{_supports(a, root, _html_ref, made)}</td>'
        f'<td data-label="Personas">{personas}</td><td data-label="Content">{content}</td>'
        f'<td data-label="Description">{_html_description(a)}{metrics}</td>'
        "</tr>\n"
    )


# -- Markdown --------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _markdown_ref(name: str, page: str, root: str) -> str:
    # what `[{{ name|cell }}]({{ root }}{{ page }}.md)` printed: every value finalized
    if page:
        return f"[{cell(name)}]({markdown_finalize(root)}{markdown_finalize(page)}.md)"
    return str(cell(name))


@functools.lru_cache(maxsize=8192)
def _markdown_href(name: str, href: str) -> str:
    if href:
        href = href.replace(">", "%3E").replace("<", "%3C").replace(" ", "%20")
        return f"[{cell(name)}](<{markdown_finalize(href)}>)"
    return str(cell(name))


def markdown_cells(a: ActivityView, root: str) -> Cells:
    made = _MADE.get()
    return Cells(
        cell(a.kind),
        Done(_owner(a, root, _markdown_ref)),
        Done(_supports(a, root, _markdown_ref, made)),
        Done(_content(a, _markdown_href, made)),
    )


def _markdown_parts(a: ActivityView, made: _Made | None) -> tuple[str, str, str, str]:
    """As :func:`_html_parts`: the cells of ``a``'s name, kind, personas and content."""
    return (
        a.name if a.plain_name else _unique_cell(a.name),
        cell_text(a.kind),
        cell_text(a.personas),
        _content(a, _markdown_href, made),
    )


def _unique_cell(text: str) -> str:
    """A text mostly unique to one activity (its description) as a cell: not worth
    remembering per process, except the empty one that many share."""
    return textio.markdown_cell(text) if text else ""


def _markdown_description(a: ActivityView) -> str:
    text = a.activity.description
    return text if a.plain_description else _unique_cell(text)


def markdown_row(a: ActivityView, root: str, parts: tuple[str, ...], made: _Made | None) -> str:
    """The row of ``a`` in the activity tables of stage pages and guides, given
    its :func:`_markdown_parts`."""
    name, kind, personas, content = parts
    return f"| {name} | {kind} | {_owner(a, root, _markdown_ref)} | {personas} | {content} |\n"


def markdown_page_row(
    a: ActivityView, root: str, parts: tuple[str, ...], made: _Made | None
) -> str:
    """The row of ``a`` on the activities page: every column, its description."""
    name, kind, personas, content = parts
    return (
        f"| {name} | {kind} | {_owner(a, root, _markdown_ref)} "
        f"| {_supports(a, root, _markdown_ref, made)} | {personas} | {content} "
        f"| {cell_text(a.metrics)} | {_markdown_description(a)} |\n"
    )


def forget() -> None:
    """Drop the links remembered (tests that count escapes start from nothing)."""
    for cached in (_html_ref, _html_href, _html_label, _markdown_ref, _markdown_href):
        cached.cache_clear()


# -- the template globals --------------------------------------------------


class _Made:
    """What one target's pages have made: rows by activity and root, and the
    escaped values of each activity that its rows and links share.

    An activity is known by the object, not by its id: a build forced past
    errors may hold two activities with one id, and each must show its own
    row. Each entry keeps its object, so that no other object can take its
    ``id()`` while the target's pages are made.
    """

    __slots__ = ("items", "links", "parts", "rows")

    def __init__(self) -> None:
        self.rows: dict[tuple[int, str], tuple[ActivityView, str]] = {}
        self.parts: dict[int, tuple[ActivityView, tuple[str, ...]]] = {}
        # a piece of content's list item, by the asset and the function that made it
        self.items: dict[int, tuple[AssetLink, Callable[[AssetLink], str], str]] = {}
        # a list's links joined, by the list, the root and the function that made them
        self.links: dict[tuple[int, str, object], tuple[tuple[object, ...], str]] = {}


# what the pages being rendered now have made; None outside render_pages
_MADE: contextvars.ContextVar[_Made | None] = contextvars.ContextVar("gtmplay_rows", default=None)


@contextlib.contextmanager
def remembered() -> Iterator[None]:
    """Rows made within are remembered until the end (one target's pages)."""
    token = _MADE.set(_Made())
    try:
        yield
    finally:
        _MADE.reset(token)


_P = TypeVar("_P", bound=tuple[str, ...])


def _parts(a: ActivityView, make: Callable[[ActivityView, _Made | None], _P]) -> _P:
    made = _MADE.get()
    if made is None:
        return make(a, None)
    kept = made.parts.get(id(a))
    if kept is None:
        parts = make(a, made)
        made.parts[id(a)] = (a, parts)
        return parts
    return kept[1]  # type: ignore[return-value]  # made by `make` for this target


# about the characters of rows ``Row.batches`` joins at a time: a few dozen rows
BATCH_CHARS = 32 * 1024


_Make = Callable[[ActivityView, str, tuple[str, ...], _Made | None], str]
_Parts = Callable[[ActivityView, _Made | None], tuple[str, ...]]


class Row:
    """A template global: ``row(item, root)`` is the row of one activity,
    ``row.join(items, root)`` the rows of a table's body in one call (where a
    template loop would call it once per item), and ``row.batches(items, root)``
    the same rows a few dozen at a time, for a body of megabytes (the activities
    page), which is then never whole in memory while its page is written.

    ``make(a, root, parts)`` lays out the row from ``parts(a)``, the escaped
    values that the target's two rows of an activity (and its links) share.
    """

    def __init__(self, make: _Make, parts: _Parts, *, remember: bool) -> None:
        self._make, self._parts, self._remember = make, parts, remember

    def __call__(self, item: ActivityView, root: str) -> Markup:
        return Markup("".join(self._rows((item,), root)))

    def join(self, items: Sequence[ActivityView], root: str) -> Markup:
        return Markup("".join(self._rows(items, root)))

    def batches(self, items: Sequence[ActivityView], root: str) -> Iterator[Markup]:
        for text in textio.batched(self._rows(items, root), BATCH_CHARS):
            yield Markup(text)

    def _rows(self, items: Sequence[ActivityView], root: str) -> Iterator[str]:
        # thousands of rows a page: the memory is looked up once per table,
        # not once per row and again per row's parts (a sixth of the rows' time)
        make, parts_of = self._make, self._parts
        made = _MADE.get()
        if made is None:
            for item in items:
                yield make(item, root, parts_of(item, None), None)
            return
        parts = made.parts
        kept = made.rows if self._remember else None
        for item in items:
            key = id(item)
            if kept is not None:
                row = kept.get((key, root))
                if row is not None:
                    yield row[1]
                    continue
            p = parts.get(key)
            if p is None:
                p = parts[key] = (item, parts_of(item, made))
            text = make(item, root, p[1], made)
            if kept is not None:
                kept[key, root] = (item, text)
            yield text


# -- lists of content and of activities -------------------------------------
# Stage pages, guides and the lifecycle page list thousands of these too.


def _html_asset(x: AssetLink) -> str:
    kind = f' <span class="muted">({html(x.type)})</span>' if x.type else ""
    return _html_href(x.name, x.href) + kind


def html_asset(x: AssetLink) -> Markup:
    """A piece of content as the lists show it: its link (or its name) and its type."""
    return Markup(_html_asset(x))


def _items(assets: Sequence[AssetLink], item: Callable[[AssetLink], str]) -> str:
    """The list items of ``assets``, each made once per target: the stage pages
    and guides list the same content again and again (6,250 items at 10,000
    activities, 125 distinct)."""
    made = _MADE.get()
    if made is None:
        return "".join([item(x) for x in assets])
    kept, out = made.items, []
    for x in assets:
        k = kept.get(id(x))
        if k is None or k[1] is not item:
            k = kept[id(x)] = (x, item, item(x))
        out.append(k[2])
    return "".join(out)


def _html_item(x: AssetLink) -> str:
    return f"<li>{_html_asset(x)}</li>"


def html_asset_items(assets: Sequence[AssetLink]) -> Markup:
    """The items of a list of content (``<li>`` each, for a ``<ul>``)."""
    return Markup(_items(assets, _html_item))


def html_activity_links(activities: Sequence[ActivityView], root: str) -> Markup:
    """Links to ``activities`` on the activities page, joined by ``, ``."""
    r = html(root)
    parts = [_parts(a, _html_parts) for a in activities]
    return Markup(
        ", ".join([f'<a href="{r}activities.html#activity-{p[0]}">{p[1]}</a>' for p in parts])
    )


def _markdown_asset(x: AssetLink) -> str:
    kind = f" ({cell(x.type)})" if x.type else ""
    return _markdown_href(x.name, x.href) + kind


def markdown_asset(x: AssetLink) -> Done:
    """As :func:`html_asset`, in Markdown."""
    return Done(_markdown_asset(x))


def _markdown_item(x: AssetLink) -> str:
    return f"- {_markdown_asset(x)}\n"


def markdown_asset_items(assets: Sequence[AssetLink]) -> Done:
    """The items of a list of content (``- `` each, a line each)."""
    return Done(_items(assets, _markdown_item))


def template_globals(kind: str) -> dict[str, Any]:
    """The globals of the ``kind`` (``html`` or ``markdown``) environment."""
    if kind == "html":
        return {
            "activity_row": Row(html_row, _html_parts, remember=True),
            "activity_page_row": Row(html_page_row, _html_parts, remember=False),
            "activity_cells": html_cells,
            "activity_links": html_activity_links,
            "asset_link": html_asset,
            "asset_items": html_asset_items,
        }
    return {
        "activity_row": Row(markdown_row, _markdown_parts, remember=True),
        "activity_page_row": Row(markdown_page_row, _markdown_parts, remember=False),
        "activity_cells": markdown_cells,
        "asset_link": markdown_asset,
        "asset_items": markdown_asset_items,
    }
