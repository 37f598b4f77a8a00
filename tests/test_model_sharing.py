"""Equal lists in a playbook become one tuple in its model (memory, not behaviour).

Many activities name the same personas, markets and metrics; the model keeps
one tuple for each distinct list (docs/performance.md, Memory). These tests
fail if each object gets its own copy again, or if the table of shared tuples
outlives the build.
"""

from __future__ import annotations

from typing import Any

from gtmplay import model
from gtmplay.model import build_playbook


def _activity(number: int, personas: list[Any]) -> dict[str, Any]:
    return {
        "id": f"act-{number}",
        "owner": "marketing",
        "supports": ["mql"],
        "personas": personas,
        "metrics": ["Registrations", "Pipeline"],
    }


def _doc(*activities: dict[str, Any]) -> dict[str, Any]:
    return {"gtmplay": 1, "name": "Shared", "activities": list(activities)}


def test_equal_lists_share_one_tuple_and_unequal_ones_do_not() -> None:
    playbook = build_playbook(
        _doc(
            _activity(1, ["cfo", "analyst"]),
            _activity(2, ["cfo", "analyst"]),
            _activity(3, ["analyst", "cfo"]),
        )
    )
    first, second, third = playbook.activities
    assert first.personas == second.personas == ("cfo", "analyst")
    assert first.personas is second.personas
    assert third.personas == ("analyst", "cfo")
    assert third.personas is not first.personas
    # across fields too: equal lists, one tuple
    assert first.metrics is second.metrics is third.metrics
    assert first.supports is third.supports


def test_nothing_is_kept_after_the_build() -> None:
    build_playbook(_doc(_activity(1, ["cfo"]), _activity(2, ["cfo"])))
    assert model._SHARED == {}


def test_a_list_that_cannot_be_hashed_is_kept_as_it_is() -> None:
    # the schema allows only text here, but the model must not fail on it
    odd = [{"name": "cfo"}]
    playbook = build_playbook(_doc(_activity(1, odd), _activity(2, odd)))
    first, second = playbook.activities
    assert first.personas == second.personas == ({"name": "cfo"},)
    assert model._SHARED == {}
