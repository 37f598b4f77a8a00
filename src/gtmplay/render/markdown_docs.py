"""Build target ``markdown``: the docs as GitHub-flavoured Markdown under ``markdown/``.

The same pages as the HTML site, with tables and Mermaid diagrams, for teams
that keep docs in their repository or wiki. Templates are
``templates/markdown/*.md.j2``; every value printed there has raw HTML
escaped (see :mod:`gtmplay.render.templating`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from gtmplay.render import mermaid
from gtmplay.render.templating import CachedMacro, environment
from gtmplay.render.templating import render as render_template
from gtmplay.render.views import for_context

if TYPE_CHECKING:
    from gtmplay.render import BuildContext

PREFIX = "markdown/"
PAGES = (
    ("README", "index", "Overview"),
    ("strategy", "strategy", "Strategy"),
    ("lifecycle", "lifecycle", "Demand waterfall"),
    ("activities", "activities", "Marketing activities"),
    ("handoffs", "handoffs", "Handoffs and SLAs"),
    ("kpis", "kpis", "KPIs and cadence"),
    ("alignment", "alignment", "Alignment"),
)


def render(ctx: BuildContext) -> dict[str, bytes]:
    site = for_context(ctx)
    env = environment("markdown", ctx.templates)
    charts = {
        "waterfall": Markup(mermaid.waterfall(site)),
        "process": Markup(mermaid.process(site)),
    }
    nav = [("README" if page == "README" else page, title) for page, _, title in PAGES]
    files: dict[str, bytes] = {}
    env.globals["activity_row"] = CachedMacro(env, "markdown/macros.md.j2", "activity_row_markup")

    def page(out: str, template: str, title: str, **values: Any) -> None:
        root = "../" * out.count("/")
        text = render_template(
            env,
            f"markdown/{template}.md.j2",
            {
                "site": site,
                "pb": site.playbook,
                "root": root,
                "current": out,
                "title": title,
                "nav": nav,
                "mermaid": charts,
                **values,
            },
        )
        files[f"{PREFIX}{out}.md"] = text.encode("utf-8")

    for out, template, title in PAGES:
        page(out, template, title)
    for view in site.stages:
        page(view.page, "stage", view.stage.name, view=view)
    for guide in site.guides:
        page(guide.page, "guide", f"Guide for {guide.team.name}", guide=guide)
    return files
