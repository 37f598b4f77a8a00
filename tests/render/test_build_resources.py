"""What a build costs: compiled built-in templates kept in the user cache folder between
runs, and no more kept in memory than the targets render from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay import textio
from gtmplay.render import escaping, rows, templating
from gtmplay.services.build import Options, build

from .support import ROOT, tree

ACME = str(ROOT / "playbooks" / "acme")


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A new process, as far as templates go: no environment kept in memory.

    Yields the names of the templates Jinja2 compiles from source.
    """
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, name: Any = None, *a: Any) -> Any:
        compiled.append(str(name))
        return original(self, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    templating._environment.cache_clear()
    yield compiled
    templating._environment.cache_clear()


def _build(out: Path) -> dict[str, bytes]:
    assert build(ACME, Options(output=out)).status == 0
    return tree(out)


def test_a_second_run_compiles_no_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[str]
) -> None:
    monkeypatch.setenv("GTMPLAY_CACHE_DIR", str(tmp_path / "cache"))
    first = _build(tmp_path / "one")
    assert "html/index.html.j2" in fresh and "markdown/index.md.j2" in fresh
    kinds = sorted(p.name.split("-")[0] for p in (tmp_path / "cache" / "templates").iterdir())
    assert kinds == ["html", "markdown"]

    fresh.clear()
    templating._environment.cache_clear()
    assert _build(tmp_path / "two") == first
    assert fresh == []


def test_a_changed_template_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[str]
) -> None:
    # Jinja2 checks each cached template against its source
    monkeypatch.setenv("GTMPLAY_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "templates"
    (folder / "markdown").mkdir(parents=True)
    template = folder / "markdown" / "page.md.j2"
    template.write_text("one {{ x }}\n", encoding="utf-8")
    monkeypatch.setattr(templating, "BUILTIN", folder)

    env = templating.environment("markdown", None)
    assert templating.render(env, "markdown/page.md.j2", {"x": 1}) == "one 1\n"
    templating._environment.cache_clear()
    template.write_text("two {{ x }}\n", encoding="utf-8")
    env = templating.environment("markdown", None)
    assert templating.render(env, "markdown/page.md.j2", {"x": 1}) == "two 1\n"
    assert fresh == ["markdown/page.md.j2", "markdown/page.md.j2"]


def test_a_damaged_cache_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[str]
) -> None:
    monkeypatch.setenv("GTMPLAY_CACHE_DIR", str(tmp_path / "cache"))
    first = _build(tmp_path / "one")
    cached = sorted((tmp_path / "cache").rglob("*.jinja"))
    assert len(cached) == len(fresh)
    for path in cached:
        path.write_bytes(b"not a cached template")
    fresh.clear()
    templating._environment.cache_clear()
    assert _build(tmp_path / "two") == first
    assert len(fresh) == len(cached)


def test_a_cache_folder_that_cannot_be_made_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("GTMPLAY_CACHE_DIR", str(blocker / "cache"))
    assert templating.environment("html", None).bytecode_cache is None
    monkeypatch.setenv("GTMPLAY_CACHE_DIR", str(tmp_path / "cache"))
    templating._environment.cache_clear()
    expected = _build(tmp_path / "expected")

    monkeypatch.setenv("GTMPLAY_CACHE_DIR", str(blocker / "cache"))
    templating._environment.cache_clear()
    assert _build(tmp_path / "out") == expected
    assert blocker.read_text(encoding="utf-8") == ""


def test_a_cache_folder_that_disappears_is_not_an_error(tmp_path: Path) -> None:
    gone = templating._QuietBytecodeCache(str(tmp_path / "gone"), "%s.jinja")
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 1 + 1 }}"}), bytecode_cache=gone)
    assert env.get_template("t").render() == "2"
    assert not (tmp_path / "gone").exists()


def test_user_templates_never_share_compiled_code(tmp_path: Path) -> None:
    # the sandbox compiles operators differently: code compiled for the
    # built-in environment must never run there
    (tmp_path / "html").mkdir()
    assert templating.environment("html", tmp_path).bytecode_cache is None


def test_a_build_lets_go_of_the_parsed_document_and_keeps_the_findings(tmp_path: Path) -> None:
    # the targets read the model only: the document and its source map (most
    # of a check's memory) are released before rendering
    from gtmplay.pipeline import check_path

    outcome = build(ACME, Options(output=tmp_path / "out"))
    assert outcome.status == 0 and outcome.result is not None
    assert outcome.result.findings == check_path(ACME).findings
    assert outcome.result.doc == {} and outcome.result.index is None
    assert outcome.result.playbook == check_path(ACME).playbook


@given(st.text(max_size=300))
def test_markdown_escaping_remembered_gives_the_same_text(text: str) -> None:
    # short texts go through the per-process memory, long ones do not: both as textio
    assert escaping.markdown_finalize(text) == textio.markdown_inline(text)
    assert escaping.cell(text) == textio.markdown_cell(text)
    assert type(escaping.cell(text)) is escaping.Done


def test_a_name_on_many_markdown_rows_is_escaped_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The owner's name is on every activity row; the build escapes it once."""
    cells: list[str] = []
    original = textio.markdown_cell

    def counting(value: Any) -> str:
        cells.append(str(value))
        return original(value)

    monkeypatch.setattr(textio, "markdown_cell", counting)
    escaping.forget()
    rows.forget()
    assert build(ACME, Options(output=tmp_path / "site", targets=("markdown",))).status == 0
    assert cells.count("Marketing") == 1
    assert len(cells) == len(set(cells))


def _loaded_by_a_build(tmp_path: Path, wanted: str) -> str:
    """The exit status of a default build of ACME in a new process, and which
    of the modules ``wanted`` (comma-separated) it loaded."""
    import subprocess
    import sys

    probe = (
        "import sys; from gtmplay.cli import main; code = main(sys.argv[2:]); "
        "print(code, sorted(m for m in sys.modules if m in sys.argv[1].split(',')))"
    )
    args = ["build", ACME, "-o", str(tmp_path / "out")]
    proc = subprocess.run(
        [sys.executable, "-c", probe, wanted, *args], capture_output=True, text=True, check=False
    )
    return proc.stdout.splitlines()[-1]


def test_a_build_without_figures_does_not_load_the_scorecard_charts(tmp_path: Path) -> None:
    # the scorecard's charts (the amount and percent filters) load only where a
    # page prints a measured figure: about 8 ms of every other build
    wanted = "gtmplay.render.charts,gtmplay.render.html,gtmplay.render.markdown_docs"
    assert _loaded_by_a_build(tmp_path, wanted) == (
        "0 ['gtmplay.render.html', 'gtmplay.render.markdown_docs']"
    )
    assert templating._amount(1234.0, "days") == "1,234 days"
    assert templating._percent(0.634) == "63%"


def test_a_build_of_the_docs_does_not_load_the_sql_export(tmp_path: Path) -> None:
    # --dialect's choices are names in a module of their own: a build of the
    # default targets loads neither the SQL export nor the canonical tables
    wanted = "gtmplay.measure.sqlexport,gtmplay.measure.events,gtmplay.measure.warehouses"
    assert _loaded_by_a_build(tmp_path, wanted) == "0 ['gtmplay.measure.warehouses']"
    from gtmplay.measure import sqlexport, warehouses

    assert sqlexport.DIALECTS is warehouses.DIALECTS


def test_guidance_the_site_and_salesforce_both_show_is_converted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a stage's guidance is a stage page's text and the Salesforce Path's: one
    # Markdown conversion per text and process, sanitised for each its own way
    from gtmplay.pipeline import check_path
    from gtmplay.render import sanitize

    texts: list[str] = []
    original = sanitize._Converter.__call__

    def counting(self: Any, text: str) -> str:
        texts.append(text)
        return original(self, text)

    monkeypatch.setattr(sanitize._Converter, "__call__", counting)
    sanitize.converted.cache_clear()
    sanitize.markdown_html.cache_clear()
    options = Options(output=tmp_path / "out", targets=("html", "salesforce"))
    assert build(ACME, options).status == 0
    guidance = {s.guidance for s in check_path(ACME).playbook.stages if s.guidance}
    assert len(guidance) >= 5 and guidance <= set(texts)
    assert len(texts) == len(set(texts))


def test_a_build_without_fenced_code_does_not_load_pygments(tmp_path: Path) -> None:
    # the fenced-code extension (which imports codehilite, and so Pygments) is
    # loaded only for a text with a fence; ACME's guidance has none
    assert _loaded_by_a_build(tmp_path, "markdown,pygments") == "0 ['markdown']"
