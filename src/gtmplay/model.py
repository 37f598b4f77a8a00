"""The typed, frozen playbook model.

A :class:`Playbook` is built from a document that already passed the JSON
Schema (``schemas/playbook.schema.json``), so the builders here trust types and
only fill defaults. Every object that lives in the YAML keeps ``path``: its
JSON path in the merged document (``("stages", 3)``), which the source map turns
back into ``file:line:column`` when a rule reports on it.

Renderers, exporters and rules read only this module's types; none of them
looks at raw YAML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from gtmplay.schemafiles import default

JsonPath = tuple[str | int, ...]

Outcome = Literal["open", "won", "lost"]
Forecast = Literal["pipeline", "best-case", "commit", "omitted", "closed"]
LifecycleKind = Literal["funnel", "recycle", "disqualified"]


@dataclass(frozen=True, slots=True)
class Suppression:
    """``suppress:`` entry on an object: silence one rule there, with a reason."""

    rule: str
    reason: str
    path: JsonPath


@dataclass(frozen=True, slots=True)
class Market:
    id: str
    name: str
    description: str
    segments: tuple[str, ...]
    regions: tuple[str, ...]
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Persona:
    id: str
    name: str
    title: str
    role: str  # economic-buyer, champion, user, technical-buyer, influencer, blocker
    description: str
    markets: tuple[str, ...]
    pains: tuple[str, ...]
    goals: tuple[str, ...]
    messaging: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class IdealCustomerProfile:
    description: str
    problems: tuple[str, ...]
    industries: tuple[str, ...]
    company_size: str
    regions: tuple[str, ...]
    disqualifiers: tuple[str, ...]
    path: JsonPath


@dataclass(frozen=True, slots=True)
class Strategy:
    """The go-to-market strategy every team aligns to.

    The four choices are ``None`` when the playbook leaves them out (a rule
    reports that); their allowed values are the schema's enums.
    """

    innovation: str | None  # product, process, business-impact
    value: str | None  # low-cost, total-solution, guaranteed-results
    brand: str | None  # dependable-purchase, fixes-operational-problems, business-advisor
    sales_role: str | None  # transaction-provider, trusted-specialist, political-insider
    summary: str
    markets: tuple[Market, ...]
    icp: IdealCustomerProfile | None
    personas: tuple[Persona, ...]
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    function: str  # marketing, sdr, sales, customer-success, revops, ...
    lead: str
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Liaison:
    name: str
    team: str | None
    responsibilities: tuple[str, ...]
    path: JsonPath


@dataclass(frozen=True, slots=True)
class LifecycleStep:
    """One status of the demand waterfall (inquiry, MQL, SAL, SQL, ...).

    ``kind`` is ``funnel`` for the ordered main line, ``recycle`` for nurture
    pools that rejected leads go back to, ``disqualified`` for dead ends.
    ``converted`` marks the step at which a lead becomes an opportunity.
    """

    id: str
    name: str
    owner: str | None
    kind: LifecycleKind
    converted: bool
    entry: str
    exit: str
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of the sales process, in order."""

    id: str
    name: str
    owner: str | None
    probability: int
    forecast: Forecast
    outcome: Outcome
    target_days: int | None
    entry: tuple[str, ...]
    exit: tuple[str, ...]
    guidance: str
    key_fields: tuple[str, ...]
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()

    @property
    def closed(self) -> bool:
        return self.outcome != "open"

    @property
    def won(self) -> bool:
        return self.outcome == "won"


@dataclass(frozen=True, slots=True)
class Asset:
    id: str
    name: str
    type: str
    url: str
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Activity:
    """A marketing or enablement activity and what it supports.

    ``supports`` holds stage ids and lifecycle step ids (one namespace each; a
    reference is looked up among stages first, then lifecycle steps).
    """

    id: str
    name: str
    owner: str | None
    kind: str
    supports: tuple[str, ...]
    personas: tuple[str, ...]
    markets: tuple[str, ...]
    assets: tuple[str, ...]
    metrics: tuple[str, ...]
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Sla:
    """Service level of a handoff. Durations are kept as written and in hours."""

    respond_within: str | None
    respond_within_hours: float | None
    attempts: int | None
    window: str | None
    window_hours: float | None
    path: JsonPath


@dataclass(frozen=True, slots=True)
class Handoff:
    id: str
    name: str
    from_team: str
    to_team: str
    at: str  # lifecycle step id
    accept: tuple[str, ...]
    sla: Sla | None
    reject_reasons: tuple[str, ...]
    on_accept: str | None  # lifecycle step id
    on_reject: str | None  # lifecycle step id (recycle / nurture)
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Signal:
    id: str
    name: str
    points: int
    type: str  # behavior or fit
    max: int | None  # cap on points from repeats of this signal
    path: JsonPath


@dataclass(frozen=True, slots=True)
class Scoring:
    threshold: int
    mql: str | None  # lifecycle step reached at the threshold
    signals: tuple[Signal, ...]
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Kpi:
    id: str
    name: str
    owner: str | None
    target: float | None
    unit: str  # percent, days, hours, count, currency, ratio
    kind: str  # conversion, win-rate, sales-cycle, time-in-stage, velocity, pipeline, ...
    direction: str  # higher or lower is better
    stage: str | None
    from_step: str | None
    to_step: str | None
    frequency: str
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Meeting:
    id: str
    name: str
    every: str  # daily, weekly, biweekly, monthly, quarterly, annually
    owner: str | None
    attendees: tuple[str, ...]
    kpis: tuple[str, ...]
    agenda: tuple[str, ...]
    duration: str | None
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Playbook:
    """The whole playbook, merged from the root file and its includes."""

    name: str
    description: str
    version: int
    strategy: Strategy | None
    teams: tuple[Team, ...]
    liaison: Liaison | None
    lifecycle: tuple[LifecycleStep, ...]
    stages: tuple[Stage, ...]
    assets: tuple[Asset, ...]
    activities: tuple[Activity, ...]
    handoffs: tuple[Handoff, ...]
    scoring: Scoring | None
    kpis: tuple[Kpi, ...]
    cadence: tuple[Meeting, ...]
    crm: Mapping[str, Any] = field(default_factory=dict)
    checks: Mapping[str, Any] = field(default_factory=dict)

    @property
    def personas(self) -> tuple[Persona, ...]:
        return self.strategy.personas if self.strategy else ()

    @property
    def markets(self) -> tuple[Market, ...]:
        return self.strategy.markets if self.strategy else ()

    def team(self, team_id: str | None) -> Team | None:
        return next((t for t in self.teams if t.id == team_id), None)

    def stage(self, stage_id: str | None) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def step(self, step_id: str | None) -> LifecycleStep | None:
        return next((s for s in self.lifecycle if s.id == step_id), None)


# --------------------------------------------------------------------------
# Building the model from a schema-valid document


def _t(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(values) if values else ()


def _s(value: object) -> str:
    return value if isinstance(value, str) else ""


def _suppressions(raw: Mapping[str, Any], path: JsonPath) -> tuple[Suppression, ...]:
    return tuple(
        Suppression(rule=s["rule"], reason=s["reason"], path=(*path, "suppress", i))
        for i, s in enumerate(raw.get("suppress") or ())
    )


def _market(raw: Mapping[str, Any], path: JsonPath) -> Market:
    return Market(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        description=_s(raw.get("description")),
        segments=_t(raw.get("segments")),
        regions=_t(raw.get("regions")),
        path=path,
        suppress=_suppressions(raw, path),
    )


def _persona(raw: Mapping[str, Any], path: JsonPath) -> Persona:
    return Persona(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        title=_s(raw.get("title")),
        role=_s(raw.get("role")),
        description=_s(raw.get("description")),
        markets=_t(raw.get("markets")),
        pains=_t(raw.get("pains")),
        goals=_t(raw.get("goals")),
        messaging=_s(raw.get("messaging")),
        path=path,
        suppress=_suppressions(raw, path),
    )


def _icp(raw: Mapping[str, Any] | None, path: JsonPath) -> IdealCustomerProfile | None:
    if raw is None:
        return None
    return IdealCustomerProfile(
        description=_s(raw.get("description")),
        problems=_t(raw.get("problems")),
        industries=_t(raw.get("industries")),
        company_size=_s(raw.get("company_size")),
        regions=_t(raw.get("regions")),
        disqualifiers=_t(raw.get("disqualifiers")),
        path=path,
    )


def _strategy(raw: Mapping[str, Any] | None) -> Strategy | None:
    if raw is None:
        return None
    p: JsonPath = ("strategy",)
    return Strategy(
        innovation=raw.get("innovation"),
        value=raw.get("value"),
        brand=raw.get("brand"),
        sales_role=raw.get("sales_role"),
        summary=_s(raw.get("summary")),
        markets=tuple(
            _market(m, (*p, "markets", i)) for i, m in enumerate(raw.get("markets") or ())
        ),
        icp=_icp(raw.get("icp"), (*p, "icp")),
        personas=tuple(
            _persona(m, (*p, "personas", i)) for i, m in enumerate(raw.get("personas") or ())
        ),
        path=p,
        suppress=_suppressions(raw, p),
    )


def _team(raw: Mapping[str, Any], path: JsonPath) -> Team:
    return Team(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        function=_s(raw.get("function")) or "other",
        lead=_s(raw.get("lead")),
        description=_s(raw.get("description")),
        path=path,
        suppress=_suppressions(raw, path),
    )


def _liaison(raw: Mapping[str, Any] | None) -> Liaison | None:
    if raw is None:
        return None
    return Liaison(
        name=_s(raw.get("name")),
        team=raw.get("team"),
        responsibilities=_t(raw.get("responsibilities")),
        path=("liaison",),
    )


def _step(raw: Mapping[str, Any], path: JsonPath) -> LifecycleStep:
    return LifecycleStep(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        owner=raw.get("owner"),
        kind=raw.get("kind", default("lifecycle_step", "kind")),
        converted=bool(raw.get("converted", default("lifecycle_step", "converted"))),
        entry=_s(raw.get("entry")),
        exit=_s(raw.get("exit")),
        description=_s(raw.get("description")),
        path=path,
        suppress=_suppressions(raw, path),
    )


def _stage(raw: Mapping[str, Any], path: JsonPath) -> Stage:
    return Stage(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        owner=raw.get("owner"),
        probability=int(raw["probability"]),
        forecast=raw["forecast"],
        outcome=raw.get("outcome", default("stage", "outcome")),
        target_days=raw.get("target_days"),
        entry=_t(raw.get("entry")),
        exit=_t(raw.get("exit")),
        guidance=_s(raw.get("guidance")),
        key_fields=_t(raw.get("key_fields")),
        description=_s(raw.get("description")),
        path=path,
        suppress=_suppressions(raw, path),
    )


def _asset(raw: Mapping[str, Any], path: JsonPath) -> Asset:
    return Asset(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        type=_s(raw.get("type")) or "other",
        url=_s(raw.get("url")),
        description=_s(raw.get("description")),
        path=path,
        suppress=_suppressions(raw, path),
    )


def _activity(raw: Mapping[str, Any], path: JsonPath) -> Activity:
    return Activity(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        owner=raw.get("owner"),
        kind=_s(raw.get("kind")) or "other",
        supports=_t(raw.get("supports")),
        personas=_t(raw.get("personas")),
        markets=_t(raw.get("markets")),
        assets=_t(raw.get("assets")),
        metrics=_t(raw.get("metrics")),
        description=_s(raw.get("description")),
        path=path,
        suppress=_suppressions(raw, path),
    )


def _sla(raw: Mapping[str, Any] | None, path: JsonPath) -> Sla | None:
    from gtmplay.durations import hours

    if raw is None:
        return None
    respond = raw.get("respond_within")
    window = raw.get("window")
    return Sla(
        respond_within=respond,
        respond_within_hours=hours(respond) if respond else None,
        attempts=raw.get("attempts"),
        window=window,
        window_hours=hours(window) if window else None,
        path=path,
    )


def _handoff(raw: Mapping[str, Any], path: JsonPath) -> Handoff:
    return Handoff(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        from_team=raw["from"],
        to_team=raw["to"],
        at=raw["at"],
        accept=_t(raw.get("accept")),
        sla=_sla(raw.get("sla"), (*path, "sla")),
        reject_reasons=_t(raw.get("reject_reasons")),
        on_accept=raw.get("on_accept"),
        on_reject=raw.get("on_reject"),
        description=_s(raw.get("description")),
        path=path,
        suppress=_suppressions(raw, path),
    )


def _scoring(raw: Mapping[str, Any] | None) -> Scoring | None:
    if raw is None:
        return None
    p: JsonPath = ("scoring",)
    return Scoring(
        threshold=int(raw["threshold"]),
        mql=raw.get("mql"),
        signals=tuple(
            Signal(
                id=s["id"],
                name=_s(s.get("name")) or s["id"],
                points=int(s["points"]),
                type=_s(s.get("type")) or default("signal", "type"),
                max=s.get("max"),
                path=(*p, "signals", i),
            )
            for i, s in enumerate(raw.get("signals") or ())
        ),
        path=p,
        suppress=_suppressions(raw, p),
    )


def _kpi(raw: Mapping[str, Any], path: JsonPath) -> Kpi:
    target = raw.get("target")
    return Kpi(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        owner=raw.get("owner"),
        target=float(target) if target is not None else None,
        unit=_s(raw.get("unit")) or "count",
        kind=_s(raw.get("kind")) or "other",
        direction=_s(raw.get("direction")) or "higher",
        stage=raw.get("stage"),
        from_step=raw.get("from"),
        to_step=raw.get("to"),
        frequency=_s(raw.get("frequency")),
        description=_s(raw.get("description")),
        path=path,
        suppress=_suppressions(raw, path),
    )


def _meeting(raw: Mapping[str, Any], path: JsonPath) -> Meeting:
    return Meeting(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        every=raw["every"],
        owner=raw.get("owner"),
        attendees=_t(raw.get("attendees")),
        kpis=_t(raw.get("kpis")),
        agenda=_t(raw.get("agenda")),
        duration=raw.get("duration"),
        description=_s(raw.get("description")),
        path=path,
        suppress=_suppressions(raw, path),
    )


def build_playbook(doc: Mapping[str, Any]) -> Playbook:
    """Build the model from a merged, schema-valid document."""

    def items(key: str) -> list[tuple[Mapping[str, Any], JsonPath]]:
        return [(raw, (key, i)) for i, raw in enumerate(doc.get(key) or ())]

    return Playbook(
        name=doc["name"],
        description=_s(doc.get("description")),
        version=int(doc["gtmplay"]),
        strategy=_strategy(doc.get("strategy")),
        teams=tuple(_team(r, p) for r, p in items("teams")),
        liaison=_liaison(doc.get("liaison")),
        lifecycle=tuple(_step(r, p) for r, p in items("lifecycle")),
        stages=tuple(_stage(r, p) for r, p in items("stages")),
        assets=tuple(_asset(r, p) for r, p in items("assets")),
        activities=tuple(_activity(r, p) for r, p in items("activities")),
        handoffs=tuple(_handoff(r, p) for r, p in items("handoffs")),
        scoring=_scoring(doc.get("scoring")),
        kpis=tuple(_kpi(r, p) for r, p in items("kpis")),
        cadence=tuple(_meeting(r, p) for r, p in items("cadence")),
        crm=dict(doc.get("crm") or {}),
        checks=dict(doc.get("checks") or {}),
    )
