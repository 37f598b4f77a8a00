"""Hostile text in every text field never becomes executable markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from .support import model, render

CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click]( JaVaScRiPt:alert(1) )",
    "![img](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "[ref]: javascript:alert(1)\n\n[go][ref]",
    "<javascript:alert(1)>",
    '"]\n    s0 --> s1\n    click s0 call alert(1)\n%%{init: {"securityLevel": "loose"}}%%',
    "```\n<script>alert(1)</script>\n```",
    "x | y <br> z",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


def hostile_doc(text: str) -> dict[str, Any]:
    """A playbook whose every text field (names, descriptions, lists) is ``text``."""
    many = [text, text]
    return {
        "name": text,
        "description": text,
        "strategy": {
            "innovation": "process",
            "summary": text,
            "markets": [{"id": "m1", "name": text, "description": text, "segments": many}],
            "icp": {
                "description": text,
                "problems": many,
                "industries": many,
                "company_size": text,
                "regions": many,
                "disqualifiers": many,
            },
            "personas": [
                {
                    "id": "p1",
                    "name": text,
                    "title": text,
                    "role": "champion",
                    "description": text,
                    "pains": many,
                    "goals": many,
                    "messaging": text,
                }
            ],
        },
        "teams": [
            {"id": "mk", "name": text, "function": "marketing", "lead": text, "description": text},
            {"id": "sl", "name": text, "function": "sales", "lead": text, "description": text},
        ],
        "liaison": {"name": text, "team": "mk", "responsibilities": many},
        "lifecycle": [
            {
                "id": "mql",
                "name": text,
                "owner": "mk",
                "entry": text,
                "exit": text,
                "description": text,
            },
            {"id": "sql", "name": text, "owner": "sl", "converted": True, "description": text},
            {"id": "nurture", "name": text, "owner": "mk", "kind": "recycle"},
        ],
        "stages": [
            {
                "id": "s1",
                "name": text,
                "owner": "sl",
                "probability": 10,
                "forecast": "pipeline",
                "target_days": 3,
                "entry": many,
                "exit": many,
                "guidance": text,
                "key_fields": many,
                "description": text,
            },
            {"id": "won", "name": text, "probability": 100, "forecast": "closed", "outcome": "won"},
        ],
        "assets": [
            {
                "id": "as1",
                "name": text,
                "type": text,
                "url": "javascript:alert(1)",
                "description": text,
            },
            {"id": "as2", "name": text, "type": "deck", "url": text},
        ],
        "activities": [
            {
                "id": "a1",
                "name": text,
                "owner": "mk",
                "kind": text,
                "supports": ["s1", "mql"],
                "personas": ["p1"],
                "assets": ["as1", "as2"],
                "metrics": many,
                "description": text,
            },
        ],
        "handoffs": [
            {
                "id": "h1",
                "name": text,
                "from": "mk",
                "to": "sl",
                "at": "sql",
                "accept": many,
                "sla": {"respond_within": "4h", "attempts": 2, "window": "1d"},
                "reject_reasons": many,
                "on_reject": "nurture",
                "description": text,
            },
        ],
        "scoring": {
            "threshold": 10,
            "mql": "mql",
            "signals": [{"id": "g1", "name": text, "points": 5}],
        },
        "kpis": [
            {
                "id": "k1",
                "name": text,
                "owner": "sl",
                "target": 5,
                "unit": "days",
                "frequency": text,
                "description": text,
                "stage": "s1",
            },
        ],
        "cadence": [
            {
                "id": "c1",
                "name": text,
                "every": "weekly",
                "owner": "mk",
                "attendees": ["mk", "sl"],
                "kpis": ["k1"],
                "agenda": many,
                "duration": "30m",
                "description": text,
            },
        ],
    }


DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "base", "form", "meta", "link"}
URL_ATTRS = {"href", "src", "xlink:href", "action", "formaction", "background", "poster"}


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # the page's own stylesheet link and meta tags sit in <head>, written by gtmplay
        if tag in DANGEROUS_TAGS and tag not in ("meta", "link"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name in URL_ATTRS and value is not None:
                squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if not re.match(r"(https?:|mailto:|[^:]*$|[^:/?#]*[/?#])", squeezed):
                    self.problems.append(f"{tag} {name}={value!r}")
            if name == "style":
                self.problems.append(f"{tag} style=")


def audit_html(page: str) -> list[str]:
    parser = _Audit()
    parser.feed(page)
    problems = parser.problems
    if "<script" in page.lower():
        problems.append("<script")
    return problems


_ALLOWED_TAG = re.compile(r"<br>|<br/>|<(?:https?|mailto):[^<>\s]*>")
_MD_LINK = re.compile(r"\]\(\s*<?\s*([a-zA-Z][a-zA-Z0-9+.\-]*):", re.I)
_MERMAID_LINE = re.compile(
    r'(flowchart LR|    subgraph g_funnel \["Funnel"\]|    subgraph g_open \["Open stages"\]'
    r"|        direction LR|    end"
    r'|(    |        )[sp][0-9]+(\["|\(\[")[^"\n`]*("\]|"\]\))'
    r'|(    |        )([sp][0-9]+|g_funnel|g_open) (-->|-\.->)( \|"[^"\n`|]*"\|)? [sp][0-9]+'
    r'|(    |        )([sp][0-9]+|g_funnel|g_open) (-->|-\.->)\|"[^"\n`|]*"\| [sp][0-9]+)'
)


def audit_markdown(text: str) -> list[str]:
    problems = []
    for tag in re.findall(r"<[^>\n]*>?", text):
        if not _ALLOWED_TAG.fullmatch(tag):
            problems.append(f"raw HTML {tag!r}")
    for scheme in _MD_LINK.findall(text):
        if scheme.lower() not in ("http", "https", "mailto"):
            problems.append(f"link to {scheme}:")
    if re.search(r"(?<!\\)\]:\s*<?\s*javascript:", text, re.I):
        problems.append("reference definition to javascript:")
    for block in re.findall(r"```mermaid\n(.*?)\n```", text, re.S):
        for line in block.split("\n"):
            if not _MERMAID_LINE.fullmatch(line):
                problems.append(f"mermaid line {line!r}")
    if text.count("```mermaid") != len(re.findall(r"```mermaid\n.*?\n```", text, re.S)):
        problems.append("unclosed mermaid block")
    return problems


@pytest.fixture(scope="module", params=range(len(CORPUS)), ids=lambda i: f"payload{i}")
def outputs(request: pytest.FixtureRequest) -> dict[str, bytes]:
    return render(model(hostile_doc(CORPUS[request.param])))


def test_html_has_no_executable_markup(outputs: dict[str, bytes]) -> None:
    pages = {k: v.decode() for k, v in outputs.items() if k.endswith(".html")}
    assert len(pages) >= 11
    assert {k: audit_html(v) for k, v in pages.items() if audit_html(v)} == {}


def test_markdown_escapes_raw_html(outputs: dict[str, bytes]) -> None:
    docs = {k: v.decode() for k, v in outputs.items() if k.endswith(".md")}
    assert len(docs) >= 11
    assert {k: audit_markdown(v) for k, v in docs.items() if audit_markdown(v)} == {}


def test_the_audits_catch_what_they_look_for() -> None:
    assert audit_html('<p onclick="x">a</p><a href=" javascript:x">b</a><script>') == [
        "p onclick=",
        "a href=' javascript:x'",
        "<script>",
        "<script",
    ]
    assert audit_markdown("<img src=x> [a](javascript:x)\n```mermaid\nclick s0 call x\n```") == [
        "raw HTML '<img src=x>'",
        "link to javascript:",
        "mermaid line 'click s0 call x'",
    ]


def test_unsafe_asset_urls_are_not_links() -> None:
    files = render(model(hostile_doc("x")))
    page = files["html/activities.html"].decode()
    assert "javascript" not in page
    md = files["markdown/activities.md"].decode()
    assert "javascript" not in md
