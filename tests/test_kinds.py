"""The kinds table (``model.KINDS``) is the one list of object kinds.

Everything that walks "every object" reads it; these tests fail when a model
class with an id is added without being declared there, or a reference names
a kind that does not exist.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing

from gtmplay import model
from gtmplay.model import KIND, KINDS, Playbook, build_playbook
from gtmplay.resolve import Index


def _classes_with_ids() -> set[type]:
    return {
        cls
        for _, cls in inspect.getmembers(model, inspect.isclass)
        if dataclasses.is_dataclass(cls)
        and {"id", "path"} <= {f.name for f in dataclasses.fields(cls)}
    }


def test_every_model_class_with_an_id_is_a_kind() -> None:
    assert {kind.cls for kind in KINDS} == _classes_with_ids()
    assert len({kind.key for kind in KINDS}) == len(KINDS)


def test_every_list_of_the_playbook_is_built_from_its_kind() -> None:
    hints = typing.get_type_hints(Playbook)
    lists = {
        f.name for f in dataclasses.fields(Playbook) if typing.get_origin(hints[f.name]) is tuple
    }
    assert lists == {kind.section for kind in KINDS if kind.section}


def test_every_reference_names_a_kind() -> None:
    refs = [
        (cls.__name__, f.name, target)
        for cls in (*_classes_with_ids(), model.Liaison, model.Scoring)
        for f in dataclasses.fields(cls)
        for target in f.metadata.get("ref", ())
    ]
    assert refs
    assert [r for r in refs if r[2] not in KIND] == []


def test_labels_and_titles() -> None:
    assert [(k.key, k.label, k.title, k.plural) for k in KINDS if k.key == "kpi"] == [
        ("kpi", "KPI", "KPI", "KPIs")
    ]
    assert KIND["lifecycle step"].title == "Lifecycle step"
    assert not KIND["scoring signal"].suppressible
    assert KIND["stage"].suppressible


def test_index_holds_the_first_object_of_each_id() -> None:
    playbook = build_playbook(
        {
            "gtmplay": 1,
            "name": "T",
            "teams": [
                {"id": "sales", "name": "Sales"},
                {"id": "sales", "name": "Second"},
                {"id": "cs", "name": "Success"},
            ],
            "stages": [{"id": "won", "probability": 100, "forecast": "closed", "outcome": "won"}],
        }
    )
    index = Index.of(playbook)
    assert [(i, t.name) for i, t in index.teams.items()] == [("sales", "Sales"), ("cs", "Success")]
    assert index.stages["won"].won
    assert index.ids("team", "stage") == {"sales", "cs", "won"}
    assert index.personas == {}


def test_checks_are_typed_and_round_trip() -> None:
    raw = {"rules": {"GTM101": "warning"}, "fail_on": "warning"}
    playbook = build_playbook({"gtmplay": 1, "name": "T", "checks": raw})
    assert playbook.checks == model.Checks(rules={"GTM101": "warning"}, fail_on="warning")
    assert playbook.checks.to_raw() == raw
    assert build_playbook({"gtmplay": 1, "name": "T"}).checks.to_raw() == {}
