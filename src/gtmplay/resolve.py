"""References between playbook objects: ids are unique, every reference resolves.

Each reference is reported at the referring node, with a suggestion from the
ids of the kind it should name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from gtmplay.didyoumean import suggest
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


class _Checker:
    def __init__(self, doc: Any, smap: SourceMap) -> None:
        self.doc = doc
        self.smap = smap
        self.findings: list[Finding] = []

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

    def ref(self, value: str | None, path: JsonPath, kind: str, known: frozenset[str]) -> None:
        if value is None or value in known:
            return
        hint = suggest(value, known) or (
            f"known {kind} ids: {', '.join(sorted(known))}"
            if 0 < len(known) <= 10
            else f"no {kind} has that id"
        )
        self.report(path, REF_UNRESOLVED, f"unknown {kind} {value!r}", hint)

    def refs(self, values: Sequence[str], path: JsonPath, kind: str, known: frozenset[str]) -> None:
        for i, value in enumerate(values):
            self.ref(value, (*path, i), kind, known)


def resolve(playbook: Playbook, doc: Any, smap: SourceMap) -> tuple[Index, list[Finding]]:
    """Check ids and references; returns the index and the findings.

    Which fields are references, and to what, is the ``ref`` metadata of the
    model's fields.
    """
    index = Index.of(playbook)
    c = _Checker(doc, smap)
    holders: list[Any] = []
    for kind in KINDS:
        items = kind.items(playbook)
        c.unique(kind.label, items)
        holders += items
    holders += [one for one in (playbook.liaison, playbook.scoring) if one is not None]
    for obj in holders:
        _references(c, index, obj)
    return index, c.findings


def _references(c: _Checker, index: Index, obj: Any) -> None:
    for f in fields(obj):
        kinds: tuple[str, ...] = f.metadata.get("ref", ())
        if not kinds:
            continue
        label = " or ".join(KIND[k].label for k in kinds)
        known = index.ids(*kinds)
        value = getattr(obj, f.name)
        path = (*obj.path, yaml_key(f))
        if isinstance(value, tuple):
            c.refs(value, path, label, known)
        else:
            c.ref(value, path, label, known)
