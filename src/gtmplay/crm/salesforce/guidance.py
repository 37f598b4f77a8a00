"""Path guidance: Salesforce HTML to editable Markdown and back, and a way to
compare two HTML fragments by meaning.

The import converts guidance to Markdown (with the maintained ``markdownify``
library rather than a hand-written converter) only when the Markdown gives
back the very same HTML on export; otherwise the HTML is kept as written, since a
Path the team wrote with the rich-text editor (inline styles, ``<p><br></p>``
spacers, ``<b>`` rather than ``<strong>``) has no exact Markdown form.
Everything written to Salesforce goes through the site's sanitiser
(:func:`gtmplay.render.sanitize.clean_rich_text`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from gtmplay.render.sanitize import clean_rich_text

_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")
_SPACE = re.compile(r"\s+")
_COMMA = re.compile(r"\s*,\s*")
_VOID = frozenset({"br", "img", "hr", "input", "col", "area", "base", "wbr"})


def markdown_to_html(text: str) -> str:
    """Markdown guidance as the compact, sanitised HTML Salesforce keeps."""
    if not text.strip():
        return ""
    from gtmplay.render.sanitize import converted

    html = converted(text)
    return clean_rich_text(_BETWEEN_TAGS.sub("><", html)).strip()


def html_for_salesforce(html: str) -> str:
    return clean_rich_text(html)


def html_to_markdown(html: str) -> str | None:
    """Markdown that exports back to ``html`` (by meaning), or None when there is none."""
    if "<" not in html:
        return None  # plain text: Markdown would wrap it in <p>, which Salesforce did not
    from markdownify import markdownify

    text = markdownify(html, heading_style="ATX", bullets="-", escape_misc=False).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    # exactly the same bytes back, not only the same meaning: an org exported
    # twice must not show a change nobody made
    return text if text and markdown_to_html(text) == html else None


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, ...]] = []
        self.text: list[str] = []

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.text))
        self.text = []
        if text.strip():
            self.tokens.append(("text", text.strip()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush()
        kept = tuple(sorted(f"{k}={_attr(k, v or '')}" for k, v in attrs))
        self.tokens.append(("<", tag, *kept))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.flush()
        if tag not in _VOID:
            self.tokens.append((">", tag))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _attr(name: str, value: str) -> str:
    if name != "style":
        return value
    parts = [p.split(":", 1) for p in value.split(";") if ":" in p]
    # the sanitiser rewrites `a, b` as `a , b`: the same CSS
    return ";".join(f"{k.strip().lower()}:{_COMMA.sub(',', v.strip())}" for k, v in parts)


def canonical(html: str) -> list[tuple[str, ...]]:
    """``html`` as tokens: entities decoded, whitespace runs as one space, style
    declarations normalised; two fragments with the same tokens read the same."""
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.tokens
