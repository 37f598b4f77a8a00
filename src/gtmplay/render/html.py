"""Build target ``html``: a static documentation site under ``html/``.

Pages are Jinja2 templates (``templates/html/*.html.j2``, autoescaped); the
diagrams are inline SVG from :mod:`gtmplay.render.svg`, so the site needs no
JavaScript and no network. Every page gets ``root``, the relative path back
to ``html/``, so links work from ``file://`` as well as from a web server.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from markupsafe import Markup

from gtmplay.render import Page, collected, svg
from gtmplay.render.templating import asset, doc_pages, environment, render_pages
from gtmplay.render.views import Site, for_context

if TYPE_CHECKING:
    from gtmplay.render import BuildContext

PREFIX = "html/"
PAGES = doc_pages("index")


class Diagrams:
    """The SVG diagrams, callable from templates (also from sandboxed ones)."""

    def __init__(self, site: Site, root: str) -> None:
        self._site = site
        self._root = root

    def waterfall(self, highlight: str | None = None) -> Markup:
        return svg.waterfall(self._site, highlight)

    def process(self, current: str | None = None) -> Markup:
        # both widths; style.css shows the one that fits the figure's box (a container
        # query, so it holds whatever the side menu and margins take), without scripts
        return svg.process(self._site, current, self._root) + svg.process(
            self._site, current, self._root, svg.NARROW
        )

    def heatmap(self, all_only: bool = False) -> Markup:
        hm = self._site.heatmap
        if all_only:
            hm = replace(hm, columns=hm.columns[:1], counts=tuple(r[:1] for r in hm.counts))
        return svg.heatmap(self._site, hm)

    def cadence(self) -> Markup:
        return svg.cadence(self._site)

    def strategy(self) -> Markup:
        return svg.strategy(self._site)


# the page a build with measured figures adds (gtmplay measure -o), and its figures as JSON
SCORECARD = ("scorecard", "scorecard", "Scorecard")
SCORECARD_JSON = "scorecard.json"


def render(ctx: BuildContext) -> dict[str, bytes]:
    return collected(pages(ctx))


def pages(ctx: BuildContext) -> Iterator[Page]:
    """The site's files, each as soon as it is made (see ``gtmplay.render``)."""
    site = for_context(ctx)
    env = environment("html", ctx.templates)
    card = None
    if ctx.measurement is not None:
        from gtmplay.render.scorecard import scorecard

        card = scorecard(site, ctx.measurement)
    yield from render_pages(
        env,
        site,
        kind="html",
        suffix=".html",
        pages=PAGES if card is None else (*PAGES, SCORECARD),
        extra=lambda root: {
            "diagrams": Diagrams(site, root),
            # whether the handoff files exist to link to (None: the default targets, with them)
            "handoff_files": ctx.targets is None or "handoffs" in ctx.targets,
            "scorecard": card,
        },
    )
    yield f"{PREFIX}assets/style.css", asset(env, "html/style.css").encode("utf-8")
    if ctx.measurement is not None:
        from gtmplay.measure.figures import to_json
        from gtmplay.textio import json_text

        yield f"{PREFIX}{SCORECARD_JSON}", json_text(to_json(ctx.measurement)).encode("utf-8")
