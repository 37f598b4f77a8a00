"""Every relative link and resource of the site resolves to a file of the build."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

from gtmplay.services.build import Options, build

from .support import TINY, example_or_skip, tree, write_playbook


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "xlink:href") and value is not None:
                self.refs.append(value)
            if name == "id" and value:
                self.ids.add(value)


def broken_links(files: dict[str, bytes]) -> list[str]:
    parsed: dict[str, _Links] = {}
    for rel, data in files.items():
        if rel.endswith(".html"):
            parser = _Links()
            parser.feed(data.decode("utf-8"))
            parsed[rel] = parser
    broken = []
    for rel, links in parsed.items():
        for ref in links.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc:
                continue  # external (asset URLs of the playbook)
            target = rel
            if parts.path:
                joined = PurePosixPath(rel).parent / unquote(parts.path)
                stack: list[str] = []
                for part in joined.parts:
                    if part == "..":
                        if not stack:
                            broken.append(f"{rel}: {ref} leaves the output")
                            break
                        stack.pop()
                    elif part != ".":
                        stack.append(part)
                target = "/".join(stack)
            if target not in files:
                broken.append(f"{rel}: {ref} -> {target} missing")
            elif parts.fragment and target in parsed and parts.fragment not in parsed[target].ids:
                broken.append(f"{rel}: {ref} -> no id {parts.fragment!r} in {target}")
    return broken


def test_example_site_links_resolve(tmp_path: pytest.TempPathFactory) -> None:
    example = example_or_skip()
    out = tmp_path / "site"  # type: ignore[operator]
    assert build(str(example), Options(output=out)).status == 0
    files = tree(out)
    assert sum(1 for k in files if k.endswith(".html")) >= 10
    assert broken_links(files) == []


def test_links_resolve_with_unknown_references(tmp_path: pytest.TempPathFactory) -> None:
    # unresolved owners and steps are shown as text, never as links to missing pages
    doc = dict(TINY)
    doc["activities"] = [
        {
            "id": "a1",
            "name": "Webinar",
            "kind": "webinar",
            "owner": "ghost",
            "supports": ["discovery", "nowhere"],
        }
    ]
    folder = write_playbook(tmp_path / "pb", doc)  # type: ignore[operator]
    out = tmp_path / "site"  # type: ignore[operator]
    assert build(str(folder), Options(output=out, force=True)).status == 0
    files = tree(out)
    assert broken_links(files) == []


def test_checker_finds_a_broken_link() -> None:
    files = {"html/index.html": b'<a href="missing.html">x</a><a href="#nope">y</a>'}
    assert broken_links(files) == [
        "html/index.html: missing.html -> html/missing.html missing",
        "html/index.html: #nope -> no id 'nope' in html/index.html",
    ]
