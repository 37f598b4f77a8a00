"""``gtmplay diff`` reads a file the two sides share once, and reports as if it read it twice."""

from __future__ import annotations

from typing import Any

import pytest

from gtmplay import assemble, pipeline
from gtmplay.cli import main
from gtmplay.diff import diff
from gtmplay.report.diff_formats import render

from .support import Repo
from .test_base import ACTIVITIES, PLAYBOOK, STAGES, WEBINAR

FILES = ("playbook.yaml", "stages.yaml", "activities.yaml")


def _side(repo: Repo, name: str, activities: str = ACTIVITIES, playbook: str = PLAYBOOK) -> None:
    repo.write(f"{name}/playbook.yaml", playbook)
    repo.write(f"{name}/stages.yaml", STAGES + "scoring:\n  threshold: 50\n")
    repo.write(f"{name}/activities.yaml", activities)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The files parsed and validated, in order."""
    seen: dict[str, list[str]] = {"parse": [], "validate": []}
    parse, validate = assemble.parse, pipeline.validate

    def counting_parse(text: str, display: str, *args: Any, **kwargs: Any) -> Any:
        seen["parse"].append(display)
        return parse(text, display, *args, **kwargs)

    def counting_validate(doc: Any, smap: Any, *, root: bool) -> Any:
        seen["validate"].append("root" if root else "fragment")
        return validate(doc, smap, root=root)

    monkeypatch.setattr(assemble, "parse", counting_parse)
    monkeypatch.setattr(pipeline, "validate", counting_validate)
    return seen


def test_files_both_sides_share_are_read_and_validated_once(
    repo: Repo, capsys: pytest.CaptureFixture[str], counted: dict[str, list[str]]
) -> None:
    _side(repo, "old")
    _side(repo, "new", ACTIVITIES.replace(WEBINAR, ""))
    assert main(["diff", "old", "new"]) == 0
    out = capsys.readouterr().out
    assert '  - webinar "Proposal webinar" removed\n' in out
    assert counted["parse"] == [*(f"old/{name}" for name in FILES), "new/activities.yaml"]
    assert counted["validate"] == ["root", "fragment", "fragment", "fragment"]
    # the same report as two separate checks give
    old, new = (pipeline.check_path(side, rules=False).playbook for side in ("old", "new"))
    assert old is not None and new is not None
    assert out == render("text", diff(old, new, "old", "new"))


def test_a_git_side_shares_files_with_the_working_tree(
    repo: Repo, capsys: pytest.CaptureFixture[str], counted: dict[str, list[str]]
) -> None:
    _side(repo, "playbook")
    repo.commit("base")
    _side(repo, "playbook", ACTIVITIES.replace(WEBINAR, ""))
    assert main(["diff", "HEAD", "playbook"]) == 0
    assert '  - webinar "Proposal webinar" removed\n' in capsys.readouterr().out
    assert [p.rsplit("/", 1)[-1] for p in counted["parse"]] == [*FILES, "activities.yaml"]


def test_an_error_in_the_new_side_names_its_own_files(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    # the first definition is in stages.yaml, a file both sides share: the
    # message names the new side's copy, as it would without sharing
    _side(repo, "old")
    _side(repo, "new", playbook=PLAYBOOK.replace("activities.yaml]", "activities.yaml, x.yaml]"))
    repo.write("new/x.yaml", "scoring:\n  threshold: 60\n")
    assert main(["diff", "old", "new"]) == 2
    assert capsys.readouterr().err == (
        "gtmplay: error: new: the playbook has errors (first: new/x.yaml:2:3: error[GTM007] "
        "'threshold' is already defined in new/stages.yaml at line 20 "
        "(define it in one file only)). "
        "Run gtmplay check on it and fix them first.\n"
    )


def test_a_file_with_findings_is_read_again(repo: Repo, counted: dict[str, list[str]]) -> None:
    # only clean files are shared: each side finds its own file's problems
    from gtmplay.filememo import FileMemo

    ambiguous = STAGES.replace("probability: 10\n", "probability: 010\n")
    repo.write("old/stages.yaml", ambiguous)
    repo.write("new/stages.yaml", ambiguous)
    memo = FileMemo()
    sides = [pipeline.check_path(f"{side}/stages.yaml", memo=memo) for side in ("old", "new")]
    assert counted["parse"] == ["old/stages.yaml", "new/stages.yaml"]
    assert memo.reused == 0
    assert [
        [(f.file, f.line, f.rule) for f in r.findings if f.rule == "GTM003"] for r in sides
    ] == [
        [("old/stages.yaml", 5, "GTM003")],
        [("new/stages.yaml", 5, "GTM003")],
    ]
