"""The typed, frozen playbook model.

A :class:`Playbook` is built from a document that already passed the JSON
Schema (``schemas/playbook.schema.json``), so the builders here trust types and
only fill defaults. Every object that lives in the YAML keeps ``path``: its
JSON path in the merged document (``("stages", 3)``), which the source map turns
back into ``file:line:column`` when a rule reports on it.

Renderers, exporters and rules read only this module's types; none of them
looks at raw YAML.

:data:`KINDS` at the end declares every kind of object with an id once (its
key, label, plural, where it lives); a field that names other objects by id
says so in its metadata (:func:`ref`). Model building, reference resolution,
suppressions, ``gtmplay diff`` and its reports and the text rules all read
that one table, so a new kind is declared here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import Field, dataclass, field, fields
from typing import Any, Literal

from gtmplay.schemafiles import default

JsonPath = tuple[str | int, ...]

Outcome = Literal["open", "won", "lost"]
Forecast = Literal["pipeline", "best-case", "commit", "omitted", "closed"]
LifecycleKind = Literal["funnel", "recycle", "disqualified"]
# the schema's enums (schemas/playbook.schema.json) as types
PersonaRole = Literal[
    "economic-buyer", "champion", "user", "technical-buyer", "influencer", "blocker"
]
TeamFunction = Literal[
    "marketing",
    "sdr",
    "sales",
    "customer-success",
    "revops",
    "partner",
    "enablement",
    "leadership",
    "product",
    "other",
]
Unit = Literal["percent", "days", "hours", "count", "currency", "ratio"]
Direction = Literal["higher", "lower"]
Every = Literal["daily", "weekly", "biweekly", "monthly", "quarterly", "annually"]
SignalType = Literal["behavior", "fit"]
FailOn = Literal["error", "warning", "note"]


def ref(*kinds: str, key: str | None = None) -> dict[str, Any]:
    """Field metadata: the field names objects of ``kinds`` (keys of :data:`KINDS`) by id.

    ``key`` is the field's name in the YAML when it differs (``from_team`` is
    written ``from``). Resolution checks the reference, ``gtmplay diff``
    names the field by it.
    """
    metadata: dict[str, Any] = {"ref": kinds}
    if key is not None:
        metadata["key"] = key
    return metadata


def yaml_key(f: Field[Any]) -> str:
    """The name of a model field in the playbook's YAML."""
    key: str = f.metadata.get("key", f.name)
    return key


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
    role: PersonaRole | None
    description: str
    markets: tuple[str, ...] = field(metadata=ref("market"))
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
    function: TeamFunction
    lead: str
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Liaison:
    name: str
    team: str | None = field(metadata=ref("team"))
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
    owner: str | None = field(metadata=ref("team"))
    motion: str | None = field(metadata=ref("motion"))
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
    owner: str | None = field(metadata=ref("team"))
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
class MotionCrm:
    """A motion's names in the CRMs; ``None`` where the playbook names none."""

    salesforce_process: str | None = None
    salesforce_record_type: str | None = None
    salesforce_path: str | None = None
    hubspot_pipeline: str | None = None
    hubspot_pipeline_id: str | None = None
    pipedrive_pipeline: str | None = None


@dataclass(frozen=True, slots=True)
class Motion:
    """A sales motion: the stages its deals go through, in order.

    A playbook without ``motions:`` has one implicit motion using every stage
    (:attr:`Playbook.sales_motions`).
    """

    id: str
    name: str
    description: str
    stages: tuple[str, ...] = field(metadata=ref("stage"))
    default_stage: str | None = field(metadata=ref("stage"))  # None: the first stage
    owner: str | None = field(metadata=ref("team"))
    crm: MotionCrm
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()
    implicit: bool = False  # the one motion of a playbook that declares none

    @property
    def start(self) -> str | None:
        """The stage a new deal starts in."""
        return self.default_stage or (self.stages[0] if self.stages else None)


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
    owner: str | None = field(metadata=ref("team"))
    kind: str
    supports: tuple[str, ...] = field(metadata=ref("stage", "lifecycle step"))
    motions: tuple[str, ...] = field(metadata=ref("motion"))  # empty: every motion
    personas: tuple[str, ...] = field(metadata=ref("persona"))
    markets: tuple[str, ...] = field(metadata=ref("market"))
    assets: tuple[str, ...] = field(metadata=ref("asset"))
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
    from_team: str = field(metadata=ref("team", key="from"))
    to_team: str = field(metadata=ref("team", key="to"))
    at: str = field(metadata=ref("lifecycle step"))
    motion: str | None = field(metadata=ref("motion"))
    accept: tuple[str, ...]
    sla: Sla | None
    reject_reasons: tuple[str, ...]
    on_accept: str | None = field(metadata=ref("lifecycle step"))
    on_reject: str | None = field(metadata=ref("lifecycle step"))  # a recycle / nurture step
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Signal:
    id: str
    name: str
    points: int
    type: SignalType
    max: int | None  # cap on points from repeats of this signal
    path: JsonPath


@dataclass(frozen=True, slots=True)
class Scoring:
    threshold: int
    mql: str | None = field(metadata=ref("lifecycle step"))  # reached at the threshold
    signals: tuple[Signal, ...]
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Kpi:
    id: str
    name: str
    owner: str | None = field(metadata=ref("team"))
    target: float | None
    unit: Unit
    kind: str  # conversion, win-rate, sales-cycle, time-in-stage, velocity, pipeline, ...
    direction: Direction  # higher or lower is better
    stage: str | None = field(metadata=ref("stage"))
    from_step: str | None = field(metadata=ref("stage", "lifecycle step", key="from"))
    to_step: str | None = field(metadata=ref("stage", "lifecycle step", key="to"))
    frequency: str
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Meeting:
    id: str
    name: str
    every: Every
    owner: str | None = field(metadata=ref("team"))
    attendees: tuple[str, ...] = field(metadata=ref("team"))
    kpis: tuple[str, ...] = field(metadata=ref("kpi"))
    agenda: tuple[str, ...]
    duration: str | None
    description: str
    path: JsonPath
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True, slots=True)
class Checks:
    """``checks:``: rule levels for the whole playbook and the level that fails."""

    # rule id or name -> level as written (the rules' configuration checks both)
    rules: Mapping[str, Any] = field(default_factory=dict)
    fail_on: FailOn | None = None

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any] | None) -> Checks:
        raw = raw or {}
        rules = raw.get("rules")
        return cls(
            rules=dict(rules) if isinstance(rules, Mapping) else {}, fail_on=raw.get("fail_on")
        )

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.rules:
            out["rules"] = dict(self.rules)
        if self.fail_on is not None:
            out["fail_on"] = self.fail_on
        return out


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
    motions: tuple[Motion, ...]
    assets: tuple[Asset, ...]
    activities: tuple[Activity, ...]
    handoffs: tuple[Handoff, ...]
    scoring: Scoring | None
    kpis: tuple[Kpi, ...]
    cadence: tuple[Meeting, ...]
    crm: Mapping[str, Any] = field(default_factory=dict)
    # ``measure:`` as written: CRM names and thresholds (gtmplay.measure reads it)
    measure: Mapping[str, Any] = field(default_factory=dict)
    checks: Checks = field(default_factory=Checks)

    @property
    def sales_motions(self) -> tuple[Motion, ...]:
        """The declared motions, or the one implicit motion using every stage."""
        if self.motions:
            return self.motions
        return (
            Motion(
                id="",
                name=self.name,
                description="",
                stages=tuple(s.id for s in self.stages),
                default_stage=None,
                owner=None,
                crm=MotionCrm(),
                path=(),
                implicit=True,
            ),
        )

    def motions_of(self, activity: Activity) -> tuple[Motion, ...]:
        """The motions ``activity`` supports (all of them when it names none)."""
        motions = self.sales_motions
        if not activity.motions:
            return motions
        return tuple(m for m in motions if m.id in activity.motions)

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


# Equal lists (the personas, markets and metrics that many activities name
# alike) become one tuple: in the 10,000-activity benchmark 1,350 distinct
# tuples instead of 50,148, 2.6 MB less (see docs/performance.md, Memory).
# Filled while build_playbook runs and emptied when it returns, so nothing is
# kept between checks; threads building at once only share tuples, which are
# immutable.
_SHARED: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _t(values: Sequence[str] | None) -> tuple[str, ...]:
    if not values:
        return ()
    made = tuple(values)
    try:
        return _SHARED.setdefault(made, made)
    except TypeError:  # an unhashable item: nothing to share
        return made


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
        role=raw.get("role"),
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
        function=raw.get("function") or "other",
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
        motion=raw.get("motion"),
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


def _motion(raw: Mapping[str, Any], path: JsonPath) -> Motion:
    crm = raw.get("crm") or {}
    sf, hs, pd = (crm.get(k) or {} for k in ("salesforce", "hubspot", "pipedrive"))
    return Motion(
        id=raw["id"],
        name=_s(raw.get("name")) or raw["id"],
        description=_s(raw.get("description")),
        stages=_t(raw.get("stages")),
        default_stage=raw.get("default_stage"),
        owner=raw.get("owner"),
        crm=MotionCrm(
            salesforce_process=sf.get("process"),
            salesforce_record_type=sf.get("record_type"),
            salesforce_path=sf.get("path"),
            hubspot_pipeline=hs.get("pipeline"),
            hubspot_pipeline_id=hs.get("pipeline_id"),
            pipedrive_pipeline=pd.get("pipeline"),
        ),
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
        motions=_t(raw.get("motions")),
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
        motion=raw.get("motion"),
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
                type=s.get("type") or default("signal", "type"),
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
        unit=raw.get("unit") or "count",
        kind=_s(raw.get("kind")) or "other",
        direction=raw.get("direction") or "higher",
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


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of playbook object with an id.

    ``key`` names the kind in ``gtmplay diff`` output and in :func:`ref`;
    ``label`` in messages ("unknown KPI"); ``plural`` as a report's section
    title. ``items`` reaches the objects in a playbook. ``section`` is the
    top-level list they are built from by ``build`` (``None`` for objects
    nested in another: markets and personas in the strategy, signals in
    scoring, which their parent builds; ``within`` names that parent's section).
    """

    key: str
    label: str
    plural: str
    cls: type
    items: Callable[[Playbook], Sequence[Any]]
    section: str | None = None
    build: Callable[[Mapping[str, Any], JsonPath], Any] | None = None
    within: str | None = None  # the top-level section holding a nested kind

    @property
    def top(self) -> str:
        """The top-level section of the playbook the objects of this kind come from."""
        top = self.section or self.within
        assert top is not None, self.key
        return top

    @property
    def title(self) -> str:
        """The label at the start of a sentence."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def suppressible(self) -> bool:
        """Whether objects of this kind take ``suppress:`` entries."""
        return any(f.name == "suppress" for f in fields(self.cls))


def _section(name: str) -> Callable[[Playbook], Sequence[Any]]:
    def items(playbook: Playbook) -> Sequence[Any]:
        found: Sequence[Any] = getattr(playbook, name)
        return found

    return items


def _signals(playbook: Playbook) -> Sequence[Signal]:
    return playbook.scoring.signals if playbook.scoring else ()


# In the order reports list them.
KINDS: tuple[Kind, ...] = (
    Kind("motion", "motion", "Motions", Motion, _section("motions"), "motions", _motion),
    Kind("stage", "stage", "Stages", Stage, _section("stages"), "stages", _stage),
    Kind(
        "lifecycle step",
        "lifecycle step",
        "Lifecycle steps",
        LifecycleStep,
        _section("lifecycle"),
        "lifecycle",
        _step,
    ),
    Kind("handoff", "handoff", "Handoffs", Handoff, _section("handoffs"), "handoffs", _handoff),
    Kind(
        "activity",
        "activity",
        "Activities",
        Activity,
        _section("activities"),
        "activities",
        _activity,
    ),
    Kind("team", "team", "Teams", Team, _section("teams"), "teams", _team),
    Kind("persona", "persona", "Personas", Persona, lambda p: p.personas, within="strategy"),
    Kind("market", "market", "Markets", Market, lambda p: p.markets, within="strategy"),
    Kind("asset", "asset", "Assets", Asset, _section("assets"), "assets", _asset),
    Kind("kpi", "KPI", "KPIs", Kpi, _section("kpis"), "kpis", _kpi),
    Kind("meeting", "meeting", "Meetings", Meeting, _section("cadence"), "cadence", _meeting),
    Kind("scoring signal", "scoring signal", "Scoring signals", Signal, _signals, within="scoring"),
)
KIND: Mapping[str, Kind] = {kind.key: kind for kind in KINDS}


def build_playbook(doc: Mapping[str, Any]) -> Playbook:
    """Build the model from a merged, schema-valid document."""
    try:
        return _build_playbook(doc)
    finally:
        _SHARED.clear()


def _build_playbook(doc: Mapping[str, Any]) -> Playbook:
    lists: dict[str, Any] = {
        kind.section: tuple(
            kind.build(raw, (kind.section, i)) for i, raw in enumerate(doc.get(kind.section) or ())
        )
        for kind in KINDS
        if kind.section is not None and kind.build is not None
    }
    return Playbook(
        name=doc["name"],
        description=_s(doc.get("description")),
        version=int(doc["gtmplay"]),
        strategy=_strategy(doc.get("strategy")),
        liaison=_liaison(doc.get("liaison")),
        scoring=_scoring(doc.get("scoring")),
        crm=dict(doc.get("crm") or {}),
        measure=dict(doc.get("measure") or {}),
        checks=Checks.from_raw(doc.get("checks")),
        **lists,
    )
