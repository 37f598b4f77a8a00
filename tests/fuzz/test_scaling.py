"""Guards against quadratic work: counted, not timed (timings are flaky in CI).

``Playbook.team()``, ``stage()`` and ``step()`` scan a tuple; called once per
activity they would make a build quadratic in the number of activities. The
number of such scans must not grow with the activities.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gtmplay.cli import main
from gtmplay.model import Playbook
from gtmplay.services.build import TARGETS

from .support import bench_module


def _generate(root: Path, activities: int) -> None:
    bench_module("bench").generate(root, activities, 10)


def scans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, activities: int) -> Counter[str]:
    root = tmp_path / f"pb-{activities}"
    _generate(root, activities)
    counts: Counter[str] = Counter()
    for name in ("team", "stage", "step"):
        real = getattr(Playbook, name)

        def counted(self: Playbook, key: Any, _real: Any = real, _name: str = name) -> Any:
            counts[_name] += 1
            return _real(self, key)

        monkeypatch.setattr(Playbook, name, counted)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["check", str(root)]) == 0
        out = tmp_path / f"out-{activities}"
        assert main(["build", str(root), "-o", str(out), "--only", ",".join(TARGETS)]) == 0
    monkeypatch.undo()
    return counts


def test_lookups_by_id_do_not_grow_with_the_activities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = scans(tmp_path, monkeypatch, 20)
    large = scans(tmp_path, monkeypatch, 400)
    assert small["team"] > 0  # the lookups are seen at all
    assert large == small
