"""Two builds in one process (a test run, ``gtmplay serve``) share nothing: the cached
Jinja2 environments are the same objects after a build as before, and a table row
rendered for one playbook never shows up in the next one."""

from __future__ import annotations

from typing import Any

import pytest

from gtmplay.render.templating import environment

from .support import TINY, model, render


def _playbook(activity: str, persona: str) -> dict[str, Any]:
    doc = {k: v for k, v in TINY.items() if k not in ("gtmplay", "name")}
    doc["strategy"] = {"personas": [{"id": "p", "name": persona, "role": "economic-buyer"}]}
    doc["activities"] = [
        {"id": "a", "name": activity, "kind": "webinar", "supports": ["discovery"],
         "personas": ["p"], "owner": "marketing"},
    ]  # fmt: skip
    return doc


@pytest.mark.parametrize(
    ("target", "page"),
    [("html", "html/stages/discovery.html"), ("markdown", "markdown/stages/discovery.md")],
)
def test_the_second_playbook_shows_its_own_activity_rows(target: str, page: str) -> None:
    # same activity id and page, different words: a row kept from the first build would show
    first = render(model(_playbook("Launch briefing", "Chief Financial Officer")), (target,))
    second = render(model(_playbook("Roundtable", "Head of Sales")), (target,))
    assert (
        "Launch briefing" in first[page].decode()
        and "Chief Financial Officer" in first[page].decode()
    )
    text = second[page].decode()
    assert "Roundtable" in text and "Head of Sales" in text
    assert "Launch briefing" not in text and "Chief Financial Officer" not in text


@pytest.mark.parametrize("kind", ["html", "markdown"])
def test_a_build_leaves_the_shared_environment_as_it_found_it(kind: str) -> None:
    env = environment(kind, None)
    before = dict(env.globals)
    render(model(_playbook("Launch briefing", "Chief Financial Officer")), (kind,))
    assert dict(env.globals) == before
