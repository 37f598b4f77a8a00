"""Hostile text in every free-text field, against every output format.

The text is an attack on each format at once (see ``poison.PAYLOAD``). Each
test checks two things: the output is still well-formed and carries no active
markup, and the text is still there, escaped (so a format that silently
dropped it could not pass).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from gtmplay.findings import visible
from gtmplay.report import REPORTERS
from gtmplay.services.build import TARGETS
from hostile.helpers import Run
from hostile.poison import MARK, PAYLOAD, poisoned_copy

SHOWN = visible(PAYLOAD)
ACTIVE_HTML = re.compile(r"<\s*(script|img|iframe)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def playbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return poisoned_copy(tmp_path_factory.mktemp("poison") / "pb")


@pytest.fixture(scope="module")
def built(playbook: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gtmplay.cli import main

    out = tmp_path_factory.mktemp("out") / "site"
    assert main(["build", str(playbook), "-o", str(out), "--only", ",".join(TARGETS)]) == 0
    return out


def report(run: Run, playbook: Path, fmt: str) -> str:
    code, out, _ = run("check", str(playbook), "--fail-on", "note", "--format", fmt)
    assert code == 1
    assert MARK in out
    return out


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_reports_keep_the_text_exactly(run: Run, playbook: Path, fmt: str) -> None:
    text = json.dumps(json.loads(report(run, playbook, fmt)), ensure_ascii=False)
    assert json.dumps(f'Activity "{SHOWN}" has no metrics', ensure_ascii=False)[1:-1] in text


def test_github_annotations_cannot_be_injected(run: Run, playbook: Path) -> None:
    lines = report(run, playbook, "github").split("\n")
    assert lines[-1] == ""
    # GTM316 warns about the invisible characters of each poisoned name and description
    # (scoring signals included: 10 of the warnings)
    assert lines[-2] == "gtmplay: 137 findings: 117 warnings, 20 notes"
    assert all(line.startswith(("::notice file=", "::warning file=")) for line in lines[:-2])
    assert any("%0A::error file=x::injected%0A# heading" in line for line in lines)


def test_junit_is_well_formed(run: Run, playbook: Path) -> None:
    root = ET.fromstring(report(run, playbook, "junit"))
    messages = [f.get("message") for f in root.iter("failure")]
    assert len(messages) == 137
    assert f'Activity "{SHOWN}" has no metrics' in messages


def test_markdown_report_has_no_active_html(run: Run, playbook: Path) -> None:
    out = report(run, playbook, "markdown")
    assert not ACTIVE_HTML.search(out)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_text_report_is_one_line_per_finding(run: Run, playbook: Path) -> None:
    lines = report(run, playbook, "text").splitlines()
    assert len(lines) == 138
    assert all(
        re.match(r"\S+\.yaml:\d+:\d+: (note|warning)\[GTM(108|316)\] ", x) for x in lines[:-1]
    )
    assert "\x1b" not in "".join(lines)


def test_every_report_format_is_covered() -> None:
    assert sorted(REPORTERS) == ["github", "gitlab", "json", "junit", "markdown", "sarif", "text"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def files(out: Path, *suffixes: str) -> list[Path]:
    found = sorted(p for p in out.rglob("*") if p.is_file() and p.suffix in suffixes)
    assert found, f"no {suffixes} output"
    return found


def test_html_has_no_script_handler_or_javascript_url(built: Path) -> None:
    seen_text = False
    for path in files(built, ".html"):
        parser = _Tags()
        parser.feed(path.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            assert tag not in ("script", "iframe", "img", "object", "embed"), (path, tag)
            for name, value in attrs:
                assert not name.startswith("on"), (path, tag, name)
                if name in ("href", "src", "action", "formaction"):
                    assert not (value or "").strip().lower().startswith("javascript:"), path
        seen_text = seen_text or any("PWN<script>alert(1)</script>" in t for t in parser.text)
    assert seen_text, "the hostile text should be shown as text, not dropped"


def test_markdown_docs_have_no_raw_html_or_script_links(built: Path) -> None:
    for path in files(built, ".md"):
        text = path.read_text(encoding="utf-8")
        assert not ACTIVE_HTML.search(text), path
        assert "](javascript:" not in text, path
    assert any(MARK in p.read_text(encoding="utf-8") for p in files(built, ".md"))


def test_xml_outputs_are_well_formed(built: Path) -> None:
    texts = []
    for path in files(built, ".xml", ".svg"):
        root = ET.parse(path).getroot()
        texts.extend(t for el in root.iter() for t in (el.text, *el.attrib.values()) if t)
    assert any(MARK in t for t in texts)


def strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def test_json_and_yaml_outputs_parse_and_keep_the_text(built: Path) -> None:
    loaded = [json.loads(p.read_bytes()) for p in files(built, ".json")]
    loaded += [yaml.safe_load(p.read_bytes()) for p in files(built, ".yaml")]
    assert PAYLOAD in set(strings(loaded))


def test_csv_cells_never_start_a_formula(built: Path) -> None:
    cells = []
    for path in files(built, ".csv"):
        cells.extend(c for row in csv.reader(io.StringIO(path.read_text("utf-8"))) for c in row)
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'" + PAYLOAD in cells


def test_every_build_target_is_covered(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir() if p.is_dir()) == sorted(TARGETS)


FENCE_NAME = "```mermaid graph LR; A-->B ~~~ end"


def _fences(folder: Path) -> dict[str, int]:
    """Lines that open or close a code block, per Markdown file (after list markers)."""
    opening = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+)*(```|~~~)")
    return {
        p.relative_to(folder).as_posix(): sum(
            1 for line in p.read_text(encoding="utf-8").splitlines() if opening.match(line)
        )
        for p in sorted(folder.rglob("*.md"))
    }


def test_a_name_holding_a_code_fence_never_opens_a_block(here: Path, run: Run) -> None:
    # a meeting's name is a heading of kpis.md and a list item of each guide;
    # a team's name starts a line of its guide: three backticks there opened a
    # code block (a Mermaid diagram on GitHub) that swallowed the rest of the page
    from hostile.helpers import EXAMPLE

    shutil.copytree(EXAMPLE, here / "pb")
    for rel, old in (
        ("cadence.yaml", "name: Weekly funnel & SLA review"),
        ("teams.yaml", "name: Marketing"),
    ):
        path = here / "pb" / rel
        path.write_text(
            path.read_text(encoding="utf-8").replace(old, f"name: '{FENCE_NAME}'", 1),
            encoding="utf-8",
        )
    for src, out in ((str(EXAMPLE), "plain"), ("pb", "fenced")):
        code, _, err = run("build", src, "-o", out, "--only", "markdown")
        assert (code, err) == (0, "")
    assert _fences(here / "fenced") == _fences(here / "plain")
    shown = r"\`\`\`mermaid graph LR; A-->B \~\~\~ end"
    kpis = (here / "fenced" / "markdown" / "kpis.md").read_text(encoding="utf-8")
    assert f"### {shown} (weekly, 45m)\n" in kpis
    guide = (here / "fenced" / "markdown" / "guides" / "marketing.md").read_text(encoding="utf-8")
    assert f"# Guide for {shown}\n" in guide
    assert f"- {shown} (weekly)\n" in guide
