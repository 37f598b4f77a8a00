"""The site and the Markdown docs show each sales motion's process and, in each
team's guide, the motions the team works."""

from __future__ import annotations

import copy
import re

from .support import TINY, model, render


def _motions_doc() -> dict[str, object]:
    doc = copy.deepcopy(TINY)
    doc["teams"].append({"id": "cs", "name": "Success <CS>", "function": "customer-success"})  # type: ignore[attr-defined]
    doc["motions"] = [
        {
            "id": "new",
            "name": "New business",
            "stages": ["discovery", "won", "lost"],
            "owner": "sales",
        },
        {
            "id": "expansion",
            "name": "Expansion & upsell",
            "description": "More *seats*.",
            "stages": ["won", "lost"],
            "default_stage": "won",
            "owner": "cs",
        },
    ]
    doc["handoffs"][0]["motion"] = "new"  # type: ignore[index]
    return doc


def _text(files: dict[str, bytes], name: str) -> str:
    return files[name].decode("utf-8")


def test_markdown_overview_lists_each_motion_with_its_process() -> None:
    files = render(model(_motions_doc()), ("markdown",))
    readme = _text(files, "markdown/README.md")
    section = readme[readme.index("## Sales motions") : readme.index("## Team guides")]
    assert "### New business\n" in section
    assert (
        "**Process:** [Discovery](stages/discovery.md) → [Won](stages/won.md) → "
        "[Lost](stages/lost.md)\n\nFed by mql-to-sales." in section
    )
    assert (
        "### Expansion & upsell\n\nMore *seats*.\n\n**Owner:** [Success &lt;CS>](guides/cs.md)"
        in section
    )
    assert "**Deals start in:** [Won](stages/won.md)" in section


def test_html_overview_shows_each_motion_in_order() -> None:
    html = _text(render(model(_motions_doc()), ("html",)), "html/index.html")
    assert '<h2 id="motions">Sales motions</h2>' in html
    new = html[html.index('id="motion-new"') : html.index('id="motion-expansion"')]
    assert re.findall(r"<li><a href=\"stages/(\w+)\.html\">", new) == ["discovery", "won", "lost"]
    assert "Expansion &amp; upsell" in html
    assert "Success &lt;CS&gt;" in html
    assert "<em>seats</em>" in html


def test_guides_show_the_motions_the_team_works() -> None:
    files = render(model(_motions_doc()), ("html", "markdown"))

    def motions(page: str) -> list[str]:
        return re.findall(r'id="motion-([\w-]+)"', _text(files, page))

    assert motions("html/guides/sales.html") == ["new", "expansion"]  # owns the stages
    assert motions("html/guides/cs.html") == ["expansion"]  # owns the motion
    assert motions("html/guides/marketing.html") == ["new"]  # hands over into it
    guide = _text(files, "markdown/guides/cs.md")
    assert "## Sales motions you work\n\n### Expansion & upsell" in guide


def test_no_motions_section_without_motions() -> None:
    files = render(model(copy.deepcopy(TINY)), ("html", "markdown"))
    assert "Sales motions" not in _text(files, "markdown/README.md")
    assert "Sales motions" not in _text(files, "html/index.html")
    assert "Sales motions" not in _text(files, "html/guides/sales.html")
