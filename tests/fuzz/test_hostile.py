"""Fuzzing with what a hostile pull request controls: YAML structure, numbers,
include patterns, the file-system layout and user templates (:mod:`fuzz.hostile`).

Properties, for every example: never a traceback or internal error (the
``cli`` helper), a documented exit status, no file opened (nor folder listed)
outside the playbook, templates and output folders, the secret behind every
hostile link in no output, and work bounded by counting operations (folders
listed, automaton steps), never by the clock.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gtmplay.render.sandbox as sandbox
from fuzz.hostile import (
    OUTSIDE,
    SECRET,
    Layout,
    alias_bombs,
    huge_durations,
    huge_numbers,
    include_patterns,
    layouts,
    template_links,
    user_templates,
)
from fuzz.strategies import playbooks
from gtmplay.globbing import Pattern, PatternError
from hostile.helpers import Reads, watching_reads

from .support import Outcome, cli, inside_tmp, read_tree, write_tree

FAST = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# builds with user templates are the slow part: a third of the profile's examples
BUILD_EXAMPLES = max(5, settings.default.max_examples // 3)
BASE = "gtmplay: 1\nname: Hostile\n"


def assert_nothing_read_outside(here: Path, reads: type[Reads], outcome: Outcome) -> None:
    """Nothing under ``OUTSIDE`` (nor the CI environment) opened or listed, the secret nowhere."""
    forbidden = (os.path.realpath(here / OUTSIDE), "/proc/self/environ")
    for path in [*reads.opened, *reads.listed]:
        if not path:
            continue
        real = os.path.realpath(here / path)  # relative paths are relative to here
        assert not real.startswith(forbidden), (path, real)
    assert SECRET not in outcome.out + outcome.err


def _within(folder: Path, path: str) -> bool:
    real = os.path.realpath(folder / path)
    return (real + os.sep).startswith(os.path.realpath(folder) + os.sep)


@contextlib.contextmanager
def template_bounds(seconds: float) -> Iterator[None]:
    """Lower the user-template bounds for the fuzz run (module attributes)."""
    saved = (sandbox.SECONDS, sandbox.MAX_OUTPUT, sandbox.MAX_VALUE)
    sandbox.SECONDS, sandbox.MAX_OUTPUT, sandbox.MAX_VALUE = seconds, 1 << 20, 1 << 20
    try:
        yield
    finally:
        sandbox.SECONDS, sandbox.MAX_OUTPUT, sandbox.MAX_VALUE = saved


def make_outside(here: Path) -> None:
    (here / OUTSIDE).mkdir()
    (here / OUTSIDE / "secret.yaml").write_text(f"teams: []\nx-secret: {SECRET}\n")
    (here / OUTSIDE / "index.html.j2").write_text(SECRET)


def make_layout(here: Path, layout: Layout) -> None:
    for rel in layout.dirs:
        (here / rel).mkdir(parents=True, exist_ok=True)
    write_tree(here, dict(layout.files))
    for rel, target in layout.links.items():
        link = here / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if not os.path.lexists(link):
            relative = target in (".", "..", "../..")
            link.symlink_to(target if relative or target.startswith("/") else here / target)
    for rel in layout.fifos:
        if not os.path.lexists(here / rel):
            os.mkfifo(here / rel)


# ------------------------------------------------------------ YAML structure


@FAST
@given(playbooks(), alias_bombs(), st.data())
def test_aliases_anywhere_never_crash(
    files: dict[str, str], bomb: str, data: st.DataObject
) -> None:
    with inside_tmp():
        name = data.draw(st.sampled_from(sorted(files)))
        text = files[name]
        where = data.draw(st.sampled_from(["x-bomb", "description", "teams", "end"]))
        if where == "end":
            text += f"x-bomb:{bomb}\n"
        else:
            text = f"{where}:{bomb}\n" + text
        root = write_tree(Path("pb"), {**files, name: text})
        outcome = cli("check", str(root), "--format", "json")
        assert outcome.code in (0, 1, 2)


@st.composite
def _numbered(draw: st.DrawFn, files: dict[str, str]) -> dict[str, str]:
    """``files`` with some numbers, probabilities, targets and durations made hostile."""
    import re

    keys = re.compile(r"^(\s*-?\s*)(probability|target|points|max|respond_within|days)(:).*$", re.M)
    out = dict(files)
    for name, text in files.items():
        if draw(st.booleans()):

            def swap(match: re.Match[str]) -> str:
                value = draw(huge_durations if match[2] == "respond_within" else huge_numbers)
                return f"{match[1]}{match[2]}{match[3]} {value}"

            out[name] = keys.sub(swap, text)
    return out


@FAST
@given(playbooks().flatmap(_numbered), huge_numbers, huge_durations)
def test_huge_numbers_in_every_numeric_field_never_crash(
    files: dict[str, str], number: str, duration: str
) -> None:
    with inside_tmp():
        files = dict(files)
        files["playbook.yaml"] += (
            f"kpis:\n  - id: k\n    name: K\n    owner: nobody\n    target: {number}\n"
            f"x-number: {number}\nx-duration: {duration}\n"
        )
        root = write_tree(Path("pb"), dict(files))
        outcome = cli("check", str(root), "--format", "json")
        if outcome.code != 2:
            built = cli("build", str(root), "-o", "out", "--only", "html,markdown,csv", "--force")
            assert built.code in (0, 1, 2)


# ------------------------------------------------------------ includes and layouts


@FAST
@given(st.lists(include_patterns(), min_size=1, max_size=3), layouts())
def test_hostile_includes_and_layouts_read_nothing_outside_in_bounded_work(
    patterns: list[str], layout: Layout
) -> None:
    with inside_tmp() as here:
        make_outside(here)
        make_layout(here, layout)
        listed = "".join(f"  - {p!r}\n" for p in patterns).replace("\\x00", "\\0")
        (here / "pb" / "playbook.yaml").write_text(BASE + "include:\n" + listed.replace("'", '"'))
        with watching_reads() as reads:
            outcome = cli("check", "pb", "--format", "json")
        assert outcome.code in (0, 1, 2)
        assert_nothing_read_outside(here, reads, outcome)
        # each real folder is listed at most once per pattern position
        folders = 1 + len(layout.dirs) + len(layout.links)
        positions = sum(len(p.split("/")) + 1 for p in patterns)
        inside = [p for p in reads.listed if p and _within(here, p)]  # not the imports
        assert len(inside) <= folders * positions, (len(inside), folders, positions)


@FAST
@given(include_patterns(), st.lists(st.sampled_from(["d", "x.yaml", "a", "**"]), max_size=60))
def test_git_side_patterns_match_in_linear_steps(pattern: str, parts: list[str]) -> None:
    try:
        compiled = Pattern(pattern)
    except PatternError:
        return
    steps = 0
    real_step = compiled.step

    def counted(states: frozenset[int], name: str) -> frozenset[int]:
        nonlocal steps
        steps += 1 + len(states)
        return real_step(states, name)

    compiled.step = counted  # type: ignore[method-assign]
    compiled.matches("/".join(parts) or "x.yaml")
    segments = len(compiled.segments) + 1
    assert steps <= (len(parts) + 1) * (segments + 1), (steps, pattern, len(parts))


# ------------------------------------------------------------ user templates


@settings(FAST, max_examples=BUILD_EXAMPLES)
@given(playbooks(), user_templates(), template_links, layouts())
def test_hostile_user_templates_are_bounded_and_read_nothing_outside(
    files: dict[str, str], templates: dict[str, str], links: dict[str, str], layout: Layout
) -> None:
    with inside_tmp() as here, template_bounds(seconds=0.5):
        make_outside(here)
        write_tree(here / "pb", dict(files))
        make_layout(here, Layout(links=layout.links))
        write_tree(here / "tpl", dict(templates))
        for rel, target in links.items():
            path = here / "tpl" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if not os.path.lexists(path):
                path.symlink_to(target if target.startswith("/") else here / target)
        (here / "tpl" / "html").mkdir(parents=True, exist_ok=True)
        if not os.path.lexists(here / "tpl" / "html" / "fifo.j2"):
            os.mkfifo(here / "tpl" / "html" / "fifo.j2")
        with watching_reads() as reads:
            outcome = cli(
                *("build", "pb", "-o", "site", "--only", "html,markdown"),
                *("--templates", "tpl", "--force"),
            )
        assert_nothing_read_outside(here, reads, outcome)
        if outcome.code == 2:
            # one clean error naming a template (or the playbook), nothing else
            assert outcome.err.startswith("gtmplay: error: "), outcome.err
            assert outcome.err.count("\n") == 1, outcome.err
        else:
            built = read_tree(here / "site")
            assert not any(SECRET.encode() in data for data in built.values())
