"""The funnel line of a motion and its declared rates, read backwards.

A playbook declares how its funnel converts: each stage's win probability,
``conversion`` KPIs between lifecycle steps, the ``converted`` step where a
lead opens a deal. Read backwards from a target (won deals per period), those
rates give the volume each step and stage needs per period; the stages'
``target_days`` (and ``response-time`` KPIs between steps) say how long
before the close it must enter.

The funnel of one sales motion is a line of *nodes*: the lifecycle's funnel
steps up to the converted one, the motion's open stages, then its won stage.
Between two neighbours the rate is

* step to step: a ``conversion`` KPI (in percent) from the one to the other;
* the converted step to the first stage: 1, the converted lead *is* the deal;
* stage to stage: the quotient of their probabilities (a stage with 20% and
  the next with 40%: half the deals move on, which is what the declared
  probabilities say), and the last open stage to won: its probability.

A conversion KPI may also span several nodes (``mql`` to ``sql``): the
volume at its start is then known, the nodes inside it are not. A rate given
on the command line (``--rate mql:sal=40``) or measured from the CRM replaces
the declared one. Where a rate is missing the walk stops and the plan says
which rate to declare; it never guesses one.

:mod:`gtmplay.measure.plan` (``gtmplay plan``) and rule GTM321 (a volume KPI
the declared conversions cannot reach) both read the line from here. This
module imports only the model, so the rules can use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from gtmplay.model import Kpi, Motion, Playbook

NodeKind = Literal["step", "stage", "won"]
PERIOD_MONTHS: dict[str, float] = {"month": 1.0, "quarter": 3.0}
# a KPI's frequency as months, to bring every target to the plan's period
FREQUENCY_MONTHS: dict[str, float] = {
    "daily": 12 / 365,
    "weekly": 12 / 52,
    "monthly": 1.0,
    "quarterly": 3.0,
}


@dataclass(frozen=True, slots=True)
class Node:
    """One place on the funnel line: a lifecycle step, an open stage or the won stage."""

    id: str
    name: str
    kind: NodeKind
    days: float | None  # time spent here before moving on, when declared


@dataclass(frozen=True, slots=True)
class Rate:
    """The share of the records at ``start`` that reach ``end``, and where it comes from."""

    start: str
    end: str
    value: float  # 0..1
    source: str


@dataclass(frozen=True, slots=True)
class Chain:
    """The funnel line of one motion and the rates along it."""

    motion: str
    nodes: tuple[Node, ...]
    links: tuple[Rate | None, ...]  # links[i]: nodes[i] -> nodes[i + 1]
    spans: tuple[Rate, ...]  # rates over several nodes (conversion KPIs)
    gaps: tuple[str, ...] = ()  # why the line is cut short, for the reader

    def index(self, node_id: str) -> int | None:
        return next((i for i, n in enumerate(self.nodes) if n.id == node_id), None)

    def rate(self, start: int, end: int) -> float | None:
        """The rate from node ``start`` to node ``end`` (end > start), when declared."""
        value = 1.0
        i = start
        while i < end:
            span = _span_from(self.spans, self.nodes, i, end)
            link = self.links[i]
            if link is not None:
                value *= link.value
                i += 1
            elif span is not None:
                value *= span[0].value
                i = span[1]
            else:
                return None
        return value


def _span_from(
    spans: Sequence[Rate], nodes: Sequence[Node], start: int, limit: int
) -> tuple[Rate, int] | None:
    # the longest span from node `start` that ends at or before `limit`
    best: tuple[Rate, int] | None = None
    for span in spans:
        if span.start != nodes[start].id:
            continue
        end = next((j for j, n in enumerate(nodes) if n.id == span.end), None)
        if end is not None and start < end <= limit and (best is None or end > best[1]):
            best = (span, end)
    return best


def motion_of(playbook: Playbook, motion_id: str | None) -> Motion | None:
    """The motion named ``motion_id``, or the first sales motion; ``None`` if unknown."""
    motions = playbook.sales_motions
    if motion_id is None:
        return motions[0]
    return next((m for m in motions if m.id == motion_id), None)


def chain(
    playbook: Playbook,
    motion: Motion,
    *,
    overrides: Mapping[tuple[str, str], Rate] | None = None,
    days: Mapping[str, float] | None = None,
) -> Chain:
    """The funnel line of ``motion`` with the declared rates and days.

    ``overrides`` replace rates (keyed by ``(from, to)``), ``days`` the days
    spent in a stage or step (keyed by its id): measured, or given.
    """
    overrides = overrides or {}
    days = days or {}
    stages = [s for s in (playbook.stage(i) for i in motion.stages) if s is not None]
    open_stages = [s for s in stages if not s.closed]
    won = next((s for s in stages if s.won), None)
    steps = [
        s
        for s in playbook.lifecycle
        if s.kind == "funnel" and (s.motion is None or s.motion == motion.id or motion.implicit)
    ]
    converted = next((i for i, s in enumerate(steps) if s.converted), None)
    gaps: list[str] = []
    if converted is None:
        gaps.append("no funnel step of the lifecycle is marked `converted`: leads are not planned")
        steps = []
    else:
        steps = steps[: converted + 1]
    step_days = _step_days(playbook.kpis, [s.id for s in steps])
    nodes = [
        Node(s.id, s.name, "step", days.get(s.id, d)) for s, d in zip(steps, step_days, strict=True)
    ]
    nodes += [Node(s.id, s.name, "stage", days.get(s.id, s.target_days)) for s in open_stages]
    if won is not None:
        nodes.append(Node(won.id, won.name, "won", None))
    else:
        gaps.append(f"motion {motion.id or motion.name!r} has no won stage")

    links: list[Rate | None] = []
    for i in range(len(nodes) - 1):
        here, nxt = nodes[i], nodes[i + 1]
        declared = _declared_link(playbook, here, nxt)
        links.append(overrides.get((here.id, nxt.id), declared))
    spans = [
        Rate(k.from_step, k.to_step, k.target / 100, f'KPI "{k.name}"')
        for k in playbook.kpis
        if k.kind in ("conversion", "win-rate")
        and k.unit == "percent"
        and k.target is not None
        and k.target > 0
        and k.from_step is not None
        and k.to_step is not None
    ]
    consecutive = {(nodes[i].id, nodes[i + 1].id) for i in range(len(nodes) - 1)}
    spans += [r for key, r in overrides.items() if key not in consecutive]
    spans = [s for s in spans if (s.start, s.end) not in consecutive]
    return Chain(motion.id, tuple(nodes), tuple(links), tuple(spans), tuple(gaps))


def _declared_link(playbook: Playbook, here: Node, nxt: Node) -> Rate | None:
    if here.kind == "step" and nxt.kind == "step":
        for kpi in playbook.kpis:
            if _is_rate(kpi) and (kpi.from_step, kpi.to_step) == (here.id, nxt.id):
                assert kpi.target is not None
                return Rate(here.id, nxt.id, kpi.target / 100, f'KPI "{kpi.name}"')
        return None
    if here.kind == "step":
        return Rate(here.id, nxt.id, 1.0, "the converted lead opens the deal")
    here_p = _probability(playbook, here.id)
    if nxt.kind == "won":
        return Rate(here.id, nxt.id, here_p / 100, f"probability {here_p}%")
    next_p = _probability(playbook, nxt.id)
    if next_p <= 0:
        return None
    return Rate(here.id, nxt.id, min(1.0, here_p / next_p), f"probabilities {here_p}% → {next_p}%")


def _is_rate(kpi: Kpi) -> bool:
    return kpi.kind == "conversion" and kpi.unit == "percent" and bool(kpi.target)


def _probability(playbook: Playbook, stage_id: str) -> int:
    stage = playbook.stage(stage_id)
    return stage.probability if stage is not None else 0


def _step_days(kpis: Sequence[Kpi], steps: Sequence[str]) -> list[float | None]:
    # a response-time KPI from one step to the next says how long leads wait there
    days: list[float | None] = []
    following: list[str | None] = [*steps[1:], None] if steps else []
    for here, nxt in zip(steps, following, strict=True):
        found = None
        for kpi in kpis:
            if (
                kpi.kind == "response-time"
                and kpi.target is not None
                and (kpi.from_step, kpi.to_step) == (here, nxt)
                and kpi.unit in ("hours", "days")
            ):
                found = kpi.target / 24 if kpi.unit == "hours" else kpi.target
        days.append(found)
    return days


def volumes(c: Chain, won: float) -> list[float | None]:
    """Records needed at each node for ``won`` won deals, back along the line."""
    out: list[float | None] = [None] * len(c.nodes)
    if not c.nodes or c.nodes[-1].kind != "won":
        return out
    out[-1] = won
    j = len(c.nodes) - 1
    while j > 0:
        link = c.links[j - 1]
        known = out[j]
        assert known is not None
        if link is not None and link.value > 0:
            out[j - 1] = known / link.value
            j -= 1
            continue
        span = _span_to(c, j)
        if span is None:
            break
        rate, start = span
        out[start] = known / rate.value
        j = start
    # forwards from what is known: a node inside a span whose own entry rate is given
    for i in range(1, len(out)):
        link = c.links[i - 1]
        before = out[i - 1]
        if out[i] is None and before is not None and link is not None:
            out[i] = before * link.value
    return out


def _span_to(c: Chain, end: int) -> tuple[Rate, int] | None:
    # the shortest declared span that ends at node `end`
    best: tuple[Rate, int] | None = None
    for span in c.spans:
        if span.end != c.nodes[end].id or span.value <= 0:
            continue
        start = c.index(span.start)
        if start is not None and start < end and (best is None or start > best[1]):
            best = (span, start)
    return best


def kpi_per_period(kpi: Kpi, period: str) -> float:
    """A KPI's target brought to the plan's period through its ``frequency``."""
    assert kpi.target is not None
    months = FREQUENCY_MONTHS.get(kpi.frequency, PERIOD_MONTHS[period])
    return kpi.target * PERIOD_MONTHS[period] / months
