"""The cyclic collector around a check: paused, and nothing left for it to walk."""

from __future__ import annotations

import gc
from pathlib import Path

from gtmplay.gcpause import no_cyclic_gc
from gtmplay.pipeline import check_path

EXAMPLE = Path(__file__).resolve().parents[1] / "playbooks" / "acme"


def test_a_check_leaves_no_young_objects_for_the_collector() -> None:
    assert gc.isenabled()
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        frozen = gc.get_freeze_count()
        result = check_path(str(EXAMPLE))
        young = gc.get_count()[0]
    finally:
        gc.callbacks.remove(seen)
    assert result.playbook is not None  # the check made a model...
    assert collections == []  # ...with no collection while it ran or as it ended
    # ...and froze what it made: the next collection has nothing of it to walk.
    # Frozen objects sit in no generation, so gc.get_objects() does not list
    # them. (How many objects a freeze moves depends on what earlier tests in
    # the same worker left cached, so a count would be a flaky measure.)
    assert gc.get_freeze_count() > frozen
    model = [result.playbook, *result.playbook.stages, *result.playbook.activities]
    assert all(gc.is_tracked(obj) for obj in model)
    walked = {id(obj) for obj in gc.get_objects()}
    assert [obj for obj in model if id(obj) in walked] == []
    assert young < 100
    assert gc.isenabled()


def test_nested_pauses_restore_the_outer_state() -> None:
    with no_cyclic_gc():
        with no_cyclic_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with no_cyclic_gc():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
