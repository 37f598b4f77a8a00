"""What the HTML site says and how big its pages are: words for people, a banner on a
forced build, links to the other outputs, and stage pages bounded in the number of stages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gtmplay.durations import words
from gtmplay.render.templating import label
from gtmplay.services.build import Options, build

from .support import TINY, model, render, tree, write_playbook


def _html(files: dict[str, bytes], page: str) -> str:
    return files[f"html/{page}.html"].decode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4h", "4 hours"),
        ("1h", "1 hour"),
        ("10d", "10 days"),
        ("1d12h", "1 day 12 hours"),
        ("1w", "1 week"),
        ("30m", "30 minutes"),
    ],
)
def test_durations_in_words(text: str, expected: str) -> None:
    assert words(text) == expected


def test_words_refuses_what_is_not_a_duration() -> None:
    with pytest.raises(ValueError, match="not a duration"):
        words("soon")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("economic-buyer", "Economic buyer"), ("best-case", "Best case"), ("seo", "SEO"), ("", "")],
)
def test_labels_are_words(value: str, expected: str) -> None:
    assert label(value) == expected


def test_people_read_names_and_words_not_ids() -> None:
    doc = {k: v for k, v in TINY.items() if k not in ("gtmplay", "name")}
    doc["strategy"] = {
        "personas": [{"id": "cfo", "name": "Chief Financial Officer", "role": "economic-buyer"}]
    }
    doc["activities"] = [
        {"id": "a", "name": "Webinar", "kind": "webinar", "supports": ["discovery"],
         "personas": ["cfo"], "owner": "marketing"},
    ]  # fmt: skip
    files = render(model(doc), ("html",))
    stage = _html(files, "stages/discovery")
    assert '<td data-label="Personas">Chief Financial Officer</td>' in stage
    assert ">cfo<" not in stage
    assert "Forecast: <strong>Pipeline</strong>" in stage
    assert "<strong>Buying role:</strong> Economic buyer" in _html(files, "strategy")
    handoffs = _html(files, "handoffs")
    assert '<time datetime="PT4H">4 hours</time>' in handoffs
    assert '<time datetime="P2D">2 days</time>' in handoffs
    assert "PT4H, 4 h" not in handoffs


def test_a_forced_build_says_so_on_every_page(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    write_playbook(tmp_path / "pb", TINY)  # two errors: builds only with --force
    assert build("pb", Options(output=tmp_path / "site", force=True)).status == 0
    pages = {k: v.decode() for k, v in tree(tmp_path / "site" / "html").items() if k.endswith("l")}
    assert len(pages) == 12
    banner = (
        "Built with <code>--force</code>: the playbook has 2 errors, so parts of this site may "
        'be wrong. <a href="{root}alignment.html#findings">See the findings</a>.'
    )
    for rel, text in pages.items():
        assert banner.format(root="../" * rel.count("/")) in text, rel
    assert '<h2 id="findings">' in pages["alignment.html"]


def test_a_clean_build_has_no_banner() -> None:
    doc = {k: v for k, v in TINY.items() if k not in ("gtmplay", "name")}
    files = render(model(doc), ("html",), findings=())
    assert all("--force" not in v.decode() for k, v in files.items() if k.endswith(".html"))


def test_the_handoffs_page_links_the_generated_files(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    write_playbook(tmp_path / "pb", TINY)
    assert build("pb", Options(output=tmp_path / "a", force=True)).status == 0
    page = (tmp_path / "a" / "html" / "handoffs.html").read_text()
    links = re.findall(r'href="(\.\./handoffs/[^"]+)"', page)
    assert links == [
        "../handoffs/handoffs.md",
        "../handoffs/handoffs.json",
        "../handoffs/handoffs.yaml",
    ]
    assert all((tmp_path / "a" / "html" / link).is_file() for link in links)
    # without the handoffs target there is nothing to link to: the page says how to get it
    out = tmp_path / "b"
    assert build("pb", Options(output=out, force=True, targets=("html",))).status == 0
    page = (out / "html" / "handoffs.html").read_text()
    assert "../handoffs/" not in page and "gtmplay build --only handoffs" in page
    # printed, the page is the contract: a place to sign for each team
    assert page.count('<div class="signature"><p>For ') == 2


def _many_stages(n: int) -> dict[str, Any]:
    doc = {k: v for k, v in TINY.items() if k not in ("gtmplay", "name", "stages")}
    stages = [
        {"id": f"s{i:04d}", "name": f"Stage {i:04d}", "owner": "sales", "probability": 10,
         "forecast": "pipeline"}
        for i in range(n)
    ]  # fmt: skip
    stages += [
        {"id": "won", "name": "Won", "owner": "sales", "probability": 100, "forecast": "closed",
         "outcome": "won"},
        {"id": "lost", "name": "Lost", "owner": "sales", "probability": 0, "forecast": "omitted",
         "outcome": "lost"},
    ]  # fmt: skip
    doc["stages"] = stages
    return doc


def test_a_stage_page_shows_only_its_neighbourhood() -> None:
    files = render(model(_many_stages(40)), ("html",))
    page = _html(files, "stages/s0020")
    shown = sorted(set(re.findall(r"Stage (\d{4})", page)))
    assert shown == ["0018", "0019", "0020", "0021", "0022"]
    assert "18 earlier and 17 later open stages on the overview" in page
    assert 'href="../index.html#process">All 42 stages</a>' in page
    # the overview has every stage, the other pages none
    assert len(set(re.findall(r"Stage (\d{4})", _html(files, "index")))) == 40
    assert re.findall(r"Stage \d{4}", _html(files, "strategy")) == []


def test_stage_pages_do_not_grow_with_the_number_of_stages() -> None:
    small = render(model(_many_stages(10)), ("html",))
    large = render(model(_many_stages(200)), ("html",))
    # the same page, in a process 20 times longer: only the counts in it differ
    a, b = _html(small, "stages/s0005"), _html(large, "stages/s0005")
    assert abs(len(a) - len(b)) <= 40
    assert len(_html(large, "strategy")) - len(_html(small, "strategy")) <= 4


def test_activities_with_equal_lists_share_one_view_of_each_list() -> None:
    # the views make each distinct list's links once, not once per activity (a
    # third of the views' time at 10,000 activities); other lists get their own
    from gtmplay.render.views import AssetLink, Ref, site

    def act(i: int, supports: list[str], assets: list[str]) -> dict[str, Any]:
        return {
            "id": f"a{i}", "name": f"A {i}", "kind": "event", "owner": "marketing",
            "supports": supports, "personas": ["cfo"], "metrics": ["Signups", "MQLs"],
            "assets": assets,
        }  # fmt: skip

    pb = model(
        {
            **{k: v for k, v in TINY.items() if k not in ("gtmplay", "name")},
            "strategy": {"personas": [{"id": "cfo", "name": "CFO"}]},
            "assets": [{"id": "deck", "name": "Deck", "type": "pdf", "url": "https://x.test/d"}],
            "activities": [
                act(1, ["discovery", "mql"], ["deck"]),
                act(2, ["discovery", "mql"], ["deck"]),
                act(3, ["mql", "nowhere"], ["gone"]),
            ],
        }
    )
    a, b, c = site(pb, ()).activities
    assert a.supports is b.supports and a.assets is b.assets
    assert a.supports == (
        Ref("discovery", "Discovery", "stages/discovery"),
        Ref("mql", "MQL", "lifecycle"),
    )
    assert (a.personas, a.metrics) == (b.personas, b.metrics) == ("CFO", "Signups, MQLs")
    assert a.assets == (AssetLink("deck", "Deck", "pdf", "https://x.test/d", ""),)
    assert c.supports == (Ref("mql", "MQL", "lifecycle"), Ref("nowhere", "nowhere"))
    assert c.assets == (AssetLink("gone", "gone", "", "", ""),)
