"""One value made safe for a page, as the templates and the rows made in Python print it.

HTML templates autoescape with markupsafe; Markdown templates pass every
printed value through :func:`markdown_finalize` (Jinja2's ``finalize``) and
table cells through :func:`cell`. :mod:`gtmplay.render.rows` makes the
activity rows in Python with the same functions, so a value comes out the
same whichever of the two printed it.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from markupsafe import Markup, escape

from gtmplay import textio


class Done(str):
    """Markdown text already neutralised by a filter (cheaper to make than ``Markup``)."""

    __slots__ = ()


# A big playbook prints the same few names (owners, stages, steps, personas) on
# thousands of rows; escaping is a pure function of the text, so each distinct
# short text is escaped once per process. Long texts (descriptions) are mostly
# unique and are not kept. The bound keeps the memory small whatever the input.
SHORT = 200


@functools.lru_cache(maxsize=8192)
def _inline_short(text: str) -> str:
    return textio.markdown_inline(text)


@functools.lru_cache(maxsize=8192)
def _cell_short(text: str) -> str:
    return textio.markdown_cell(text)


def markdown_finalize(value: Any) -> Any:
    """What a Markdown template prints for ``{{ value }}``."""
    if type(value) is str:  # the common case; a subclass (Markup, Done) is not
        return _inline_short(value) if len(value) <= SHORT else textio.markdown_inline(value)
    if isinstance(value, (Markup, Done)):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return textio.markdown_inline(value)


def cell(value: Any) -> Done:
    """One Markdown table cell: the ``cell`` filter."""
    if type(value) is str:
        return Done(cell_text(value))
    return Done(textio.markdown_cell(value))


def cell_text(text: str) -> str:
    """:func:`cell` of a ``str``, as a plain ``str``: for the rows made in Python,
    which join thousands of cells and need not mark each as done."""
    return _cell_short(text) if len(text) <= SHORT else textio.markdown_cell(text)


@functools.lru_cache(maxsize=8192)
def _escape_short(text: str) -> str:
    return str(escape(text))


def html(value: Any) -> str:
    """What an HTML template prints for ``{{ value }}`` (markupsafe's escape), short
    texts remembered as above."""
    if type(value) is str and len(value) <= SHORT:
        return _escape_short(value)
    return str(escape(value))


# the characters markupsafe's escape replaces
_HTML_SPECIAL = re.compile("[&<>\"']")


def html_once(text: str) -> str:
    """:func:`html` of a text mostly unique to one row (an activity's id), not
    remembered: the text itself when it holds nothing to escape, which skips
    making a ``Markup`` and copying it back (10,000 ids a build)."""
    return text if _HTML_SPECIAL.search(text) is None else str(escape(text))


def forget() -> None:
    """Drop the remembered texts (tests that count escapes start from nothing)."""
    for cached in (_inline_short, _cell_short, _escape_short):
        cached.cache_clear()


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
