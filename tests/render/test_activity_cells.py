"""``activity_cells`` prints what the template loops it replaced printed, byte for byte.

The cells of an activity row (kind, owner, supports, content) are made in Python
for speed; the loops below are the templates as they were before, so any value,
hostile ones included, must come out escaped exactly as it did.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gtmplay.render.templating import environment
from gtmplay.render.views import ActivityView, AssetLink, Ref

HTML_LOOPS = (
    "{{ a.kind|label }}\x00"
    "{% if a.owner %}{% if a.owner.page %}"
    '<a href="{{ root }}{{ a.owner.page }}.html">{{ a.owner.name }}</a>'
    "{% else %}{{ a.owner.name }}{% endif %}{% endif %}\x00"
    "{% for t in a.supports %}{% if t.page %}"
    '<a href="{{ root }}{{ t.page }}.html">{{ t.name }}</a>'
    "{% else %}{{ t.name }}{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}\x00"
    "{% for x in a.assets %}{% if x.href %}"
    '<a href="{{ x.href }}">{{ x.name }}</a>'
    "{% else %}{{ x.name }}{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}"
)
MARKDOWN_LOOPS = (
    "{{ a.kind|cell }}\x00"
    "{% if a.owner %}{% if a.owner.page %}"
    "[{{ a.owner.name|cell }}]({{ root }}{{ a.owner.page }}.md)"
    "{% else %}{{ a.owner.name|cell }}{% endif %}{% endif %}\x00"
    "{% for t in a.supports %}{% if t.page %}"
    "[{{ t.name|cell }}]({{ root }}{{ t.page }}.md)"
    "{% else %}{{ t.name|cell }}{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}\x00"
    "{% for x in a.assets %}{% if x.href %}"
    '[{{ x.name|cell }}](<{{ x.href|replace(">", "%3E")|replace("<", "%3C")'
    '|replace(" ", "%20") }}>)'
    "{% else %}{{ x.name|cell }}{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}"
)
CELLS = (
    "{% set c = activity_cells(a, root) %}"
    "{{ c.kind }}\x00{{ c.owner }}\x00{{ c.supports }}\x00{{ c.content }}"
)

# names and links with everything HTML, Markdown and tables treat specially
text = st.text(alphabet=st.sampled_from("ab <>&\"'|[]()*_`\\\n-:"), max_size=12)
long_text = st.text(alphabet=st.sampled_from("a<&|"), min_size=195, max_size=210)
names = st.one_of(text, long_text)
pages = st.sampled_from(["", "guides/sales", "stages/a&b", "lifecycle"])
refs = st.builds(Ref, id=text, name=names, page=pages)
assets = st.builds(AssetLink, id=text, name=names, type=text, href=names, description=text)


def activity(kind: str, owner: Ref | None, supports: list[Ref], links: list[AssetLink]) -> Any:
    return ActivityView(
        activity=None,  # type: ignore[arg-type]  # the cells never read it
        id="a",
        name="A",
        kind=kind,
        owner=owner,
        supports=tuple(supports),
        personas="",
        metrics="",
        assets=tuple(links),
    )


@settings(max_examples=150, deadline=None)
@given(
    kind=st.one_of(text, st.sampled_from(["seo", "sales-play", "webinar"])),
    owner=st.none() | refs,
    supports=st.lists(refs, max_size=3),
    links=st.lists(assets, max_size=3),
    root=st.sampled_from(["", "../", "a&b/"]),
)
def test_cells_print_what_the_template_loops_printed(
    kind: str, owner: Ref | None, supports: list[Ref], links: list[AssetLink], root: str
) -> None:
    a = activity(kind, owner, supports, links)
    for kind_name, loops in (("html", HTML_LOOPS), ("markdown", MARKDOWN_LOOPS)):
        env = environment(kind_name, None)
        expected = env.from_string(loops).render(a=a, root=root)
        assert env.from_string(CELLS).render(a=a, root=root) == expected


def test_an_owner_without_a_page_is_its_name_and_no_owner_is_empty() -> None:
    env = environment("html", None)
    a = activity("seo", Ref("x", "<X>"), [Ref("s", "S&P", "stages/s")], [])
    assert env.from_string(CELLS).render(a=a, root="../") == (
        'SEO\x00&lt;X&gt;\x00<a href="../stages/s.html">S&amp;P</a>\x00'
    )
    none = activity("seo", None, [], [])
    assert env.from_string(CELLS).render(a=none, root="") == "SEO\x00\x00\x00"
