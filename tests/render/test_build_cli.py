"""``gtmplay build``: exit statuses, messages, target selection, templates, stamps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from gtmplay.cli import main
from gtmplay.render.writer import MARKER

from .support import TINY, tree, write_playbook


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return write_playbook(tmp_path / "pb", TINY)


def test_refuses_a_playbook_with_errors(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["build", "pb", "-o", "site"], capsys)
    assert code == 1
    assert [line.split(" ", 2)[:2] for line in out.splitlines()] == [
        ["pb/playbook.yaml:1:1:", "warning[GTM314]"],
        ["pb/playbook.yaml:1:1:", "warning[GTM401]"],
        ["pb/playbook.yaml:12:3:", "note[GTM107]"],
        ["pb/playbook.yaml:24:3:", "error[GTM101]"],
        ["pb/playbook.yaml:24:3:", "note[GTM315]"],
        ["pb/playbook.yaml:55:14:", "error[GTM207]"],
        ["6", "findings:"],
    ]
    assert err == (
        "gtmplay: not built: the playbook has 2 errors; fix them, or pass --force to build anyway\n"
    )
    assert not (tiny.parent / "site").exists()


def test_force_builds_the_default_targets(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["build", "pb", "-o", "site", "--force"], capsys)
    assert (code, err) == (0, "")
    files = tree(tiny.parent / "site")
    assert out == f"built {len(files) - 1} files into site\n"
    assert {p.split("/")[0] for p in files} == {"html", "markdown", "handoffs", MARKER}
    assert "html/stages/discovery.html" in files and "markdown/guides/sales.md" in files


@pytest.mark.parametrize(
    ("only", "tops"),
    [
        (["--only", "handoffs"], {"handoffs"}),
        (["--only", "html,markdown"], {"html", "markdown"}),
        (
            ["--only", "markdown", "--only", "handoffs", "--only", "markdown"],
            {"markdown", "handoffs"},
        ),
        (["--only", "csv"], {"csv"}),
    ],
)
def test_only_selects_targets(
    tiny: Path, capsys: pytest.CaptureFixture[str], only: list[str], tops: set[str]
) -> None:
    code, _, _ = run(["build", "pb", "-o", "site", "--force", *only], capsys)
    assert code == 0
    files = tree(tiny.parent / "site")
    assert {p.split("/")[0] for p in files} - {MARKER} == tops


def test_unknown_target(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["build", "pb", "-o", "site", "--only", "pdf"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(
        "gtmplay: error: unknown build target 'pdf'. Choose among csv, dbt, handoffs"
    )


def test_unusable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pb").mkdir()
    (tmp_path / "pb" / "playbook.yaml").write_text("name: [unclosed\n")
    code, out, err = run(["build", str(tmp_path / "pb"), "-o", str(tmp_path / "site")], capsys)
    assert code == 2
    assert "playbook.yaml:" in out and "error[" in out
    assert err == "gtmplay: the playbook cannot be read; fix the errors above\n"
    assert not (tmp_path / "site").exists()


def test_schema_invalid_cannot_be_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_playbook(tmp_path / "pb", {"gtmplay": 1, "name": "X", "stages": [{"id": "s"}]})
    code, _, err = run(
        ["build", str(tmp_path / "pb"), "-o", str(tmp_path / "o"), "--force"], capsys
    )
    assert code == 2
    assert "does not pass the schema, so there is nothing to render even with --force" in err


def test_missing_playbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["build", str(tmp_path / "nope"), "-o", str(tmp_path / "o")], capsys)
    assert code == 2
    assert err.startswith("gtmplay: error: ") and "no such file or folder" in err


def test_output_inside_playbook_parent_refused(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["build", "pb", "-o", ".", "--force"], capsys)
    assert code == 2
    assert err == (
        "gtmplay: error: cannot write .: it is the playbook folder pb or contains it, and a "
        "build replaces the whole output folder. Choose an output folder outside the playbook, "
        "e.g. -o site/.\n"
    )
    assert sorted(p.name for p in tiny.parent.iterdir()) == ["pb"]


def test_stamp_uses_source_date_epoch(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    code, _, _ = run(["build", "pb", "-o", "site", "--force", "--stamp"], capsys)
    assert code == 0
    site = tiny.parent / "site"
    assert json.loads((site / "handoffs/handoffs.json").read_text())["built"] == (
        "2023-11-14T22:13:20Z"
    )
    assert "built 2023-11-14T22:13:20Z." in (site / "html/index.html").read_text()
    run(["build", "pb", "-o", "site2", "--force"], capsys)
    assert "built 20" not in (tiny.parent / "site2/html/index.html").read_text()


def test_user_template_overrides_by_name(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    custom = tiny.parent / "tpl" / "html"
    custom.mkdir(parents=True)
    (custom / "index.html.j2").write_text(
        "<h1>{{ pb.name }}</h1>{{ pb.description|md }}{{ diagrams.process() }}\n"
    )
    (custom / "style.css").write_text("body { color: red }\n")
    (custom.parent / "handoffs").mkdir()
    (custom.parent / "handoffs" / "handoffs.md.j2").write_text(
        "{% for h in site.handoffs %}{{ h.handoff.id }}: {{ h.respond_within.iso }}{% endfor %}\n"
    )
    code, _, err = run(["build", "pb", "-o", "site", "--force", "--templates", "tpl"], capsys)
    assert (code, err) == (0, "")
    index = (tiny.parent / "site/html/index.html").read_text()
    assert index.startswith("<h1>Tiny</h1><p>A <em>tiny</em> playbook.</p><svg ")
    assert (tiny.parent / "site/html/assets/style.css").read_text() == "body { color: red }\n"
    assert (
        tiny.parent / "site/handoffs/handoffs.md"
    ).read_text() == "mql-to-sales: PT4H"  # trim_blocks eats the newline
    # the other pages still come from the built-in templates
    assert "<!DOCTYPE html>" in (tiny.parent / "site/html/kpis.html").read_text()


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ pb.__class__ }}", "access to attribute '__class__' of 'Playbook' object is unsafe"),
        ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
        ("{{ site._site }}", "'gtmplay.render.views.Site object' has no attribute '_site'"),
        (
            "{% for x in %}",
            "tpl/html/index.html.j2:1: Expected an expression, got 'end of statement block'",
        ),
        ("{{ nothing_here }}", "'nothing_here' is undefined"),
        ('{% include "../../../etc/passwd" %}', "template ../../../etc/passwd not found"),
        ("{{ site.assets.clear() }}", "access to attribute 'clear' of 'dict' object is unsafe"),
        ("{{ pb.stages.__len__() }}", "access to attribute '__len__' of 'tuple' object is unsafe"),
    ],
)
def test_user_templates_are_sandboxed(
    tiny: Path, capsys: pytest.CaptureFixture[str], template: str, message: str
) -> None:
    (tiny.parent / "tpl" / "html").mkdir(parents=True)
    (tiny.parent / "tpl" / "html" / "index.html.j2").write_text(template)
    run(["build", "pb", "-o", "site", "--force"], capsys)  # a previous output
    code, out, err = run(["build", "pb", "-o", "site", "--force", "--templates", "tpl"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("gtmplay: error: template ")
    assert message in err
    assert "Traceback" not in err
    assert "<!DOCTYPE html>" in (tiny.parent / "site/html/index.html").read_text()  # kept


def test_templates_folder_must_exist(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["build", "pb", "-o", "site", "--force", "--templates", "nope"], capsys)
    assert code == 2
    assert err == (
        "gtmplay: error: --templates nope: no such folder. Pass a folder laid out like "
        "templates/ (html/, markdown/, handoffs/).\n"
    )


def test_a_target_that_raises_keeps_the_previous_output(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(["build", "pb", "-o", "site", "--force"], capsys)[0] == 0
    before = tree(tiny.parent / "site")

    def broken(ctx: object) -> Iterator[tuple[str, bytes]]:
        # one page made and written into the temporary folder, then the failure
        yield "handoffs/handoffs.json", b"{}"
        raise RuntimeError("boom")

    import gtmplay.render.handoffs as target

    monkeypatch.setattr(target, "pages", broken)
    code, _, err = run(["build", "pb", "-o", "site", "--force"], capsys)
    assert code == 2
    assert "gtmplay: internal error: RuntimeError: boom" in err
    assert tree(tiny.parent / "site") == before
    assert sorted(p.name for p in tiny.parent.iterdir()) == ["pb", "site"]
