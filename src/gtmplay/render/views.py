"""What the documentation shows, computed once for the HTML and Markdown docs.

Templates only lay out these values; every cross-reference (who owns what,
which handoff a team receives, which content supports a stage) is resolved
here, so the two formats can never disagree.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from gtmplay.coverage import Coverage, coverage
from gtmplay.durations import hours, iso8601, words
from gtmplay.findings import Finding, Level
from gtmplay.model import (
    Activity,
    Asset,
    Handoff,
    Kpi,
    LifecycleStep,
    Meeting,
    Motion,
    Persona,
    Playbook,
    Stage,
    Team,
)
from gtmplay.render.names import safe_name
from gtmplay.render.sanitize import plain_name, plain_text, safe_url

if TYPE_CHECKING:
    from gtmplay.render import BuildContext
    from gtmplay.result import Result

STRATEGY_LABELS = {
    "product": "Product innovation",
    "process": "Process innovation",
    "business-impact": "Business-impact innovation",
    "low-cost": "Low cost",
    "total-solution": "Total solution",
    "guaranteed-results": "Guaranteed results",
    "dependable-purchase": "A dependable purchase",
    "fixes-operational-problems": "Fixes operational problems",
    "business-advisor": "A business advisor",
    "transaction-provider": "Transaction provider",
    "trusted-specialist": "Trusted specialist",
    "political-insider": "Political insider",
}


# how many stages either side of the current one a stage page shows
NEIGHBOURS = 2


@dataclass(frozen=True)
class Ref:
    """Something to name and link to: ``page`` is relative to the docs root, no suffix."""

    id: str
    name: str
    page: str = ""


@dataclass(frozen=True)
class Duration:
    text: str
    iso: str
    hours: float
    words: str  # what a person reads: "4 hours", "10 days"


@dataclass(frozen=True)
class HandoffView:
    handoff: Handoff
    source: Ref
    destination: Ref
    at: Ref
    on_accept: Ref | None
    on_reject: Ref | None
    respond_within: Duration | None
    window: Duration | None
    attempts: int | None


@dataclass(frozen=True)
class AssetLink:
    """A piece of content as shown: ``href`` is empty unless the URL is safe to link."""

    id: str
    name: str
    type: str
    href: str
    description: str


class ActivityView(NamedTuple):
    """An activity with its references resolved (pages list thousands of them).

    A named tuple, not a frozen dataclass like the other views: as immutable,
    and made in a third of the time (a frozen dataclass sets each field through
    ``object.__setattr__``), about 15 ms of the views at 10,000 activities.
    """

    activity: Activity
    id: str
    name: str
    kind: str
    owner: Ref | None
    supports: tuple[Ref, ...]
    personas: str
    metrics: str
    assets: tuple[AssetLink, ...]
    # whether the name and the description print as they are in both formats
    # (tested once here for the two targets; False: each escapes them)
    plain_name: bool = False
    plain_description: bool = False


@dataclass(frozen=True)
class ContentRow:
    """The activities and assets that support one stage or lifecycle step."""

    target: Ref
    activities: tuple[ActivityView, ...]
    assets: tuple[AssetLink, ...]


@dataclass(frozen=True)
class StageView:
    stage: Stage
    page: str
    owner: Ref | None
    content: ContentRow
    previous: Ref | None
    next: Ref | None
    index: int = 0  # position in the sales process, for the bounded neighbourhood


@dataclass(frozen=True)
class StepView:
    step: LifecycleStep
    owner: Ref | None
    content: ContentRow
    handoffs: tuple[HandoffView, ...]


@dataclass(frozen=True)
class MotionView:
    """A declared sales motion: its process, where it starts, who owns it."""

    motion: Motion
    owner: Ref | None
    stages: tuple[Ref, ...]
    start: Ref | None
    handoffs: tuple[HandoffView, ...]  # the handoffs that feed it


@dataclass(frozen=True)
class Guide:
    team: Team
    page: str
    steps: tuple[StepView, ...]
    stages: tuple[StageView, ...]
    activities: tuple[ActivityView, ...]
    kpis: tuple[Kpi, ...]
    receives: tuple[HandoffView, ...]
    hands_over: tuple[HandoffView, ...]
    meetings: tuple[Meeting, ...]
    content: tuple[ContentRow, ...]
    motions: tuple[MotionView, ...] = ()  # the declared motions the team works


@dataclass(frozen=True)
class HeatMap:
    """Rows are stages and lifecycle steps, columns ``All`` then each persona."""

    rows: tuple[Ref, ...]
    columns: tuple[Ref, ...]
    counts: tuple[tuple[int, ...], ...]
    # False for rows no activity is expected to support (closed stages, converted steps)
    expected: tuple[bool, ...] = ()
    # (heading, number of rows) in row order: the lifecycle steps, then the sales stages
    groups: tuple[tuple[str, int], ...] = ()

    @property
    def maximum(self) -> int:
        return max((c for row in self.counts for c in row), default=0)


@dataclass(frozen=True)
class Site:
    playbook: Playbook
    steps: tuple[StepView, ...]
    stages: tuple[StageView, ...]
    handoffs: tuple[HandoffView, ...]
    guides: tuple[Guide, ...]
    heatmap: HeatMap
    findings: tuple[Finding, ...]
    assets: dict[str, AssetLink]
    stamp: str | None
    activities: tuple[ActivityView, ...] = ()
    motions: tuple[MotionView, ...] = ()  # empty when the playbook declares none

    def team(self, team_id: str | None) -> Ref | None:
        team = self.playbook.team(team_id)
        if team is None:
            return Ref(team_id, team_id) if team_id else None
        return Ref(team.id, team.name, f"guides/{safe_name(team.id)}")

    def persona(self, persona_id: str) -> Persona | None:
        return next((p for p in self.playbook.personas if p.id == persona_id), None)

    @functools.cached_property
    def _persona_names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.playbook.personas}

    @property
    def handoff_teams(self) -> tuple[Ref, ...]:
        """The teams on either side of a handoff, once each: who signs the SLA contract."""
        refs = {r.id: r for h in self.handoffs for r in (h.source, h.destination)}
        return tuple(refs.values())

    def persona_name(self, persona_id: str) -> str:
        return self._persona_names.get(persona_id, persona_id)

    @property
    def errors(self) -> int:
        """Error findings shown in the site: only a ``--force`` build has any."""
        return sum(1 for f in self.findings if f.level >= Level.ERROR)

    @functools.cached_property
    def _stage_views(self) -> dict[str, StageView]:
        return {v.stage.id: v for v in self.stages}

    def stage_view(self, stage_id: str) -> StageView | None:
        return self._stage_views.get(stage_id)

    @functools.cached_property
    def outcomes(self) -> tuple[StageView, ...]:
        """The closed stages (won and lost), in order."""
        return tuple(v for v in self.stages if v.stage.closed)

    def neighbourhood(self, view: StageView, reach: int = NEIGHBOURS) -> tuple[StageView, ...]:
        """The stages within ``reach`` of ``view``: what a stage page shows of the process.

        Stage pages show this bounded window rather than every stage, so the
        site grows linearly with the number of stages; the whole process is on
        the overview.
        """
        return self.stages[max(view.index - reach, 0) : view.index + reach + 1]

    @functools.cached_property
    def _open_before(self) -> tuple[int, ...]:
        counts, n = [0], 0
        for v in self.stages:
            n += not v.stage.closed
            counts.append(n)
        return tuple(counts)

    def open_outside(self, view: StageView, reach: int = NEIGHBOURS) -> tuple[int, int]:
        """How many open stages come before and after the neighbourhood of ``view``."""
        low = max(view.index - reach, 0)
        high = min(view.index + reach + 1, len(self.stages))
        return self._open_before[low], self._open_before[-1] - self._open_before[high]

    def strategy_label(self, value: str | None) -> str:
        return STRATEGY_LABELS.get(value or "", value or "not chosen")

    def kpi_name(self, kpi_id: str) -> str:
        return next((k.name for k in self.playbook.kpis if k.id == kpi_id), kpi_id)

    def target(self, target_id: str | None) -> Ref | None:
        """A stage or lifecycle step by id (stages first, as in ``supports``)."""
        if target_id is None:
            return None
        stage = self.playbook.stage(target_id)
        if stage is not None:
            return Ref(stage.id, stage.name, f"stages/{safe_name(stage.id)}")
        step = self.playbook.step(target_id)
        if step is not None:
            return Ref(step.id, step.name, "lifecycle")
        return Ref(target_id, target_id)


def _duration(text: str | None) -> Duration | None:
    if not text:
        return None
    try:
        return Duration(text, iso8601(text), hours(text), words(text))
    except ValueError:
        return None


def _handoff(site: Site, h: Handoff) -> HandoffView:
    sla = h.sla
    return HandoffView(
        handoff=h,
        source=site.team(h.from_team) or Ref(h.from_team, h.from_team),
        destination=site.team(h.to_team) or Ref(h.to_team, h.to_team),
        at=site.target(h.at) or Ref(h.at, h.at),
        on_accept=site.target(h.on_accept),
        on_reject=site.target(h.on_reject),
        respond_within=_duration(sla.respond_within) if sla else None,
        window=_duration(sla.window) if sla else None,
        attempts=sla.attempts if sla else None,
    )


def _asset(a: Asset) -> AssetLink:
    return AssetLink(a.id, a.name, a.type, safe_url(a.url), a.description)


class _Shared:
    """What activities share, made once per distinct list: the model keeps one
    tuple per distinct list of ids (a big playbook has thousands of activities
    and a few hundred such lists), and equal lists give equal views."""

    __slots__ = ("assets", "metrics", "personas", "supports")

    def __init__(self) -> None:
        self.supports: dict[tuple[str, ...], tuple[Ref, ...]] = {}
        self.personas: dict[tuple[str, ...], str] = {}
        self.metrics: dict[tuple[str, ...], str] = {}
        self.assets: dict[tuple[str, ...], tuple[AssetLink, ...]] = {}


def _activity(
    site: Site,
    a: Activity,
    targets: dict[str, Ref],
    teams: dict[str, Ref | None],
    shared: _Shared,
) -> ActivityView:
    # made for each of thousands of activities: dict lookups rather than
    # generators and method calls, each list's view made once (`_Shared`)
    supports = shared.supports.get(a.supports)
    if supports is None:
        supports = shared.supports[a.supports] = tuple(
            [targets.get(t) or Ref(t, t) for t in a.supports]
        )
    personas = shared.personas.get(a.personas)
    if personas is None:
        names = site._persona_names
        personas = shared.personas[a.personas] = ", ".join([names.get(p, p) for p in a.personas])
    metrics = shared.metrics.get(a.metrics)
    if metrics is None:
        metrics = shared.metrics[a.metrics] = ", ".join(a.metrics)
    assets = shared.assets.get(a.assets)
    if assets is None:
        links = site.assets
        assets = shared.assets[a.assets] = tuple(
            [links.get(x) or AssetLink(x, x, "", "", "") for x in a.assets]
        )
    return ActivityView(
        a,
        a.id,
        a.name,
        a.kind,
        teams[a.owner] if a.owner in teams else site.team(a.owner),
        supports,
        personas,
        metrics,
        assets,
        plain_name(a.name),
        plain_text(a.description),
    )


def _content(site: Site, cov: Coverage, target: Ref, views: dict[int, ActivityView]) -> ContentRow:
    # by the activity object: two activities of one id (a forced build) are two rows
    activities = tuple([views[id(a)] for a in cov.by_target.get(target.id, ())])
    asset_ids = dict.fromkeys(x for act in activities for x in act.activity.assets)
    assets = tuple(site.assets[x] for x in asset_ids if x in site.assets)
    return ContentRow(target, activities, assets)


def _heatmap(pb: Playbook, cov: Coverage, site: Site) -> HeatMap:
    funnel = [s for s in pb.lifecycle if s.kind == "funnel"]
    ids = [s.id for s in funnel] + [s.id for s in pb.stages]
    expected = tuple([not s.converted for s in funnel] + [not s.closed for s in pb.stages])
    rows = tuple(site.target(x) or Ref(x, x) for x in ids)
    columns = (Ref("", "All activities"), *(Ref(p.id, p.name) for p in pb.personas))
    counts = tuple(tuple(cov.count(row.id, col.id or None) for col in columns) for row in rows)
    groups = (("Lifecycle steps", len(funnel)), ("Sales stages", len(pb.stages)))
    return HeatMap(rows, columns, counts, expected, groups)


def site(
    playbook: Playbook,
    findings: tuple[Finding, ...],
    stamp: str | None = None,
    cov: Coverage | None = None,
) -> Site:
    """Every view of ``playbook`` the docs need; ``cov``, its coverage when the check
    has computed it (the rules read it), is not computed again."""
    pb = playbook
    cov = coverage(pb) if cov is None else cov
    empty = HeatMap((), (), ())
    assets = {a.id: _asset(a) for a in pb.assets}
    out = Site(pb, (), (), (), (), empty, findings, assets, stamp)
    ids = [x.id for x in pb.lifecycle] + [x.id for x in pb.stages]
    targets = {x: out.target(x) or Ref(x, x) for x in ids}
    teams = {t.id: out.team(t.id) for t in pb.teams}
    shared = _Shared()
    activities = tuple([_activity(out, a, targets, teams, shared) for a in pb.activities])
    views = {id(v.activity): v for v in activities}
    handoffs = tuple(_handoff(out, h) for h in pb.handoffs)
    steps = tuple(
        StepView(
            step=s,
            owner=out.team(s.owner),
            content=_content(out, cov, Ref(s.id, s.name, "lifecycle"), views),
            handoffs=tuple(h for h in handoffs if h.handoff.at == s.id),
        )
        for s in pb.lifecycle
    )
    refs = [out.target(s.id) for s in pb.stages]
    stages = tuple(
        StageView(
            stage=s,
            page=f"stages/{safe_name(s.id)}",
            owner=out.team(s.owner),
            content=_content(out, cov, refs[i] or Ref(s.id, s.name), views),
            previous=refs[i - 1] if i > 0 else None,
            next=refs[i + 1] if i + 1 < len(refs) else None,
            index=i,
        )
        for i, s in enumerate(pb.stages)
    )
    motions = tuple(_motion(out, m, handoffs) for m in pb.motions)
    guides = tuple(_guide(t, pb, steps, stages, handoffs, activities, motions) for t in pb.teams)
    heatmap = _heatmap(pb, cov, out)
    return Site(
        pb, steps, stages, handoffs, guides, heatmap, findings, assets, stamp, activities, motions
    )


def _motion(site: Site, m: Motion, handoffs: tuple[HandoffView, ...]) -> MotionView:
    return MotionView(
        motion=m,
        owner=site.team(m.owner),
        stages=tuple(site.target(s) or Ref(s, s) for s in m.stages),
        start=site.target(m.start),
        handoffs=tuple(h for h in handoffs if h.handoff.motion == m.id),
    )


def _works(team: Team, pb: Playbook, view: MotionView) -> bool:
    """Whether ``team`` works ``view``'s motion: owns it or one of its stages,
    is on a handoff that feeds it, or runs an activity named for it."""
    m = view.motion
    if m.owner == team.id:
        return True
    owners = {s.owner for s in pb.stages if s.id in m.stages}
    if team.id in owners:
        return True
    if any(team.id in (h.handoff.from_team, h.handoff.to_team) for h in view.handoffs):
        return True
    return any(a.owner == team.id and m.id in a.motions for a in pb.activities)


def _guide(
    team: Team,
    pb: Playbook,
    steps: tuple[StepView, ...],
    stages: tuple[StageView, ...],
    handoffs: tuple[HandoffView, ...],
    activities: tuple[ActivityView, ...],
    motions: tuple[MotionView, ...],
) -> Guide:
    my_steps = tuple(s for s in steps if s.step.owner == team.id)
    my_stages = tuple(s for s in stages if s.stage.owner == team.id)
    return Guide(
        team=team,
        page=f"guides/{safe_name(team.id)}",
        steps=my_steps,
        stages=my_stages,
        activities=tuple([a for a in activities if a.activity.owner == team.id]),
        kpis=tuple(k for k in pb.kpis if k.owner == team.id),
        receives=tuple(h for h in handoffs if h.handoff.to_team == team.id),
        hands_over=tuple(h for h in handoffs if h.handoff.from_team == team.id),
        meetings=tuple(m for m in pb.cadence if team.id in m.attendees or m.owner == team.id),
        content=tuple(
            row
            for row in (*(s.content for s in my_steps), *(s.content for s in my_stages))
            if row.activities
        ),
        motions=tuple(v for v in motions if _works(team, pb, v)),
    )


def for_context(ctx: BuildContext) -> Site:
    """The site of ``ctx``, built once however many targets ask."""
    cached = ctx.cache.get("site")
    if not isinstance(cached, Site):
        # the check's coverage, when it is of this playbook (tests make contexts without a result)
        result: Result | None = ctx.result
        cov = result.coverage if result is not None and result.playbook is ctx.playbook else None
        cached = ctx.cache["site"] = site(ctx.playbook, ctx.findings, ctx.stamp, cov)
    return cached
