"""Build target ``markdown``: the docs as GitHub-flavoured Markdown under ``markdown/``.

The same pages as the HTML site, with tables and Mermaid diagrams, for teams
that keep docs in their repository or wiki. Templates are
``templates/markdown/*.md.j2``; every value printed there has raw HTML
escaped (see :mod:`gtmplay.render.templating`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from markupsafe import Markup

from gtmplay.render import Page, collected, mermaid
from gtmplay.render.templating import doc_pages, environment, render_pages
from gtmplay.render.views import for_context

if TYPE_CHECKING:
    from gtmplay.render import BuildContext

PAGES = doc_pages("README")


def render(ctx: BuildContext) -> dict[str, bytes]:
    return collected(pages(ctx))


def pages(ctx: BuildContext) -> Iterator[Page]:
    """The docs' files, each as soon as it is made (see ``gtmplay.render``)."""
    site = for_context(ctx)
    env = environment("markdown", ctx.templates)
    charts = {
        "waterfall": Markup(mermaid.waterfall(site)),
        "process": Markup(mermaid.process(site)),
    }
    yield from render_pages(
        env,
        site,
        kind="markdown",
        suffix=".md",
        pages=PAGES,
        extra=lambda root: {"mermaid": charts},
    )
