"""CRM stage and status names -> playbook ids.

By default a name in the data maps to the stage (for deals) or lifecycle step
(for leads) whose id or name it is, ignoring case and runs of spaces. The
playbook's ``measure.names`` adds names the CRM uses ("Closed Won" -> ``won``);
a name there maps for deals when its id is a stage and for leads when it is a
lifecycle step. Names are compared folded (:func:`fold`); the engine folds the
data the same way in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gtmplay.model import Playbook

Names = dict[tuple[str, str], str]


def fold(name: str) -> str:
    return " ".join(name.split()).lower()


def declared_names(playbook: Playbook) -> Mapping[str, Any]:
    raw = playbook.measure.get("names") if isinstance(playbook.measure, Mapping) else None
    return raw if isinstance(raw, Mapping) else {}


def names(playbook: Playbook) -> Names:
    """``(kind, folded name) -> id`` for every name the playbook knows."""
    out: Names = {}
    stages = {s.id for s in playbook.stages}
    steps = {s.id for s in playbook.lifecycle}
    # explicit names first: they win over a stage that happens to share the name
    for name, target in declared_names(playbook).items():
        if str(name).startswith("x-") or not isinstance(target, str):
            continue
        if target in stages:
            out.setdefault(("deal", fold(str(name))), target)
        if target in steps:
            out.setdefault(("lead", fold(str(name))), target)
    for stage in playbook.stages:
        for name in (stage.id, stage.name):
            out.setdefault(("deal", fold(name)), stage.id)
    for step in playbook.lifecycle:
        for name in (step.id, step.name):
            out.setdefault(("lead", fold(name)), step.id)
    return out


def unknown_targets(playbook: Playbook) -> list[tuple[str, str]]:
    """``measure.names`` entries whose id is neither a stage nor a lifecycle step."""
    known = {s.id for s in playbook.stages} | {s.id for s in playbook.lifecycle}
    return [
        (str(name), str(target))
        for name, target in declared_names(playbook).items()
        if not str(name).startswith("x-") and target not in known
    ]
