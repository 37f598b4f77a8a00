"""What a change does to a playbook, in business terms.

:func:`diff` compares two :class:`~gtmplay.model.Playbook` values and returns
a :class:`ChangeSet`: objects added, removed and changed (by id, field by
field), a change in the order of the sales stages, and activity coverage
gained and lost per stage, lifecycle step and persona. Pure: no files, no
git (``gtmplay diff`` in :mod:`gtmplay.services.diff` reads the two sides). Renderers
are in :mod:`gtmplay.report.diff_formats`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from gtmplay.coverage import Coverage, coverage
from gtmplay.model import KINDS, Playbook, yaml_key

Value = str | int | float | bool | None | tuple[str, ...]
Change = Literal["added", "removed", "changed"]

_SKIP = frozenset({"path", "suppress", "id", "respond_within_hours", "window_hours"})


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # "probability", "sla.respond_within"
    old: Value
    new: Value


@dataclass(frozen=True, slots=True)
class ObjectChange:
    kind: str
    id: str
    name: str
    change: Change
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True)
class CoverageChange:
    """Activities supporting a stage or step (for one persona, or all of them)."""

    kind: str  # "stage" or "lifecycle step"
    target: str
    name: str
    persona: str | None
    persona_name: str | None
    old: int
    new: int

    @property
    def status(self) -> str:
        """``lost`` (none left), ``gained`` (none before), else ``reduced`` or ``increased``."""
        if not self.new:
            return "lost"
        if not self.old:
            return "gained"
        return "reduced" if self.new < self.old else "increased"


@dataclass(frozen=True, slots=True)
class ChangeSet:
    old_label: str
    new_label: str
    objects: tuple[ObjectChange, ...] = ()
    settings: tuple[FieldChange, ...] = ()  # strategy choices, scoring threshold
    stage_order: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    coverage: tuple[CoverageChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.objects or self.settings or self.stage_order or self.coverage)

    def field_changes(self, kind: str, prefix: str) -> list[tuple[ObjectChange, FieldChange]]:
        """Changed fields of ``kind`` objects whose name starts with ``prefix``."""
        return [
            (obj, fc)
            for obj in self.objects
            if obj.kind == kind
            for fc in obj.fields
            if fc.field.startswith(prefix)
        ]

    @property
    def probability_changes(self) -> list[tuple[ObjectChange, FieldChange]]:
        return self.field_changes("stage", "probability")

    @property
    def sla_changes(self) -> list[tuple[ObjectChange, FieldChange]]:
        return self.field_changes("handoff", "sla")


# SLA fields where more is a stronger promise (+1) or a weaker one (-1); the
# window is left out: more days of attempts is more persistence but slower follow-up
_SLA_MORE = {"sla.respond_within": -1, "sla.attempts": +1}


def sla_effect(fc: FieldChange) -> str:
    """``weaker`` or ``stronger`` for a changed SLA promise, else ``""``.

    Answering later or trying fewer times is weaker; a promise dropped is
    weaker and one added stronger.
    """
    sign = _SLA_MORE.get(fc.field)
    if sign is None:
        return ""
    if fc.old is None or fc.new is None:
        return "" if fc.old == fc.new else ("stronger" if fc.old is None else "weaker")
    try:
        old, new = _amount(fc.field, fc.old), _amount(fc.field, fc.new)
    except (TypeError, ValueError):
        return ""
    if old == new:
        return ""
    return "stronger" if (new > old) == (sign > 0) else "weaker"


def _amount(field: str, value: Value) -> float:
    from gtmplay.durations import hours

    if field == "sla.respond_within":
        return hours(str(value))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(field)
    return float(value)


def _value(value: Any) -> Value:
    if isinstance(value, tuple):
        return tuple(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def flatten(obj: Any, prefix: str = "") -> dict[str, Value]:
    """The comparable fields of a model object: nested ones as ``sla.window``."""
    out: dict[str, Value] = {}
    for f in dataclasses.fields(obj):
        if f.name in _SKIP:
            continue
        value = getattr(obj, f.name)
        name = prefix + yaml_key(f)
        if dataclasses.is_dataclass(value):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            continue  # nested objects have a kind of their own
        else:
            out[name] = _value(value)
    return out


def _fields(old: dict[str, Value], new: dict[str, Value]) -> tuple[FieldChange, ...]:
    names = list(dict.fromkeys([*old, *new]))
    return tuple(FieldChange(n, old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n))


def _objects(kind: str, old: Sequence[Any], new: Sequence[Any]) -> list[ObjectChange]:
    before = {o.id: o for o in old}
    after = {o.id: o for o in new}
    out = [ObjectChange(kind, o.id, o.name, "removed") for o in old if o.id not in after]
    for o in new:
        if o.id not in before:
            out.append(ObjectChange(kind, o.id, o.name, "added"))
            continue
        if before[o.id] == o:
            # equal in every field, its place in the file included: no field can
            # differ (the common case by far, and flattening is most of a diff)
            continue
        fields = _fields(flatten(before[o.id]), flatten(o))
        if fields:
            out.append(ObjectChange(kind, o.id, o.name, "changed", fields))
    return out


def _settings(old: Playbook, new: Playbook) -> tuple[FieldChange, ...]:
    def values(p: Playbook) -> dict[str, Value]:
        s, sc = p.strategy, p.scoring
        return {
            "strategy.innovation": s.innovation if s else None,
            "strategy.value": s.value if s else None,
            "strategy.brand": s.brand if s else None,
            "strategy.sales_role": s.sales_role if s else None,
            "scoring.threshold": sc.threshold if sc else None,
            "scoring.mql": sc.mql if sc else None,
        }

    return _fields(values(old), values(new))


def _coverage(old: Playbook, new: Playbook) -> list[CoverageChange]:
    before, after = coverage(old), coverage(new)
    personas = {p.id: p.name for p in (*old.personas, *new.personas)}
    out: list[CoverageChange] = []
    for kind, items in (("stage", new.stages), ("lifecycle step", new.lifecycle)):
        known = {t.id for t in (old.stages if kind == "stage" else old.lifecycle)}
        for target in items:
            if target.id not in known:
                continue  # an added stage is reported as added, not as coverage
            out += _target_changes(kind, target.id, target.name, before, after, personas)
    return out


def _target_changes(
    kind: str, target: str, name: str, before: Coverage, after: Coverage, personas: dict[str, str]
) -> list[CoverageChange]:
    out = []
    if before.count(target) != after.count(target):
        out.append(
            CoverageChange(
                kind, target, name, None, None, before.count(target), after.count(target)
            )
        )
    for pid, pname in personas.items():
        a, b = before.count(target, pid), after.count(target, pid)
        if a != b:
            out.append(CoverageChange(kind, target, name, pid, pname, a, b))
    return out


def diff(old: Playbook, new: Playbook, old_label: str = "old", new_label: str = "new") -> ChangeSet:
    """Every change from ``old`` to ``new``; deterministic, in playbook order."""
    objects: list[ObjectChange] = []
    for kind in KINDS:
        objects += _objects(kind.key, kind.items(old), kind.items(new))
    new_ids = {s.id for s in new.stages}
    old_ids = {s.id for s in old.stages}
    kept_old = tuple(s.id for s in old.stages if s.id in new_ids)
    kept_new = tuple(s.id for s in new.stages if s.id in old_ids)
    return ChangeSet(
        old_label=old_label,
        new_label=new_label,
        objects=tuple(objects),
        settings=_settings(old, new),
        stage_order=(kept_old, kept_new) if kept_old != kept_new else None,
        coverage=tuple(_coverage(old, new)),
    )
