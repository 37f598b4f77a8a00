"""References between playbook objects: ids are unique, every reference resolves.

Each reference is reported at the referring node, with a suggestion from the
ids of the kind it should name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gtmplay.didyoumean import suggest
from gtmplay.findings import Finding, at
from gtmplay.model import JsonPath, Playbook
from gtmplay.paths import semantic_path
from gtmplay.ruleids import REF_DUPLICATE_ID, REF_UNRESOLVED
from gtmplay.sourcemap import SourceMap


@dataclass(frozen=True, slots=True)
class Index:
    """Every id of the playbook, by kind; the rules use it too."""

    teams: frozenset[str]
    markets: frozenset[str]
    personas: frozenset[str]
    lifecycle: frozenset[str]
    stages: frozenset[str]
    assets: frozenset[str]
    activities: frozenset[str]
    kpis: frozenset[str]

    @classmethod
    def of(cls, playbook: Playbook) -> Index:
        def ids(items: Iterable[Any]) -> frozenset[str]:
            return frozenset(item.id for item in items)

        return cls(
            teams=ids(playbook.teams),
            markets=ids(playbook.markets),
            personas=ids(playbook.personas),
            lifecycle=ids(playbook.lifecycle),
            stages=ids(playbook.stages),
            assets=ids(playbook.assets),
            activities=ids(playbook.activities),
            kpis=ids(playbook.kpis),
        )


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
    """Check ids and references; returns the id index and the findings."""
    index = Index.of(playbook)
    c = _Checker(doc, smap)
    for kind, items in (
        ("team", playbook.teams),
        ("market", playbook.markets),
        ("persona", playbook.personas),
        ("lifecycle step", playbook.lifecycle),
        ("stage", playbook.stages),
        ("asset", playbook.assets),
        ("activity", playbook.activities),
        ("handoff", playbook.handoffs),
        ("KPI", playbook.kpis),
        ("meeting", playbook.cadence),
    ):
        c.unique(kind, items)
    if playbook.scoring:
        c.unique("scoring signal", playbook.scoring.signals)

    def team(value: str | None, path: JsonPath) -> None:
        c.ref(value, path, "team", index.teams)

    step_or_stage = index.lifecycle | index.stages
    for persona in playbook.personas:
        c.refs(persona.markets, (*persona.path, "markets"), "market", index.markets)
    if playbook.liaison:
        team(playbook.liaison.team, (*playbook.liaison.path, "team"))
    for step in playbook.lifecycle:
        team(step.owner, (*step.path, "owner"))
    for stage in playbook.stages:
        team(stage.owner, (*stage.path, "owner"))
    for act in playbook.activities:
        team(act.owner, (*act.path, "owner"))
        c.refs(act.supports, (*act.path, "supports"), "stage or lifecycle step", step_or_stage)
        c.refs(act.personas, (*act.path, "personas"), "persona", index.personas)
        c.refs(act.markets, (*act.path, "markets"), "market", index.markets)
        c.refs(act.assets, (*act.path, "assets"), "asset", index.assets)
    for handoff in playbook.handoffs:
        team(handoff.from_team, (*handoff.path, "from"))
        team(handoff.to_team, (*handoff.path, "to"))
        for key, value in (
            ("at", handoff.at),
            ("on_accept", handoff.on_accept),
            ("on_reject", handoff.on_reject),
        ):
            c.ref(value, (*handoff.path, key), "lifecycle step", index.lifecycle)
    if playbook.scoring:
        c.ref(playbook.scoring.mql, ("scoring", "mql"), "lifecycle step", index.lifecycle)
    for kpi in playbook.kpis:
        team(kpi.owner, (*kpi.path, "owner"))
        c.ref(kpi.stage, (*kpi.path, "stage"), "stage", index.stages)
        c.ref(kpi.from_step, (*kpi.path, "from"), "stage or lifecycle step", step_or_stage)
        c.ref(kpi.to_step, (*kpi.path, "to"), "stage or lifecycle step", step_or_stage)
    for meeting in playbook.cadence:
        team(meeting.owner, (*meeting.path, "owner"))
        c.refs(meeting.attendees, (*meeting.path, "attendees"), "team", index.teams)
        c.refs(meeting.kpis, (*meeting.path, "kpis"), "KPI", index.kpis)
    return index, c.findings
