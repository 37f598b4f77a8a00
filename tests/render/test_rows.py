"""The activity rows and cells made in Python print what the templates they replaced printed.

``activity_cells`` (the cells of a row that hold several links) replaced template
loops; ``activity_row`` (stage pages, guides) was the macro ``activity_row_markup`` of each
target's macros template, and the activities page looped over its rows in the page
template. The templates below are those, as they were; any value, hostile ones
included, must come out byte for byte the same, inside a build (where a target
remembers rows and the escaped values its two rows share) and outside one.
"""

from __future__ import annotations

import functools
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmplay.render import rows, sanitize
from gtmplay.render.escaping import cell
from gtmplay.render.templating import BUILTIN, environment
from gtmplay.render.views import ActivityView, AssetLink, Ref

from .support import TINY, context, model, render

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

OLD = {
    ("html", "activity_row"): (
        "{% set c = activity_cells(a, root) %}"
        '<tr><td data-label="Activity"><a href="{{ root }}activities.html#activity-{{ a.id }}">'
        '{{ a.name }}</a></td><td data-label="Kind">{{ c.kind }}</td><td data-label="Owner">'
        '{{ c.owner }}</td><td data-label="Personas">{{ a.personas }}</td>'
        '<td data-label="Content">{{ c.content }}</td></tr>\n'
    ),
    ("html", "activity_page_row"): (
        "{% set c = activity_cells(a, root) %}"
        '<tr id="activity-{{ a.id }}"><td data-label="Activity">{{ a.name }} '
        '<span class="badge">{{ c.kind }}</span></td><td data-label="Owner">{{ c.owner }}</td>'
        '<td data-label="Supports">{{ c.supports }}</td><td data-label="Personas">'
        '{{ a.personas }}</td><td data-label="Content">{{ c.content }}</td>'
        '<td data-label="Description">{{ a.activity.description|md }}{% if a.metrics %}'
        '<p class="small"><strong>Measured by:</strong> {{ a.metrics }}</p>{% endif %}'
        "</td></tr>\n"
    ),
    ("markdown", "activity_row"): (
        "{% set c = activity_cells(a, root) %}"
        "| {{ a.name|cell }} | {{ c.kind }} | {{ c.owner }} | {{ a.personas|cell }} "
        "| {{ c.content }} |\n"
    ),
    ("markdown", "activity_page_row"): (
        "{% set c = activity_cells(a, root) %}"
        "| {{ a.name|cell }} | {{ c.kind }} | {{ c.owner }} | {{ c.supports }} "
        "| {{ a.personas|cell }} | {{ c.content }} | {{ a.metrics|cell }} "
        "| {{ a.activity.description|cell }} |\n"
    ),
}
NEW = "{{ ROW(a, root) }}"

ROUNDTABLE = {
    **{k: v for k, v in TINY.items() if k not in ("gtmplay", "name")},
    "activities": [
        {"id": "rt", "name": "Roundtable <CFO>", "kind": "event", "supports": ["discovery"],
         "owner": "marketing"},
    ],
}  # fmt: skip

# everything HTML, Markdown and tables treat specially, and long texts (past the
# length up to which escaped texts are remembered)
text = st.text(alphabet=st.sampled_from("ab <>&\"'|[]()*_`~\\\n\r\t-:#"), max_size=14)
long_text = st.text(alphabet=st.sampled_from("a <&|\n"), min_size=195, max_size=210)
names = st.one_of(text, long_text)
plain_or_not = st.one_of(
    names, st.from_regex(r"[A-Za-z][a-z0-9,.:;()'\"-]*( [a-z?%/]+)*", fullmatch=True)
)
pages = st.sampled_from(["", "guides/sales", "stages/a&b", "lifecycle"])
refs = st.builds(Ref, id=text, name=names, page=pages)
assets = st.builds(AssetLink, id=text, name=names, type=text, href=names, description=text)


@st.composite
def activities(draw: Any) -> ActivityView:
    # names and descriptions both formats print as they are, as well as others
    name, description = draw(plain_or_not), draw(plain_or_not)
    return ActivityView(
        activity=SimpleNamespace(description=description),  # type: ignore[arg-type]
        id=draw(text),
        name=name,
        kind=draw(st.one_of(text, st.sampled_from(["seo", "sales-play", "webinar"]))),
        owner=draw(st.none() | refs),
        supports=tuple(draw(st.lists(refs, max_size=3))),
        personas=draw(names),
        metrics=draw(st.one_of(st.just(""), text)),
        assets=tuple(draw(st.lists(assets, max_size=3))),
        # as the views set them
        plain_name=sanitize.plain_name(name),
        plain_description=sanitize.plain_text(description),
    )


@functools.cache
def compiled(kind: str, source: str) -> jinja2.Template:
    """``source`` compiled once in ``kind``'s environment. Jinja2 compiles a
    ``from_string`` text again on every call, which was nine tenths of each
    example's time; a compiled template renders any values the same each time."""
    return environment(kind, None).from_string(source)


def old(kind: str, row: str, a: ActivityView, root: str) -> str:
    return compiled(kind, OLD[kind, row]).render(a=a, root=root)


def new(kind: str, row: str, a: ActivityView, root: str) -> str:
    return compiled(kind, NEW.replace("ROW", row)).render(a=a, root=root)


@settings(max_examples=200, deadline=None)
@given(a=activities(), root=st.sampled_from(["", "../", "a&b/"]))
def test_rows_print_what_the_template_rows_printed(a: ActivityView, root: str) -> None:
    for kind, row in OLD:
        assert new(kind, row, a, root) == old(kind, row, a, root), (kind, row)


@settings(max_examples=100, deadline=None)
@given(a=activities())
def test_within_a_build_both_rows_of_an_activity_are_the_same_as_alone(a: ActivityView) -> None:
    # a target remembers an activity's escaped values and its rows: the page row at
    # the site's root, then the row of stage pages and guides one folder down
    alone = {
        (kind, row, root): new(kind, row, a, root) for kind, row in OLD for root in ("", "../")
    }
    for kind in ("html", "markdown"):
        with rows.remembered():
            for row, root in (
                ("activity_page_row", ""),
                ("activity_row", "../"),
                ("activity_row", "../"),
                ("activity_row", ""),
            ):
                assert new(kind, row, a, root) == alone[kind, row, root]


def test_a_row_and_a_table_body_exactly() -> None:
    a = ActivityView(
        activity=SimpleNamespace(description="Ask *why* <now>."),  # type: ignore[arg-type]
        id="a&1",
        name="Launch <webinar>",
        kind="sales-play",
        owner=Ref("mkt", "Marketing", "guides/mkt"),
        supports=(Ref("s", "S|1", "stages/s"), Ref("x", "X")),
        personas="CFO, Head of IT",
        metrics="Signups",
        assets=(AssetLink("d", "Deck", "pdf", "https://x.test/a b", ""),),
    )
    html = environment("html", None).globals
    assert html["activity_row"](a, "../") == (
        '<tr><td data-label="Activity"><a href="../activities.html#activity-a&amp;1">'
        'Launch &lt;webinar&gt;</a></td><td data-label="Kind">Sales play</td>'
        '<td data-label="Owner"><a href="../guides/mkt.html">Marketing</a></td>'
        '<td data-label="Personas">CFO, Head of IT</td>'
        '<td data-label="Content"><a href="https://x.test/a b">Deck</a></td></tr>\n'
    )
    markdown = environment("markdown", None).globals
    assert markdown["activity_page_row"].join([a, a], "") == 2 * (
        "| Launch &lt;webinar&gt; | sales-play | [Marketing](guides/mkt.md) "
        "| [S\\|1](stages/s.md), X | CFO, Head of IT | [Deck](<https://x.test/a%20b>) "
        "| Signups | Ask *why* &lt;now&gt;. |\n"
    )
    # the activities page takes its rows a few dozen at a time: the same text
    many = [a] * (3 * rows.BATCH_CHARS // len(markdown["activity_page_row"](a, "")))
    batches = list(markdown["activity_page_row"].batches(many, ""))
    assert len(batches) == 3
    assert all(len(b) <= rows.BATCH_CHARS + 200 for b in batches)
    assert "".join(batches) == markdown["activity_page_row"].join(many, "")
    assert list(markdown["activity_page_row"].batches([], "")) == []


def test_a_guide_of_thousands_of_activities_is_made_a_few_dozen_rows_at_a_time() -> None:
    # The team's guide lists every activity it runs: its table comes in batches
    # like the activities page, never as one string (the peak of a build of
    # 10,000 activities was this table, joined, copied and encoded at once).
    from gtmplay.render import html, markdown_docs
    from gtmplay.render.templating import _FLUSH

    activities = [
        {"id": f"act-{i}", "name": f"Activity {i}", "owner": "marketing", "supports": ["mql"]}
        for i in range(4000)
    ]
    ctx = context(model({**TINY, "activities": activities}))
    row_starts = {html: '<tr><td data-label="Activity">', markdown_docs: "| other | [Marketing]"}
    for target, guide in (
        (html, "html/guides/marketing.html"),
        (markdown_docs, "markdown/guides/marketing.md"),
    ):
        chunks = next(list(data) for path, data in target.pages(ctx) if path == guide)
        page = b"".join(chunks).decode()
        assert page.count(row_starts[target]) == 4000
        assert len(page) > 3 * _FLUSH
        assert max(len(c) for c in chunks) <= _FLUSH + rows.BATCH_CHARS + 1000


def test_a_user_page_lays_out_its_own_rows_as_docs_build_md_says(tmp_path: Path) -> None:
    # the way docs/build.md gives to change the rows: override the page, loop yourself
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "stage.html.j2").write_text(
        '{% extends "html/base.html.j2" %}{% block content %}<ol>'
        "{% for a in view.content.activities %}{% set c = activity_cells(a, root) %}"
        "<li>{{ a.name }}: {{ c.owner }} ({{ c.kind }})</li>{% endfor %}</ol>{% endblock %}",
        encoding="utf-8",
    )
    # a macros template defining the macro the rows used to come from changes nothing
    (tmp_path / "html" / "macros.html.j2").write_text(
        (BUILTIN / "html" / "macros.html.j2").read_text(encoding="utf-8")
        + "{% macro activity_row_markup(a, root) %}MINE{% endmacro %}\n",
        encoding="utf-8",
    )
    pb = model(ROUNDTABLE)
    page = render(pb, ("html",), templates=tmp_path)["html/stages/discovery.html"].decode()
    assert (
        '<ol><li>Roundtable &lt;CFO&gt;: <a href="../guides/marketing.html">Marketing</a>' in page
    )
    assert "(Event)</li></ol>" in page
    builtin = render(pb, ("html",))
    guide = builtin["html/guides/marketing.html"].decode()
    assert "MINE" not in guide and ">Roundtable &lt;CFO&gt;</a></td>" in guide
    assert (
        render(pb, ("html",), templates=tmp_path)["html/guides/marketing.html"]
        == (builtin["html/guides/marketing.html"])
    )


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
        expected = compiled(kind_name, loops).render(a=a, root=root)
        assert compiled(kind_name, CELLS).render(a=a, root=root) == expected


def test_an_owner_without_a_page_is_its_name_and_no_owner_is_empty() -> None:
    env = environment("html", None)
    a = activity("seo", Ref("x", "<X>"), [Ref("s", "S&P", "stages/s")], [])
    assert env.from_string(CELLS).render(a=a, root="../") == (
        'SEO\x00&lt;X&gt;\x00<a href="../stages/s.html">S&amp;P</a>\x00'
    )
    none = activity("seo", None, [], [])
    assert env.from_string(CELLS).render(a=none, root="") == "SEO\x00\x00\x00"


# the lists of content and of activity links, as the page templates looped over them
OLD_LISTS = {
    ("html", "{{ asset_items(assets) }}"): (
        "{% for a in assets %}<li>{% if a.href %}"
        '<a href="{{ a.href }}">{{ a.name }}</a>{% else %}{{ a.name }}{% endif %}'
        '{% if a.type %} <span class="muted">({{ a.type }})</span>{% endif %}</li>{% endfor %}'
    ),
    ("html", "{{ activity_links(items, root) }}"): (
        '{% for a in items %}<a href="{{ root }}activities.html#activity-{{ a.id }}">'
        "{{ a.name }}</a>{% if not loop.last %}, {% endif %}{% endfor %}"
    ),
    ("markdown", "{{ asset_items(assets) }}"): (
        "{% macro asset(a) %}{% if a.href %}"
        '[{{ a.name|cell }}](<{{ a.href|replace(">", "%3E")|replace("<", "%3C")'
        '|replace(" ", "%20") }}>){% else %}{{ a.name|cell }}{% endif %}'
        "{% if a.type %} ({{ a.type|cell }}){% endif %}{% endmacro %}"
        "{% for a in assets %}- {{ asset(a)|safe }}\n{% endfor %}"
    ),
}


@settings(max_examples=150, deadline=None)
@given(
    links=st.lists(assets, max_size=4),
    items=st.lists(activities(), max_size=3),
    root=st.sampled_from(["", "../", "a&b/"]),
)
def test_lists_print_what_the_template_loops_printed(
    links: list[AssetLink], items: list[ActivityView], root: str
) -> None:
    for (kind, new_text), old_text in OLD_LISTS.items():
        values = {"assets": links, "items": items, "root": root}
        expected = compiled(kind, old_text).render(**values)
        assert compiled(kind, new_text).render(**values) == expected, (kind, new_text)
        with rows.remembered():  # the links share an activity's escaped values with its rows
            # twice: the second page takes each asset's item from the target's memory
            for _ in range(2):
                assert compiled(kind, new_text).render(**values) == expected, (kind, new_text)


def test_an_asset_listed_in_both_formats_within_one_memory_gets_each_format_s_item() -> None:
    deck = AssetLink("d", "Deck <1>", "pdf", "https://x.test/d", "")
    with rows.remembered():
        for _ in range(2):
            assert rows.html_asset_items([deck, deck]) == (
                '<li><a href="https://x.test/d">Deck &lt;1&gt;</a>'
                ' <span class="muted">(pdf)</span></li>' * 2
            )
            assert rows.markdown_asset_items([deck]) == (
                "- [Deck &lt;1&gt;](<https://x.test/d>) (pdf)\n"
            )


def test_two_activities_with_one_id_each_show_their_own_row() -> None:
    # an id given twice is an error, but --force builds anyway: each row is its own
    doc = {**ROUNDTABLE, "activities": [
        {"id": "a", "name": name, "kind": "event", "supports": ["discovery"], "owner": "marketing"}
        for name in ("First talk", "Second talk")
    ]}  # fmt: skip
    files = render(model(doc), ("html", "markdown"))
    for page in (
        "html/activities.html",
        "markdown/activities.md",
        "html/stages/discovery.html",
        "markdown/stages/discovery.md",
    ):
        text = files[page].decode()
        assert text.count("First talk") == 1 and text.count("Second talk") == 1, page


class _CountingMemory:
    """Stands in for the rows' context variable and counts its lookups."""

    def __init__(self, var: Any) -> None:
        self.var, self.gets = var, 0

    def get(self) -> Any:
        self.gets += 1
        return self.var.get()

    def set(self, value: Any) -> Any:
        return self.var.set(value)

    def reset(self, token: Any) -> None:
        self.var.reset(token)


@settings(max_examples=20, deadline=None)
@given(a=activities())
def test_a_table_looks_up_the_target_s_memory_once_not_once_per_row(a: ActivityView) -> None:
    # thousands of rows a page: one lookup per table, then plain dicts (about
    # a sixth of the rows' time at 10,000 activities); the rows are the same
    many = [a._replace(id=f"{a.id}{i}") for i in range(40)]
    counting = _CountingMemory(rows._MADE)
    for kind in ("html", "markdown"):
        alone = {
            row: environment(kind, None).globals[row].join(many, "../")
            for row in ("activity_row", "activity_page_row")
        }
        try:
            rows._MADE = counting  # type: ignore[assignment]
            with rows.remembered():
                for row in ("activity_row", "activity_page_row"):
                    made = environment(kind, None).globals[row]
                    counting.gets = 0
                    assert made.join(many, "../") == alone[row]
                    assert "".join(made.batches(many, "../")) == alone[row]
                    assert counting.gets == 2, (kind, row)
        finally:
            rows._MADE = counting.var


@settings(max_examples=50, deadline=None)
@given(a=activities())
def test_markdown_row_values_are_plain_str_not_marked_done(a: ActivityView) -> None:
    # an f-string formats a str subclass (escaping.Done) through format(), a
    # slower path than a str: the Markdown rows join plain str cells, and the
    # cells are still what the cell filter prints
    parts = rows._markdown_parts(a, None)
    assert [type(p) for p in parts] == [str] * 4
    assert parts[1:3] == (cell(a.kind), cell(a.personas))


def test_activities_sharing_a_list_have_its_links_joined_once_per_target(
    monkeypatch: Any,
) -> None:
    # the views give equal lists one tuple: a target joins that tuple's links
    # once per root, not once per activity, and each root gets its own links
    calls: list[tuple[str, str]] = []
    made_link = rows._html_ref.__wrapped__

    def counting(name: str, page: str, root: str) -> str:
        calls.append((name, root))
        return made_link(name, page, root)

    monkeypatch.setattr(rows, "_html_ref", counting)
    supports = (Ref("s", "S <1>", "stages/s"), Ref("x", "X"))
    deck = (AssetLink("d", "Deck", "pdf", "https://x.test/d", ""),)
    many = [
        ActivityView(
            SimpleNamespace(description=""), f"a{i}", "A", "event", None, supports, "", "", deck
        )  # type: ignore[arg-type]
        for i in range(3)
    ]
    row = rows.Row(rows.html_page_row, rows._html_parts, remember=False)
    alone = row.join(many, "")
    assert len(calls) == 6  # outside a build nothing is kept
    calls.clear()
    with rows.remembered():
        assert row.join(many, "") == alone
        assert row.join(many, "../") == str(alone).replace('href="stages', 'href="../stages')
    assert calls == [("S <1>", ""), ("X", ""), ("S <1>", "../"), ("X", "../")]
    assert alone.count('<a href="stages/s.html">S &lt;1&gt;</a>, X') == 3


@given(st.text())
def test_html_once_is_markupsafe_s_escape(text: str) -> None:
    from markupsafe import escape

    from gtmplay.render.escaping import html_once

    assert html_once(text) == str(escape(text))
    assert type(html_once(text)) is str
