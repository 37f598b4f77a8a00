"""Markdown conversion of text fields is linear in their length on any input:
what would make Python-Markdown quadratic is shown as plain escaped text."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest
import yaml

from gtmplay.render.markdown_cost import too_costly
from gtmplay.render.sanitize import markdown_html

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from markdown_pathological import PATHOLOGICAL

EXAMPLE = Path(__file__).resolve().parents[2] / "playbooks" / "acme"


def _cpu_seconds(text: str) -> float:
    """The least CPU time of three conversions of ``text`` (the cache cleared each time)."""
    best = float("inf")
    for _ in range(3):
        markdown_html.cache_clear()
        start = time.process_time()
        markdown_html(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("unit", list(PATHOLOGICAL))
def test_100_kb_of_a_pathological_pattern_converts_in_linear_time(unit: str) -> None:
    # A ratio inside one process, not a time: four times the text may take
    # about four times as long (sixteen if quadratic; "[" took minutes at
    # 100 KB before the guard). CPU time, so a loaded machine does not count;
    # a floor of 10 ms, so a conversion too quick to time cannot flake.
    small, large = (unit * (size // len(unit) + 1) for size in (25_000, 100_000))
    ratio = _cpu_seconds(large) / max(_cpu_seconds(small), 0.01)
    assert ratio < 8, ratio
    html = str(markdown_html(large))
    if too_costly(large):
        assert set(re.findall(r"</?([a-z0-9]+)", html)) <= {"p"}


@pytest.mark.parametrize(
    "unit",
    ["[", "[a](", "# a\n", "---\n", "a\n===\n", ">", "1. ", "a\n\n", "[a](b) "],
)
def test_pathological_text_is_shown_as_written_and_escaped(unit: str) -> None:
    text = "<script>x</script>\n\n" + unit * 30_000
    assert too_costly(text)
    html = str(markdown_html(text))
    assert html.startswith("<p>&lt;script&gt;x&lt;/script&gt;</p>\n<p>")
    assert "<script" not in html


@pytest.mark.parametrize(
    "text",
    [
        "# Heading\n\nSome *words*, a [link](https://example.com) and `code`.\n\n"
        "- one\n- two\n  - nested\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n",
        "\n\n".join(f"Paragraph {i} with a [link](https://x.test/{i})." for i in range(300)),
        "\n".join(f"- [item {i}](https://x.test/{i}) *done*" for i in range(1000)),
        "> > > quoted three deep\n\n1. a\n   1. b\n      1. c\n",
    ],
    ids=["every-construct", "300-paragraphs", "1000-links-in-a-list", "nested"],
)
def test_ordinary_markdown_is_converted(text: str) -> None:
    assert not too_costly(text)


def _texts(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for v in node.values() for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []


def test_no_text_of_the_example_is_too_costly() -> None:
    texts = [
        t
        for path in sorted(EXAMPLE.rglob("*.yaml"))
        for t in _texts(yaml.safe_load(path.read_text()))
    ]
    assert len(texts) > 100
    assert [t for t in texts if too_costly(t)] == []
