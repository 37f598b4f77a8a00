"""``check --base``: new findings fail, old ones do not, fixed ones are listed.

Each test builds a git repository with a main branch and a change on top,
then checks the working tree against ``main``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gtmplay.cli import main
from gtmplay.gitsource import GitSource, open_git_playbook
from gtmplay.pipeline import check_path

from .support import Repo

PLAYBOOK = """\
gtmplay: 1
name: Base test
include: [stages.yaml, activities.yaml]
teams:
  - {id: marketing, name: Marketing, function: marketing}
  - {id: sales, name: Sales, function: sales}
"""
STAGES = """\
stages:
  - id: discovery
    name: Discovery
    owner: sales
    probability: 10
    forecast: pipeline
  - id: proposal
    name: Proposal
    owner: sales
    probability: 60
    forecast: best-case
  - id: negotiation
    name: Negotiation
    owner: sales
    probability: 80
    forecast: commit
  - {id: won, name: Won, owner: sales, probability: 100, forecast: closed, outcome: won}
  - {id: lost, name: Lost, owner: sales, probability: 0, forecast: omitted, outcome: lost}
"""
WEBINAR = """\
  - id: webinar
    name: Proposal webinar
    owner: marketing
    kind: webinar
    supports: [proposal]
    metrics: [Registrations]
"""
ACTIVITIES = f"""\
activities:
  - id: case-study
    name: Case study
    owner: marketing
    kind: content
    supports: [discovery]
    metrics: [Downloads]
{WEBINAR}"""


ROI = (
    "  - {id: roi, name: ROI, owner: marketing, kind: content, supports: [negotiation],"
    " metrics: [Deals]}\n"
)


def gtm101(report: list[dict[str, Any]]) -> list[tuple[str, str, int, int]]:
    return [(f["path"], f["file"], f["line"], f["column"]) for f in report if f["rule"] == "GTM101"]


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", "playbook", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


@pytest.fixture()
def base_repo(repo: Repo) -> Repo:
    repo.write("playbook/playbook.yaml", PLAYBOOK)
    repo.write("playbook/stages.yaml", STAGES)
    repo.write("playbook/activities.yaml", ACTIVITIES)
    repo.write("README.md", "playbook\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "change")
    return repo


def test_removing_the_last_webinar_of_a_stage_fails_on_that_stage_only(
    base_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    base_repo.write("playbook/activities.yaml", ACTIVITIES.replace(WEBINAR, ""))
    base_repo.commit("drop the webinar")
    code, report = check(capsys, "--base", "main")
    assert code == 1
    new = [f for f in report["findings"] if f["new"]]
    assert gtm101(new) == [("stages[proposal]", "playbook/stages.yaml", 7, 5)]
    assert [f["rule"] for f in new] == ["GTM101"]
    # the old gap at negotiation is still reported, as existing
    old = [f for f in report["findings"] if f["new"] is False]
    assert ("stages[negotiation]", "playbook/stages.yaml", 12, 5) in gtm101(old)
    assert report["baseline"]["fixed"] == []
    assert report["summary"]["new"] == 1

    code = main(["check", "playbook", "--format", "github", "--base", "main"])
    out = capsys.readouterr().out
    assert code == 1
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert len(annotations) == 1
    assert annotations[0].startswith(
        "::error file=playbook/stages.yaml,line=7,col=5,endLine=12,"
        "title=GTM101 coverage.stage-without-marketing::"
    )


def test_an_unrelated_change_is_not_blamed_for_old_gaps(
    base_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    base_repo.write("README.md", "playbook, documented\n")
    base_repo.commit("docs")
    code, report = check(capsys, "--base", "main")
    assert code == 0
    assert report["summary"]["new"] == 0
    assert report["findings"]  # the old gaps are there...
    assert all(f["new"] is False for f in report["findings"])  # ...and none is new
    # without --base the same playbook fails
    code, _ = check(capsys)
    assert code == 1


def test_moving_lines_does_not_make_old_findings_new(
    base_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = "# Sales stages, reviewed quarterly.\n# Owner: RevOps.\n\n" + STAGES
    base_repo.write("playbook/stages.yaml", moved)
    base_repo.commit("comment on top")
    code, report = check(capsys, "--base", "main")
    assert code == 0
    assert gtm101(report["findings"]) == [("stages[negotiation]", "playbook/stages.yaml", 15, 5)]
    assert all(f["new"] is False for f in report["findings"])
    assert report["baseline"]["fixed"] == []


def test_fixing_a_gap_lists_it_as_fixed_with_its_base_location(
    base_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    base_repo.write(
        "playbook/activities.yaml",
        ACTIVITIES + ROI,
    )
    base_repo.commit("support negotiation")
    code, report = check(capsys, "--base", "main")
    assert code == 0
    assert gtm101(report["baseline"]["fixed"]) == [
        ("stages[negotiation]", "playbook/stages.yaml", 12, 5)
    ]
    code = main(["check", "playbook", "--base", "main", "--no-color"])
    out = capsys.readouterr().out
    assert "fixed: playbook/stages.yaml:12:5: error[GTM101] " in out
    assert out.splitlines()[-1].startswith("no new findings; ")


def test_base_is_the_merge_base_not_the_tip(
    base_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    # main moves on and fixes the negotiation gap; the branch did not break anything
    base_repo.git("checkout", "-q", "main")
    base_repo.write(
        "playbook/activities.yaml",
        ACTIVITIES + ROI,
    )
    base_repo.commit("main fixes negotiation")
    base_repo.git("checkout", "-q", "change")
    base_repo.write("README.md", "other\n")
    base_repo.commit("unrelated")
    code, report = check(capsys, "--base", "main")
    assert code == 0  # compared with the tip of main, negotiation would look new
    assert report["summary"]["new"] == 0


def test_a_playbook_new_on_the_branch_has_only_new_findings(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("README.md", "x\n")
    repo.commit("base")
    repo.write("playbook/playbook.yaml", PLAYBOOK)
    repo.write("playbook/stages.yaml", STAGES)
    repo.write("playbook/activities.yaml", ACTIVITIES)
    code, report = check(capsys, "--base", "HEAD")
    assert code == 1
    assert report["baseline"]["playbook_missing"] is True
    assert all(f["new"] for f in report["findings"])


def test_the_working_tree_is_not_touched(
    base_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    base_repo.write("playbook/stages.yaml", STAGES.replace("Proposal", "Offer"))  # uncommitted
    status = base_repo.git("status", "--porcelain")
    check(capsys, "--base", "main")
    assert base_repo.git("status", "--porcelain") == status
    assert "Offer" in (base_repo.root / "playbook/stages.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--base", "no-such-branch"],
            "gtmplay: error: cannot read the playbook at git revision 'no-such-branch': "
            "no such branch, tag or commit (fetch it first, e.g. git fetch origin)\n",
        ),
    ],
)
def test_an_unknown_ref_exits_2(
    base_repo: Repo, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["check", "playbook", *args]) == 2
    assert capsys.readouterr().err == message


def test_outside_a_git_repository_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "playbook").mkdir()
    (tmp_path / "playbook/playbook.yaml").write_text(PLAYBOOK.replace("include: ", "x: "))
    assert main(["check", "playbook", "--base", "main"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "gtmplay: error: cannot read the playbook at git revision 'main': "
        "playbook is not inside a git repository\n"
    )


# --------------------------------------------------------------------------
# GitSource on its own


def test_git_source_reads_like_the_disk(base_repo: Repo) -> None:
    at_main = open_git_playbook("main", "playbook")
    assert at_main.source is not None and at_main.root_rel == "playbook.yaml"
    disk = check_path("playbook")
    from gtmplay.pipeline import check_source

    old = check_source(at_main.source, at_main.root_rel, target="playbook")
    assert (
        old.files
        == disk.files
        == [
            "playbook/playbook.yaml",
            "playbook/stages.yaml",
            "playbook/activities.yaml",
        ]
    )
    assert [f.text() for f in old.findings] == [f.text() for f in disk.findings]


def test_git_source_glob_symlinks_and_limits(repo: Repo) -> None:
    repo.write("pb/playbook.yaml", "x: 1\n")
    repo.write("pb/acts/a.yaml", "a\n")
    repo.write("pb/acts/deep/b.yaml", "b\n")
    repo.write("pb/acts/c.yml", "c\n")
    repo.write("pb/.hidden.yaml", "h\n")
    repo.write("outside.yaml", "secret\n")
    (repo.root / "pb/link.yaml").symlink_to("acts/a.yaml")
    (repo.root / "pb/escape.yaml").symlink_to("../outside.yaml")
    commit = repo.commit("files")
    source = GitSource(repo.root, commit, "pb", "pb", "HEAD")
    assert source.glob("acts/*.yaml") == ["acts/a.yaml"]
    assert source.glob("acts/**/*.yaml") == ["acts/a.yaml", "acts/deep/b.yaml"]
    # the link out is listed, so that reading it reports it (below)
    assert source.glob("*.yaml") == [".hidden.yaml", "escape.yaml", "link.yaml", "playbook.yaml"]
    assert source.read("link.yaml", 100) == b"a\n"
    assert source.read("acts/deep/b.yaml", 100) == b"b\n"
    assert source.display("acts/a.yaml") == "pb/acts/a.yaml"
    from gtmplay.sources import SourceProblem

    with pytest.raises(SourceProblem, match="outside the playbook folder"):
        source.read("escape.yaml", 100)
    with pytest.raises(SourceProblem, match="folder, not a file"):
        source.read("acts", 100)
    with pytest.raises(SourceProblem, match="no such file at HEAD"):
        source.read("nope.yaml", 100)
    with pytest.raises(SourceProblem, match="over the limit of 2 bytes"):
        source.read("playbook.yaml", 2)
