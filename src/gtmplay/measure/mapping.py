"""CRM stage and status names -> playbook ids.

A name in the data maps to a stage (for deals) or a lifecycle step (for
leads). Three sources declare names, the first that knows a name wins:

1. ``measure.names``: names the CRM uses ("Closed Won" -> ``won``); a name
   there maps for deals when its id is a stage and for leads when it is a
   lifecycle step.
2. the ``crm:`` section, the names import wrote and export writes
   (:mod:`gtmplay.crm.measure_names` reads them from the typed settings).
3. each stage's and lifecycle step's id and name (which is also the HubSpot
   stage label and the Pipedrive stage name export writes).

Within one source a name that maps to two different ids is an error naming
both declarations (:func:`conflicts`). Names are compared folded
(:func:`fold`); the engine folds the data the same way in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gtmplay.model import JsonPath, Playbook

Names = dict[tuple[str, str], str]

# the sources, in order of precedence
MEASURE, CRM, PLAYBOOK = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Declared:
    """One name that maps to a playbook id, and the key that declares it."""

    kind: str  # "deal" or "lead"
    name: str  # as written
    target: str  # stage or lifecycle step id
    source: int  # MEASURE, CRM or PLAYBOOK
    path: JsonPath  # in the merged document, for the source map

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, fold(self.name)


def fold(name: str) -> str:
    return " ".join(name.split()).lower()


def declared_names(playbook: Playbook) -> Mapping[str, Any]:
    raw = playbook.measure.get("names") if isinstance(playbook.measure, Mapping) else None
    return raw if isinstance(raw, Mapping) else {}


def declarations(playbook: Playbook, crm: Iterable[Declared] = ()) -> list[Declared]:
    """Every name the playbook declares, in order of precedence then of the file.

    ``crm`` are the names of the ``crm:`` section
    (:func:`gtmplay.crm.measure_names.crm_names`): measure does not import the
    CRM code, which imports the renderers, which import measure.
    """
    stages = {s.id for s in playbook.stages}
    steps = {s.id for s in playbook.lifecycle}
    out: list[Declared] = []
    for name, target in declared_names(playbook).items():
        if str(name).startswith("x-") or not isinstance(target, str):
            continue
        for kind, ids in (("deal", stages), ("lead", steps)):
            if target in ids:
                out.append(Declared(kind, str(name), target, MEASURE, ("measure", "names", name)))
    out += (d for d in crm if d.target in (stages if d.kind == "deal" else steps))
    for kind, items in (("deal", playbook.stages), ("lead", playbook.lifecycle)):
        for item in items:
            out.append(Declared(kind, item.id, item.id, PLAYBOOK, (*item.path, "id")))
            out.append(Declared(kind, item.name, item.id, PLAYBOOK, (*item.path, "name")))
    return out


def _winners(playbook: Playbook, crm: Iterable[Declared]) -> dict[tuple[str, str], list[Declared]]:
    """For each folded name, the declarations of the first source that has it."""
    won: dict[tuple[str, str], list[Declared]] = {}
    for d in declarations(playbook, crm):
        first = won.setdefault(d.key, [d])
        if first[0] is not d and first[0].source == d.source:
            first.append(d)
    return won


def names(playbook: Playbook, crm: Iterable[Declared] = ()) -> Names:
    """``(kind, folded name) -> id`` for every name the playbook knows."""
    return {key: found[0].target for key, found in _winners(playbook, crm).items()}


def conflicts(playbook: Playbook, crm: Iterable[Declared] = ()) -> list[tuple[Declared, Declared]]:
    """Pairs of declarations of one source that map one name to two different ids."""
    out: list[tuple[Declared, Declared]] = []
    for found in _winners(playbook, crm).values():
        other = next((d for d in found if d.target != found[0].target), None)
        if other is not None:
            out.append((found[0], other))
    return out


def unknown_targets(playbook: Playbook) -> list[tuple[str, str]]:
    """``measure.names`` entries whose id is neither a stage nor a lifecycle step."""
    known = {s.id for s in playbook.stages} | {s.id for s in playbook.lifecycle}
    return [
        (str(name), str(target))
        for name, target in declared_names(playbook).items()
        if not str(name).startswith("x-") and target not in known
    ]
