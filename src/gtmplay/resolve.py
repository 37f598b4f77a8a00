"""References between playbook objects: ids are unique, every reference resolves.

Each reference is reported at the referring node, with a suggestion from the
ids of the kind it should name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from gtmplay.didyoumean import Suggester
from gtmplay.findings import Finding, at
from gtmplay.model import (
    KIND,
    KINDS,
    Activity,
    Asset,
    JsonPath,
    Kpi,
    LifecycleStep,
    Market,
    Persona,
    Playbook,
    Stage,
    Team,
    yaml_key,
)
from gtmplay.paths import semantic_path
from gtmplay.ruleids import REF_DUPLICATE_ID, REF_UNRESOLVED
from gtmplay.sourcemap import SourceMap


def first_by_id(items: Iterable[Any]) -> dict[str, Any]:
    """Objects by id; of a duplicated id the first (GTM021 reports the others)."""
    out: dict[str, Any] = {}
    for item in items:
        out.setdefault(item.id, item)
    return out


@dataclass(frozen=True, slots=True)
class Index:
    """Every object of the playbook by kind key (see ``model.KINDS``) and id."""

    objects: Mapping[str, Mapping[str, Any]]

    @classmethod
    def of(cls, playbook: Playbook) -> Index:
        return cls({kind.key: first_by_id(kind.items(playbook)) for kind in KINDS})

    def ids(self, *kinds: str) -> frozenset[str]:
        """The ids of objects of any of ``kinds``."""
        return frozenset(i for kind in kinds for i in self.objects[kind])

    @property
    def teams(self) -> Mapping[str, Team]:
        return self.objects["team"]

    @property
    def markets(self) -> Mapping[str, Market]:
        return self.objects["market"]

    @property
    def personas(self) -> Mapping[str, Persona]:
        return self.objects["persona"]

    @property
    def steps(self) -> Mapping[str, LifecycleStep]:
        return self.objects["lifecycle step"]

    @property
    def stages(self) -> Mapping[str, Stage]:
        return self.objects["stage"]

    @property
    def assets(self) -> Mapping[str, Asset]:
        return self.objects["asset"]

    @property
    def activities(self) -> Mapping[str, Activity]:
        return self.objects["activity"]

    @property
    def kpis(self) -> Mapping[str, Kpi]:
        return self.objects["kpi"]


@dataclass(slots=True)
class _Target:
    """What a reference field may name: its label, the known ids, a suggester.

    Made once per combination of kinds, not per reference: the ids of 10,000
    activities copied for each of their fields made resolution quadratic.
    """

    label: str
    known: frozenset[str]
    unknowable: bool = False  # its section was left out (schema errors): no finding is sure
    _suggest: Suggester | None = None

    def hint(self, value: str) -> str:
        if self._suggest is None:  # built on the first unresolved reference only
            self._suggest = Suggester(self.known)
        return self._suggest(value) or (
            f"known {self.label} ids: {', '.join(sorted(self.known))}"
            if 0 < len(self.known) <= 10
            else f"no {self.label} has that id"
        )


class _Checker:
    def __init__(self, doc: Any, smap: SourceMap, index: Index, left_out: frozenset[str]) -> None:
        self.doc = doc
        self.smap = smap
        self.index = index
        self.left_out = left_out
        self.findings: list[Finding] = []
        self._targets: dict[tuple[str, ...], _Target] = {}
        self._fields: dict[type, list[tuple[str, str, _Target]]] = {}

    def reference_fields(self, cls: type) -> list[tuple[str, str, _Target]]:
        """(attribute, YAML key, target) of each reference field of ``cls``.

        Read from the dataclass fields once per class, not once per object
        (``fields()`` per activity was a tenth of resolving).
        """
        found = self._fields.get(cls)
        if found is None:
            found = self._fields[cls] = [
                (f.name, yaml_key(f), self.target(f.metadata["ref"]))
                for f in fields(cls)
                if f.metadata.get("ref")
            ]
        return found

    def target(self, kinds: tuple[str, ...]) -> _Target:
        found = self._targets.get(kinds)
        if found is None:
            label = " or ".join(KIND[k].label for k in kinds)
            unknowable = any(KIND[k].top in self.left_out for k in kinds)
            found = self._targets[kinds] = _Target(label, self.index.ids(*kinds), unknowable)
        return found

    def report(self, path: JsonPath, rule: tuple[str, str], message: str, hint: str = "") -> None:
        self.findings.append(
            at(
                self.smap.locate(self.doc, path),
                rule,
                message,
                path=semantic_path(self.doc, path),
                hint=hint,
            )
        )

    def unique(self, kind: str, items: Sequence[Any]) -> None:
        first: dict[str, JsonPath] = {}
        for item in items:
            if item.id in first:
                where = self.smap.locate(self.doc, first[item.id])
                self.report(
                    (*item.path, "id"),
                    REF_DUPLICATE_ID,
                    f"{kind} id {item.id!r} is already used at {where.file}:{where.line}",
                    "ids must be unique: rename one of them",
                )
            else:
                first[item.id] = item.path

    def ref(self, value: str, path: JsonPath, target: _Target) -> None:
        """Report the unresolved reference ``value`` at ``path``."""
        if target.unknowable:
            return  # its section was left out: the target may be there
        self.report(path, REF_UNRESOLVED, f"unknown {target.label} {value!r}", target.hint(value))


def resolve(
    playbook: Playbook, doc: Any, smap: SourceMap, left_out: frozenset[str] = frozenset()
) -> tuple[Index, list[Finding]]:
    """Check ids and references; returns the index and the findings.

    Which fields are references, and to what, is the ``ref`` metadata of the
    model's fields. A reference to a kind whose top-level section is in
    ``left_out`` (it failed the schema, so the pipeline left it out) is not
    reported: its target may well be there once the section is fixed.
    """
    index = Index.of(playbook)
    c = _Checker(doc, smap, index, left_out)
    holders: list[Any] = []
    for kind in KINDS:
        items = kind.items(playbook)
        c.unique(kind.label, items)
        holders += items
    holders += [one for one in (playbook.liaison, playbook.scoring) if one is not None]
    for obj in holders:
        _references(c, obj)
    return index, c.findings


def _references(c: _Checker, obj: Any) -> None:
    for name, key, target in c.reference_fields(type(obj)):
        value = getattr(obj, name)
        if value is None:
            continue
        known = target.known
        if isinstance(value, tuple):
            # the path is made only for a reference that does not resolve
            for i, one in enumerate(value):
                if one not in known:
                    c.ref(one, (*obj.path, key, i), target)
        elif value not in known:
            c.ref(value, (*obj.path, key), target)
