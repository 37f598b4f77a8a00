"""Properties of ``gtmplay diff`` on generated playbooks."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from fuzz.strategies import playbooks
from gtmplay.diff import diff
from gtmplay.pipeline import check_path
from gtmplay.report.diff_formats import render

from .support import cli, inside_tmp, write_tree

FAST = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(playbooks(), playbooks())
def test_diff_is_empty_on_itself_deterministic_and_mirrored(
    a_files: dict[str, str], b_files: dict[str, str]
) -> None:
    with inside_tmp() as here:
        a = write_tree(here / "a", a_files)
        b = write_tree(here / "b", b_files)
        old, new = (
            check_path(str(a), rules=False).playbook,
            check_path(str(b), rules=False).playbook,
        )
        if old is None or new is None:
            return  # not valid: diff needs two playbooks (its error path is tested elsewhere)
        assert diff(old, old).empty
        forward = diff(old, new)
        backward = diff(new, old)
        added = sorted((o.kind, o.id) for o in forward.objects if o.change == "added")
        removed = sorted((o.kind, o.id) for o in backward.objects if o.change == "removed")
        assert added == removed
        gained = sorted(
            (c.kind, c.target, c.persona or "") for c in forward.coverage if c.status == "gained"
        )
        lost = sorted(
            (c.kind, c.target, c.persona or "") for c in backward.coverage if c.status == "lost"
        )
        assert gained == lost
        first = cli("diff", str(Path("a")), str(Path("b")), "--format", "json")
        again = cli("diff", str(Path("a")), str(Path("b")), "--format", "json")
        assert first.code == 0 and first.out == again.out
        assert json.loads(first.out)["version"] == 1
        # the command reads a file both sides share once: same report as two separate checks
        assert first.out == render("json", diff(old, new, "a", "b"))
        same = cli("diff", "a", "a", "--format", "json")
        assert same.out == render("json", diff(old, old, "a", "a"))
