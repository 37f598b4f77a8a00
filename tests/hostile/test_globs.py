"""Include patterns against hostile patterns and file-system layouts: linear
work, no read outside the playbook folder, every refused link reported once.

Work is counted, never timed: the folders a check lists (Python's audit
events) and the steps of the pattern automaton."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gtmplay.globbing import Pattern
from hostile.helpers import BASE, Run, watching_reads, write

LINK_OUT = (
    "this path leads outside the playbook folder (through a symbolic link) "
    "(keep every playbook file inside the playbook folder)"
)
LOOP = (
    "this symbolic link loops back to a folder that holds it "
    "(remove the link, or include the files by their own path)"
)


def deep_tree(root: Path, depth: int) -> str:
    folder = root
    for _ in range(depth):
        folder = folder / "d"
        folder.mkdir(parents=True, exist_ok=True)
    (folder / "x.yaml").write_text("teams: []\n")
    return "/".join(["d"] * depth) + "/x.yaml"


def listed_inside(folder: Path, listed: list[str]) -> int:
    """How many of the folder listings were of ``folder`` or below it."""
    real = os.path.realpath(folder)
    return sum(1 for p in listed if p and (os.path.realpath(p) + os.sep).startswith(real + os.sep))


@pytest.mark.parametrize("stars", [1, 3, 8, 20])
def test_repeated_double_stars_take_linear_work(here: Path, run: Run, stars: int) -> None:
    # pathlib listed the folders exponentially often: 0.6 s with 3, 20 s with
    # 6 and never finished with 8; here each of the 26 folders is listed once
    deep = deep_tree(here / "pb", 25)
    pattern = "d/" + "/".join(["**"] * stars) + "/*.yaml"
    write(here, {"pb/playbook.yaml": BASE + f"include: ['{pattern}', 'none/{pattern}']\n"})
    with watching_reads() as reads:
        code, out, _ = run("check", "pb")
    # 25 folders below pb for the first pattern, pb itself for each
    assert listed_inside(here / "pb", reads.listed) == 27
    assert f"pb/{deep}:1:8: error[GTM310]" in out  # the deep file was read
    assert (
        f"pb/playbook.yaml:3:{15 + len(pattern)}: warning[GTM006] include pattern "
        f"'none/{pattern}' matches no file"
    ) in out.splitlines()
    assert code == 1


def test_the_git_side_pattern_takes_linear_steps() -> None:
    pattern = Pattern("/".join(["**"] * 12) + "/*.yml")
    steps = 0
    step = pattern.step

    def counted(states: frozenset[int], name: str) -> frozenset[int]:
        nonlocal steps
        steps += 1
        return step(states, name)

    pattern.step = counted  # type: ignore[method-assign]
    path = "/".join(["d"] * 40) + "/x.yaml"
    assert not pattern.matches(path)
    assert pattern.matches(path[: -len("x.yaml")] + "x.yml")
    assert steps == 2 * 41  # one step per path segment, whatever the stars


@pytest.mark.parametrize("pattern", ["***", "a/b**/*.yaml", "**.yaml"])
def test_a_double_star_inside_a_segment(here: Path, run: Run, pattern: str) -> None:
    write(here, {"pb/playbook.yaml": BASE + f"include: ['{pattern}']\n"})
    code, out, _ = run("check", "pb")
    segment = pattern.split("/")[-2] if pattern.startswith("a/") else pattern
    assert (code, out) == (
        2,
        f"pb/playbook.yaml:3:11: error[GTM006] include pattern '{pattern}': '**' must be a "
        f"whole part of the path (as in **/*.yaml), not '{segment}'\n1 finding: 1 error\n",
    )


def test_a_glob_reports_a_link_out_of_the_playbook(here: Path, run: Run) -> None:
    write(here, {"secret/s.yaml": "teams: 5\n", "pb/playbook.yaml": BASE + "include: [a/*]\n"})
    (here / "pb" / "a").mkdir()
    (here / "pb" / "a" / "s.yaml").symlink_to(here / "secret" / "s.yaml")
    (here / "pb" / "a" / "etc").symlink_to("/etc")
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        f"pb/playbook.yaml:3:11: error[GTM006] cannot include a/etc: {LINK_OUT}\n"
        f"pb/playbook.yaml:3:11: error[GTM006] cannot include a/s.yaml: {LINK_OUT}\n"
        "2 findings: 2 errors\n",
    )


def test_a_link_inside_the_folder_is_followed(here: Path, run: Run) -> None:
    write(
        here,
        {
            "pb/playbook.yaml": BASE + "include: ['parts/**/*.yaml']\n",
            "pb/real/teams.yaml": "teams: []\n",
        },
    )
    (here / "pb" / "parts").mkdir()
    (here / "pb" / "parts" / "shared").symlink_to("../real")
    code, out, _ = run("check", "pb")
    assert "GTM006" not in out and code == 1


def test_a_directory_loop_is_reported_once(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": BASE + "include: ['a/**/*.yaml']\n", "pb/a/t.yaml": "{}\n"})
    (here / "pb" / "a" / "up").symlink_to("..")
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        f"pb/playbook.yaml:3:11: error[GTM006] cannot include a/up: {LOOP}\n1 finding: 1 error\n",
    )


def test_a_branching_layout_of_loops_is_reported_once_per_link(here: Path, run: Run) -> None:
    # every folder links to the root and to each other folder: pathlib walked
    # each path through the links (3,823 findings in 40 s for a layout like it)
    write(here, {"pb/playbook.yaml": BASE + "include: ['f*/**/*.yaml']\n"})
    names = [f"f{i}" for i in range(6)]
    for name in names:
        (here / "pb" / name).mkdir()
    for name in names:
        (here / "pb" / name / "root").symlink_to("..")
        for other in names:
            if other != name:
                (here / "pb" / name / other).symlink_to(f"../{other}")
    with watching_reads() as reads:
        code, out, _ = run("check", "pb")
    # each real folder once per pattern position, not once per path through the links
    assert listed_inside(here / "pb", reads.listed) <= 7 * 3
    lines = out.splitlines()
    assert lines[-1] == "6 findings: 6 errors"
    assert lines[:-1] == [
        f"pb/playbook.yaml:3:11: error[GTM006] cannot include {name}/root: {LOOP}" for name in names
    ]
    assert code == 2
