"""Text fields made safe for the page they land on.

Text fields of a playbook are Markdown. For HTML they go through the
``markdown`` library and then ``nh3`` (the Ammonia sanitiser) with an
allow-list, so no script, event handler or ``javascript:`` URL written in the
YAML reaches a page. For the Markdown docs and reports they stay Markdown,
made safe by the one set of Markdown escapers in :mod:`gtmplay.textio`
(``markdown_text``, ``markdown_inline``, ``markdown_cell``); Mermaid labels
are escaped here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from gtmplay.textio import URL_SCHEMES

TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6",
        "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
        "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}

# Text that is its own Markdown table cell and that Markdown renders as the
# one paragraph <p>text</p>: words of letters, digits and plain punctuation
# with one space between them, starting with a letter and not ending with a
# hyphen, so no markup character and no line start that could open a list,
# heading or quote. Most names and descriptions of a big playbook are such
# text: the views test each once for both docs, which then print it without
# their escapers, and markdown_html takes it without the Markdown library
# (tests/render/test_sanitize.py holds every escaper and the library to the
# identity on it). The one pattern, with or without quotes.


def _plain(quotes: str) -> Callable[[str], re.Match[str] | None]:
    word = f"[{quotes}A-Za-z0-9,.;:?()%/-]"  # "-" last: a hyphen, not a range
    return re.compile(f"[A-Za-z]{word}*(?: {word}+)*(?<!-)\\Z").match


_PLAIN_TEXT = _plain("'\"")
_PLAIN_NAME = _plain("")  # also its own HTML escape: no quotes


def plain_text(text: str) -> bool:
    """Whether ``text`` is its own Markdown table cell and, as HTML, the one
    paragraph ``<p>text</p>`` (what :func:`markdown_html` makes of it)."""
    return _PLAIN_TEXT(text) is not None


def plain_name(text: str) -> bool:
    """Whether ``text`` is :func:`plain_text` and its own HTML escape (no quotes)."""
    return _PLAIN_NAME(text) is not None


class _Converter:
    """One ``markdown.Markdown`` instance, reset between texts (creating one is slow).

    With ``fenced``, it has the fenced-code extension, which imports
    ``codehilite`` and so Pygments (a few ms, for highlighting gtmplay never
    asks for). Its only processor replaces fenced blocks and returns every
    other text's lines as they were, so a text without a fence (no three
    backticks or tildes in a row) converts the same without it: only such a
    text is given the converter that has it.
    """

    def __init__(self, *, fenced: bool) -> None:
        import markdown
        from markdown.extensions import Extension
        from markdown.extensions.sane_lists import SaneListExtension
        from markdown.extensions.tables import TableExtension

        # the extensions as objects, not names: a name is looked up among the
        # installed packages' entry points, which reads every package's
        # metadata (about 20 ms of a build, most of it importing
        # importlib.metadata)
        extensions: list[Extension] = [TableExtension(), SaneListExtension()]
        if fenced:
            from markdown.extensions.fenced_code import FencedCodeExtension

            extensions.insert(1, FencedCodeExtension())
        self.md = markdown.Markdown(extensions=extensions)

    def __call__(self, text: str) -> str:
        self.md.reset()
        out: str = self.md.convert(text)
        return out


def has_fence(text: str) -> bool:
    """Whether ``text`` may hold a fenced code block (what needs the extension)."""
    return "```" in text or "~~~" in text


@lru_cache(maxsize=2)
def _converter(*, fenced: bool) -> _Converter:
    return _Converter(fenced=fenced)


@lru_cache(maxsize=4096)
def converted(text: str) -> str:
    """Python-Markdown's HTML of ``text``, not yet sanitised: converted once per
    process for every target that shows it (the site's stage guidance is also
    the Salesforce export's Path guidance, each sanitised its own way)."""
    return _converter(fenced=has_fence(text))(text)


def clean_html(fragment: str) -> str:
    """``fragment`` with everything outside the allow-list removed."""
    import nh3

    return nh3.clean(
        fragment,
        tags=set(TAGS),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Salesforce rich text (Path guidance) keeps what its editor writes: spans
# with inline styles, underline, images of the org's files, table layout.
# None of it runs code; the same sanitiser still drops scripts, event
# handlers, ``javascript:`` URLs and every style property outside this list.
RICH_TAGS = TAGS | {"div", "font", "img", "s", "span", "strike", "u"}
RICH_ATTRIBUTES = {
    "*": {"class", "dir", "style"},
    "a": {"href", "title", "target", "csf", "e"},
    "img": {"src", "alt", "width", "height", "eid", "feoid", "refid"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "font": {"color", "face", "size"},
}
RICH_STYLES = frozenset(
    {
        "background-color", "color", "font-family", "font-size", "font-style", "font-weight",
        "height", "text-align", "text-decoration", "width",
    }
)  # fmt: skip


def clean_rich_text(fragment: str) -> str:
    """``fragment`` sanitised for Salesforce rich text (the wider allow-list above)."""
    import nh3

    return nh3.clean(
        fragment,
        tags=set(RICH_TAGS),
        attributes={k: set(v) for k, v in RICH_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties=set(RICH_STYLES),
    )


@lru_cache(maxsize=4096)
def markdown_html(text: str) -> Markup:
    """A Markdown text field as sanitised HTML."""
    if not text.strip():
        return Markup("")
    if _PLAIN_TEXT(text) is not None:
        return Markup(f"<p>{text}</p>")  # no character of it is markup or escaped
    from gtmplay.render.markdown_cost import too_costly

    if too_costly(text):
        # Python-Markdown would be quadratic or worse on it: the text as written
        return Markup(plain_paragraphs(text))
    return Markup(clean_html(converted(text)).strip())


def plain_paragraphs(text: str) -> str:
    """``text`` as escaped paragraphs, no Markdown: for what would be too slow to convert."""
    blocks = (block.strip() for block in re.split(r"\n[ \t]*\n", text))
    return "\n".join(f"<p>{html.escape(block, quote=False)}</p>" for block in blocks if block)


def safe_url(url: str) -> str:
    """``url`` when it is an absolute http(s) or mailto URL; otherwise an empty string.

    Asset URLs are links out of the docs; anything else (relative paths, other
    schemes, URLs with spaces, quotes or angle brackets) is shown as text.
    """
    url = url.strip()
    if not _LINKABLE.fullmatch(url):
        return ""
    return url


_LINKABLE = re.compile(r"(?i:https?://[^\s<>\"'`]+|mailto:[^\s<>\"'`/]+)")


_MERMAID = str.maketrans(
    {
        "#": "#35;",
        '"': "#quot;",
        "<": "#lt;",
        ">": "#gt;",
        "&": "#amp;",
        "`": "#96;",
        "|": "#124;",
        "\\": "#92;",
        "[": "#91;",
        "]": "#93;",
        "{": "#123;",
        "}": "#125;",
        ";": "#59;",
        "%": "#37;",
    }
)


def mermaid_label(value: Any) -> str:
    """Text for inside a quoted Mermaid label: one line, every special as an entity."""
    return " ".join(str(value).split()).translate(_MERMAID)
