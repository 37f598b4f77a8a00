"""CRM stage and status names -> playbook ids.

A name in the data maps to a stage (for deals) or a lifecycle step (for
leads). Three sources declare names, the first that knows a name wins:

1. ``measure.names``: names the CRM uses ("Closed Won" -> ``won``); a name
   there maps for deals when its id is a stage and for leads when it is a
   lifecycle step. ``measure.motions.<motion>.names`` maps deal names within
   one motion.
2. the ``crm:`` section, the names import wrote and export writes
   (:mod:`gtmplay.crm.measure_names` reads them from the typed settings); a
   Salesforce sales process's values and a HubSpot motion pipeline's stage ids
   belong to their motion.
3. each stage's and lifecycle step's id and name (which is also the HubSpot
   stage label and the Pipedrive stage name export writes).

A name is declared for one motion or for every motion (motion ``''``). The
engine maps a deal row of a motion by that motion's names first, then by the
names for every motion, so two motions can give one CRM name ("Discovery")
to two different stages. Within one source and motion a name that maps to
two different ids is an error naming both declarations (:func:`conflicts`).
Names are compared folded (:func:`fold`), once per distinct name in the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gtmplay.model import JsonPath, Playbook

# (motion, kind, folded name) -> id; motion '' for a name every motion shares
Names = dict[tuple[str, str, str], str]

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
    motion: str = ""  # the motion the name belongs to; '' for every motion

    @property
    def key(self) -> tuple[str, str, str]:
        return self.motion, self.kind, fold(self.name)


def fold(name: str) -> str:
    return " ".join(name.split()).lower()


def declared_names(playbook: Playbook) -> Mapping[str, Any]:
    raw = playbook.measure.get("names") if isinstance(playbook.measure, Mapping) else None
    return raw if isinstance(raw, Mapping) else {}


def motion_names(playbook: Playbook) -> dict[str, Mapping[str, Any]]:
    """``measure.motions``: motion id -> its ``names`` (CRM name -> stage id)."""
    raw = playbook.measure.get("motions") if isinstance(playbook.measure, Mapping) else None
    out: dict[str, Mapping[str, Any]] = {}
    for motion, entry in raw.items() if isinstance(raw, Mapping) else ():
        found = entry.get("names") if isinstance(entry, Mapping) else None
        if not str(motion).startswith("x-") and isinstance(found, Mapping):
            out[str(motion)] = found
    return out


def motion_stages(playbook: Playbook) -> dict[str, set[str]]:
    """Each declared motion's stage ids (none for a playbook without motions)."""
    return {m.id: set(m.stages) for m in playbook.sales_motions if not m.implicit}


def invalid_motion_names(playbook: Playbook) -> list[tuple[JsonPath, bool, str]]:
    """``measure.motions`` entries that name no motion, or a stage outside their motion.

    Each is the path of the entry, whether the key (the motion) rather than
    the value (the stage id) is wrong, and what is wrong, for an error there.
    """
    from gtmplay.didyoumean import suggest

    stages = motion_stages(playbook)
    out: list[tuple[JsonPath, bool, str]] = []
    for motion, found in motion_names(playbook).items():
        if motion not in stages:
            hint = suggest(motion, sorted(stages))
            out.append(
                (
                    ("measure", "motions", motion),
                    True,
                    f"measure.motions names {motion!r}, which is not a motion"
                    + (f" ({hint})" if hint else ""),
                )
            )
            continue
        for name, target in found.items():
            if not str(name).startswith("x-") and target not in stages[motion]:
                out.append(
                    (
                        ("measure", "motions", motion, "names", name),
                        False,
                        f"measure.motions.{motion}.names maps {str(name)!r} to {target!r}, "
                        f"which is not a stage of motion {motion!r}",
                    )
                )
    return out


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
    per_motion = motion_stages(playbook)
    for motion, found in motion_names(playbook).items():
        for name, target in found.items():
            if target in per_motion.get(motion, ()) and not str(name).startswith("x-"):
                path: JsonPath = ("measure", "motions", motion, "names", name)
                out.append(Declared("deal", str(name), target, MEASURE, path, motion))

    def fits(d: Declared) -> bool:
        if d.kind == "lead":
            return d.target in steps
        return d.target in (per_motion.get(d.motion, ()) if d.motion else stages)

    out += (d for d in crm if fits(d))
    for kind, items in (("deal", playbook.stages), ("lead", playbook.lifecycle)):
        for item in items:
            out.append(Declared(kind, item.id, item.id, PLAYBOOK, (*item.path, "id")))
            out.append(Declared(kind, item.name, item.id, PLAYBOOK, (*item.path, "name")))
    return out


def _winners(
    playbook: Playbook, crm: Iterable[Declared]
) -> dict[tuple[str, str, str], list[Declared]]:
    """For each folded name, the declarations of the first source that has it."""
    won: dict[tuple[str, str, str], list[Declared]] = {}
    for d in declarations(playbook, crm):
        first = won.setdefault(d.key, [d])
        if first[0] is not d and first[0].source == d.source:
            first.append(d)
    return won


def names(playbook: Playbook, crm: Iterable[Declared] = ()) -> Names:
    """``(motion, kind, folded name) -> id`` for every name the playbook knows.

    A name only motions declare, and every one of them to the same id, also
    maps for every motion: a deal the data names no motion for (a HubSpot
    export without the pipeline column) still maps by a pipeline's stage ids.
    """
    out = {key: found[0].target for key, found in _winners(playbook, crm).items()}
    shared: dict[tuple[str, str, str], set[str]] = {}
    for (motion, kind, name), target in out.items():
        if motion:
            shared.setdefault(("", kind, name), set()).add(target)
    for key, targets in shared.items():
        if key not in out and len(targets) == 1:
            out[key] = targets.pop()
    return out


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
