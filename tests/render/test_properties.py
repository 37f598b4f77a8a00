"""Properties: builds are deterministic and never fail on odd but schema-shaped input."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gtmplay.render.sanitize import markdown_html
from gtmplay.textio import markdown_text

from .support import model, render
from .test_xss import audit_html, audit_markdown

IDS = st.sampled_from(["a", "b", "c", "won", "lost", "end", "x-1", "con"])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
DURATION = st.sampled_from([None, "4h", "1d12h", "1w", "30m", "2d"])


@st.composite
def docs(draw: st.DrawFn) -> dict[str, Any]:
    teams = draw(st.lists(IDS, unique=True, max_size=3))
    steps = draw(st.lists(IDS, unique=True, max_size=4))
    stages = draw(st.lists(IDS, unique=True, max_size=5))
    ref = st.sampled_from([*teams, "ghost"])
    step = st.sampled_from([*steps, "nowhere"])
    return {
        "description": draw(TEXT),
        "teams": [{"id": t, "name": draw(TEXT), "function": "sales"} for t in teams],
        "lifecycle": [
            {
                "id": s,
                "name": draw(TEXT),
                "owner": draw(ref),
                "kind": draw(st.sampled_from(["funnel", "recycle", "disqualified"])),
                "description": draw(TEXT),
            }
            for s in steps
        ],
        "stages": [
            {
                "id": s,
                "name": draw(TEXT),
                "owner": draw(ref),
                "probability": draw(st.integers(0, 100)),
                "forecast": "pipeline",
                "outcome": draw(st.sampled_from(["open", "won", "lost"])),
                "target_days": draw(st.none() | st.integers(0, 400)),
                "entry": draw(st.lists(TEXT, max_size=2)),
                "guidance": draw(TEXT),
            }
            for s in stages
        ],
        "activities": [
            {
                "id": f"act{i}",
                "name": draw(TEXT),
                "owner": draw(ref),
                "kind": "content",
                "supports": draw(st.lists(st.sampled_from([*stages, *steps, "zzz"]), max_size=3)),
                "description": draw(TEXT),
                "assets": ["as1"],
            }
            for i in range(draw(st.integers(0, 4)))
        ],
        "assets": [{"id": "as1", "name": draw(TEXT), "url": draw(TEXT | st.just("https://e.x/a"))}],
        "handoffs": [
            {
                "id": f"h{i}",
                "from": draw(ref),
                "to": draw(ref),
                "at": draw(step),
                "sla": {
                    "respond_within": draw(DURATION),
                    "attempts": draw(st.none() | st.integers(1, 9)),
                    "window": draw(DURATION),
                },
                "on_reject": draw(st.none() | step),
                "accept": draw(st.lists(TEXT, max_size=2)),
            }
            for i in range(draw(st.integers(0, 2)))
        ],
        "kpis": [{"id": "k", "name": draw(TEXT), "owner": draw(ref), "target": 1.5}],
        "cadence": [{"id": "m", "name": draw(TEXT), "every": "monthly", "attendees": teams}],
    }


@given(docs())
@settings(max_examples=25)
def test_builds_are_byte_identical_and_safe(doc: dict[str, Any]) -> None:
    first = render(model(doc))
    second = render(model(doc))
    assert first == second
    for rel, data in first.items():
        text = data.decode("utf-8")
        if rel.endswith(".html"):
            assert audit_html(text) == [], rel
        elif rel.endswith(".md"):
            assert audit_markdown(text) == [], rel


PLAIN = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.;:?()%/'\"-]{0,60}", fullmatch=True)


@given(PLAIN)
def test_plain_text_fast_path_matches_the_markdown_library(text: str) -> None:
    # markdown_html prints what plain_text takes as <p>text</p> without the
    # library: the library must make that very paragraph of it
    import markdown

    from gtmplay.render.sanitize import clean_html, plain_text

    slow = clean_html(
        markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    ).strip()
    assert markdown_html(text) == slow
    if plain_text(text):
        assert slow == f"<p>{text}</p>"


@given(TEXT)
def test_markdown_text_is_stable_on_plain_input(text: str) -> None:
    if not any(c in text for c in "<&]"):
        assert markdown_text(text) == text
