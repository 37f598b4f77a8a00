"""The SVG diagrams and Mermaid charts: well-formed, accessible, escaped, exact."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from gtmplay.render import mermaid, svg
from gtmplay.render.views import site

from .support import TINY, example_or_skip, model

NS = "{http://www.w3.org/2000/svg}"
TINY_DOC = {k: v for k, v in TINY.items() if k not in ("gtmplay", "name")}


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


@pytest.mark.parametrize("name", ["waterfall", "process", "heatmap", "cadence", "strategy"])
@pytest.mark.parametrize("doc", [TINY_DOC, {}], ids=["tiny", "empty"])
def test_every_diagram_is_accessible_svg(name: str, doc: dict[str, object]) -> None:
    s = site(model(doc), ())
    root = _parse(getattr(svg, name)(s))
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    title = root.find(f"{NS}title")
    assert title is not None and title.text
    assert root.get("aria-labelledby") == title.get("id") == f"{name}-title"
    width, height = int(root.get("width", "0")), int(root.get("height", "0"))
    # shown at its natural size: the strategy tiles fit a phone, the others scroll there
    assert width == (356 if name == "strategy" else 760) and height >= 60
    assert root.get("viewBox") == f"0 0 {width} {height}"


def test_waterfall_shows_steps_owners_and_handoffs() -> None:
    root = _parse(svg.waterfall(site(model(TINY_DOC), ())))
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts == [
        "MQL",
        "Marketing",
        "SQL",
        "Sales",
        "Marketing \u2192 Sales",
        "respond in 4 hours, 3 attempts, over 2 days",
        "Off the main line:",
        "Nurture",
        "back to nurture",
        "Owner:",
        "Marketing",
        "Sales",
    ]
    assert len(list(root.iter(f"{NS}polygon"))) == 2


def test_process_shows_probability_days_and_outcomes() -> None:
    s = site(model(TINY_DOC), ())
    root = _parse(svg.process(s, current="discovery", root="../"))
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts == [
        "Discovery",
        "10% \u00b7 7 d",
        "Won",
        "won \u00b7 100%",
        "Lost",
        "lost \u00b7 0%",
    ]
    links = [a.get("href") for a in root.iter(f"{NS}a")]
    assert links == ["../stages/discovery.html", "../stages/won.html", "../stages/lost.html"]
    assert root.find(f".//{NS}g[@class='stage current']") is not None


def test_heatmap_counts_and_flags_gaps() -> None:
    doc = dict(TINY_DOC)
    doc["strategy"] = {"personas": [{"id": "cfo", "name": "Chief Financial Officer"}]}
    doc["activities"] = [
        {"id": "a", "kind": "x", "supports": ["mql"], "personas": ["cfo"]},
        {"id": "b", "kind": "x", "supports": ["mql", "mql"]},
    ]
    s = site(model(doc), ())
    assert [r.name for r in s.heatmap.rows] == ["MQL", "SQL", "Discovery", "Won", "Lost"]
    assert s.heatmap.counts == ((2, 1), (0, 0), (0, 0), (0, 0), (0, 0))
    # SQL converts, Won and Lost are closed: nobody expects marketing there
    assert s.heatmap.expected == (True, False, True, False, False)
    root = _parse(svg.heatmap(s))
    cells = [r.get("fill") for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert cells.count("#f6d5d1") == 2  # Discovery, both columns: the gap
    assert cells.count("#eef0f3") == 6
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts[:3] == ["All activities", "Chief", "Financial Off\u2026"]
    # the rows come under their group's heading, and a legend says what the colours mean
    assert texts[3:5] == ["Lifecycle steps", "MQL"]
    assert texts.index("Sales stages") == texts.index("Discovery") - 1
    assert texts[-5:] == [
        "Colour:",
        "0: a gap to fill",
        "0: no support needed",
        "1 activity",
        "2 activities",
    ]
    # every count is readable on its cell (WCAG AA: 4.5:1)
    shapes = list(root)
    pairs = [
        (shape.get("fill"), after.get("fill"))
        for shape, after in itertools.pairwise(shapes)
        if shape.tag == f"{NS}rect" and shape.find(f"{NS}title") is not None
    ]
    assert len(pairs) == 10
    assert all(svg.contrast(str(fill), str(ink)) >= 4.5 for fill, ink in pairs), pairs


@pytest.mark.parametrize("n", range(1, 21))
def test_heatmap_ink_reads_on_every_shade(n: int) -> None:
    fill = svg._shade(n, 20)
    assert svg.contrast(fill, svg.ink(fill)) >= 4.5


def test_palette_carries_white_text() -> None:
    for colour in (*svg.PALETTE, svg.GREY, "#1d4f86", "#24744a", "#b03a3a"):
        assert svg.contrast(colour, "#ffffff") >= 4.5, colour
    assert round(svg.contrast("#000000", "#ffffff"), 1) == 21.0


def test_text_is_escaped() -> None:
    doc = dict(TINY_DOC)
    doc["lifecycle"] = [{"id": "x", "name": '<b>&"</b>', "owner": "marketing"}]
    markup = str(svg.waterfall(site(model(doc), ())))
    assert "<b>" not in markup and "&lt;b&gt;&amp;&quot;" in markup
    _parse(markup)


def test_mermaid_charts_exact() -> None:
    s = site(model(TINY_DOC), ())
    assert mermaid.waterfall(s) == (
        "```mermaid\n"
        "flowchart LR\n"
        '    subgraph g_funnel ["Funnel"]\n'
        "        direction LR\n"
        '        s0["MQL<br/>Marketing"]\n'
        '        s1["SQL<br/>Sales"]\n'
        '        s0 -->|"Marketing to Sales, 4 hours"| s1\n'
        "    end\n"
        '    s2(["Nurture<br/>Marketing"])\n'
        '    s1 -.->|"rejected"| s2\n'
        "```"
    )
    assert mermaid.process(s) == (
        "```mermaid\n"
        "flowchart LR\n"
        '    subgraph g_open ["Open stages"]\n'
        "        direction LR\n"
        '        p0["Discovery<br/>10%, 7 d"]\n'
        "    end\n"
        '    p1(["Won<br/>100%"])\n'
        '    p2(["Lost<br/>0%"])\n'
        "    p0 --> p1\n"
        '    g_open -.->|"from any stage"| p2\n'
        "```"
    )
    assert mermaid.waterfall(site(model({}), ())) == ""


def _many_stages() -> dict[str, object]:
    doc = dict(TINY_DOC)
    stages = [
        {"id": f"s{i}", "name": f"Stage number {i}", "owner": "sales", "probability": 10 * i,
         "forecast": "pipeline"}
        for i in range(1, 8)
    ]  # fmt: skip
    doc["stages"] = stages + [
        {"id": f"{o}{i}", "name": f"{o.title()} {i}", "owner": "sales",
         "probability": 100 if o == "won" else 0, "forecast": "closed" if o == "won" else "omitted",
         "outcome": o}
        for o in ("won", "lost") for i in (1, 2)
    ]  # fmt: skip
    return doc


def _right_edges(root: ET.Element) -> list[int]:
    """Where each chevron and outcome pill of a process diagram ends on the right."""
    edges = [
        max(int(p.split(",")[0]) for p in poly.get("points", "").split())
        for poly in root.iter(f"{NS}polygon")
    ]
    edges += [int(r.get("x", 0)) + int(r.get("width", 0)) for r in root.iter(f"{NS}rect")]
    return edges


@pytest.mark.parametrize("current", [None, "s4"])
def test_the_narrow_process_wraps_within_a_phone(current: str | None) -> None:
    s = site(model(_many_stages()), ())
    wide = _parse(svg.process(s, current, "../"))
    narrow = _parse(svg.process(s, current, "../", svg.NARROW))
    # the same chevrons and outcomes, two a row within the phone's width
    assert [t.text for t in narrow.iter(f"{NS}text")] == [t.text for t in wide.iter(f"{NS}text")]
    assert max(_right_edges(narrow)) <= svg.NARROW < max(_right_edges(wide)) <= svg.WIDTH
    assert narrow.get("viewBox", "").split()[2] == str(svg.NARROW)
    tops = sorted({int(p.get("points", "").split(",")[1].split()[0])
                   for p in narrow.iter(f"{NS}polygon")})  # fmt: skip
    chevrons = len(list(narrow.iter(f"{NS}polygon")))
    assert len(tops) == (chevrons + 1) // 2
    # the page holds both: the variant has a class and a title id of its own
    assert narrow.get("class") == "diagram diagram-process narrow"
    assert wide.get("class") == "diagram diagram-process"
    assert narrow.get("aria-labelledby") == "process-narrow-title"
    assert narrow.find(f"{NS}title") is not None
    assert narrow.find(f"{NS}title").get("id") == "process-narrow-title"  # type: ignore[union-attr]


def test_the_waterfall_legend_wraps_within_a_phone() -> None:
    doc = dict(TINY_DOC)
    doc["teams"] = [{"id": f"t{i}", "name": f"A team called number {i}"} for i in range(5)]
    doc["lifecycle"] = [
        {"id": f"l{i}", "name": f"Step {i}", "kind": "funnel", "owner": f"t{i}"} for i in range(5)
    ]
    root = _parse(svg.waterfall(site(model(doc), ())))
    swatches = [r for g in root.iter(f"{NS}g") if g.get("class") == "legend" for r in g]
    names = [t.text for g in root.iter(f"{NS}g") if g.get("class") == "legend"
             for t in g.iter(f"{NS}text")]  # fmt: skip
    assert names == [f"A team called number {i}" for i in range(5)]
    rows = {int(r.get("y", 0)) for r in swatches if r.tag == f"{NS}rect"}
    assert len(rows) == 5  # each name is too long to share a row within a phone's width
    ends = [int(r.get("x", 0)) + 20 + 7 * len(n) for r, n in
            zip((r for r in swatches if r.tag == f"{NS}rect"), names, strict=True)]  # fmt: skip
    assert max(ends) <= svg.NARROW


def test_the_docs_read_the_coverage_the_check_computed(monkeypatch: pytest.MonkeyPatch) -> None:
    # the rules and the docs read one coverage of the playbook, computed once
    # (13 ms at 10,000 activities)
    from gtmplay import coverage as coverage_module
    from gtmplay.pipeline import check_path
    from gtmplay.render import BuildContext, views

    result = check_path(str(example_or_skip()))
    assert result.playbook is not None
    assert result.coverage == coverage_module.coverage(result.playbook)
    expected = site(result.playbook, ()).heatmap

    def again(playbook: object) -> None:
        raise AssertionError("the coverage computed again")

    monkeypatch.setattr(views, "coverage", again)
    ctx = BuildContext(playbook=result.playbook, result=result)
    assert views.for_context(ctx).heatmap == expected
    # a context whose result is of another playbook computes its own
    other = BuildContext(playbook=model(TINY_DOC), result=result)
    with pytest.raises(AssertionError, match="computed again"):
        views.for_context(other)
