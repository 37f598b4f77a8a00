"""Seeded CRM histories of any size, shaped by a playbook's funnel.

Tests and the benchmark need stage histories that look like a real CRM's
(most deals lost early, a few linger past their stage's target, the newest
still open) at sizes no shared export has. :func:`history` draws them from
the playbook itself, so the measured figures land near the declared ones:

* deals walk the open stages of a motion in order; from a stage with
  probability ``p`` the deal reaches the next stage (probability ``q``) with
  chance ``p / q``, and the last open stage is won with chance ``p / 100``,
  so the share of deals won from each stage *is* its declared probability;
* the days spent in a stage follow a log-normal law whose median is 80% of
  the stage's ``target_days`` (7 days where none is declared), so roughly a
  quarter of the stays run over target;
* leads walk the lifecycle's funnel steps; from one step to the next they
  convert at the rate of a ``conversion`` KPI between the two when the
  playbook declares one (a KPI over several steps is spread evenly over
  them; 50% otherwise), after a mean wait of a response-time KPI's hours or
  the SLA of the handoff at that step (48 hours otherwise);
  at a handoff's step the first response comes after a median of 60% of its
  ``respond_within``, a lead that does not move on goes to the handoff's
  ``on_reject`` step (with one of its reasons, nine times in ten) or, one
  time in ten, stays where it is, left behind; a lead
  that reaches the ``converted`` step opens a deal.

The same playbook, sizes and seed give the same rows, byte for byte: every
draw comes from one :class:`random.Random` in a fixed order, and nothing
reads the clock. Rows stream out (a generator), so ten million of them need
no more memory than ten.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import TextIO

from gtmplay.funnel import Chain, chain
from gtmplay.measure.events import EVENT_COLUMN_NAMES
from gtmplay.model import LifecycleStep, Motion, Playbook, Stage

DEFAULT_START = datetime(2025, 1, 1)
DEFAULT_DAYS = 365
DEFAULT_DEAL_SIZE = 25_000.0
# where the playbook declares nothing, these shape the history
DEFAULT_STAGE_DAYS = 7
DEFAULT_STEP_RATE = 0.5
DEFAULT_STEP_HOURS = 48.0
# share of the leads a handoff does not pass on that nobody accepts or rejects
LEFT_BEHIND = 0.1
# median stay = this share of target_days; sigma spreads the stays around it
MEDIAN_OF_TARGET = 0.8
DAYS_SIGMA = 0.6
LOSS_REASONS: tuple[str, ...] = ("No budget", "Chose a competitor", "No decision", "Timing")
SOURCES: tuple[tuple[str, int], ...] = (
    ("Web", 35),
    ("Paid Search", 20),
    ("Referral", 15),
    ("Event", 12),
    ("Partner", 10),
    ("Outbound", 8),
)
DEFAULT_SEGMENTS: tuple[str, ...] = ("SMB", "Mid-Market", "Enterprise")
FORECAST_NAMES = {
    "pipeline": "Pipeline",
    "best-case": "Best Case",
    "commit": "Commit",
    "closed": "Closed",
    "omitted": "Omitted",
}


@dataclass(frozen=True, slots=True)
class Event:
    """One stay, in the canonical event format (:mod:`gtmplay.measure.events`).

    ``crm_stage`` is the CRM's name for the stage or status (the playbook's
    ``name``, as an export shows it) and ``stage`` the playbook id it maps to;
    ``exited_at`` is ``None`` while the record is still there. ``outcome`` is
    ``won`` or ``lost`` on every row of a closed record, empty while open.
    """

    record_id: str
    kind: str  # deal or lead
    crm_stage: str
    stage: str
    entered_at: datetime
    exited_at: datetime | None
    responded_at: datetime | None
    owner: str
    source: str
    amount: float | None
    motion: str
    segment: str
    persona: str
    market: str
    outcome: str
    reason: str


@dataclass(frozen=True, slots=True)
class DealShape:
    """How deals of one motion move: its open stages, how they close."""

    motion: str
    stages: tuple[Stage, ...]  # open stages, in order
    advance: tuple[float, ...]  # chance to leave stage i forwards (the last: to won)
    won: Stage
    lost: Stage


@dataclass(frozen=True, slots=True)
class StepShape:
    """One funnel step of the lifecycle and how leads leave it."""

    step: LifecycleStep
    rate: float  # chance to reach the next step (0 for the last)
    hours: float  # mean hours before moving on
    sla_hours: float | None  # respond_within of the handoff at this step
    reject: LifecycleStep | None  # where the handoff sends a rejected lead
    reasons: tuple[str, ...]  # the handoff's reject reasons


def deal_shapes(playbook: Playbook) -> tuple[DealShape, ...]:
    """One shape per sales motion that has open stages, a won and a lost stage."""
    shapes = []
    for motion in playbook.sales_motions:
        shape = _deal_shape(playbook, motion)
        if shape is not None:
            shapes.append(shape)
    return tuple(shapes)


def _deal_shape(playbook: Playbook, motion: Motion) -> DealShape | None:
    stages = [s for s in (playbook.stage(i) for i in motion.stages) if s is not None]
    open_ = tuple(s for s in stages if not s.closed)
    won = next((s for s in stages if s.won), None)
    lost = next((s for s in stages if s.closed and not s.won), None)
    if not open_ or won is None or lost is None:
        return None
    probabilities = [s.probability for s in open_] + [100]
    advance = tuple(
        min(1.0, here / nxt) if nxt > 0 else 0.0 for here, nxt in pairwise(probabilities)
    )
    return DealShape(motion=motion.id, stages=open_, advance=advance, won=won, lost=lost)


def lead_shape(playbook: Playbook) -> tuple[StepShape, ...]:
    """The lifecycle's funnel steps with their declared (or default) rates and delays.

    The rates and waits are the funnel line's (:func:`gtmplay.funnel.chain`);
    a conversion KPI over several steps whose steps declare none of their own
    is spread evenly over them (22% over two steps: 46.9% each).
    """
    steps = [s for s in playbook.lifecycle if s.kind == "funnel"]
    line = chain(playbook, playbook.sales_motions[0])
    shapes = []
    for i, step in enumerate(steps):
        nxt = steps[i + 1] if i + 1 < len(steps) else None
        rate = _step_rate(line, step.id, nxt.id) if nxt else 0.0
        here = line.index(step.id)
        declared = line.nodes[here].days if here is not None and nxt is not None else None
        handoff = next((h for h in playbook.handoffs if h.at == step.id), None)
        sla = handoff.sla.respond_within_hours if handoff and handoff.sla else None
        shapes.append(
            StepShape(
                step=step,
                rate=DEFAULT_STEP_RATE if rate is None else rate,
                hours=declared * 24 if declared else sla or DEFAULT_STEP_HOURS,
                sla_hours=sla,
                reject=playbook.step(handoff.on_reject) if handoff else None,
                reasons=handoff.reject_reasons if handoff else (),
            )
        )
    return tuple(shapes)


def _step_rate(line: Chain, start: str, end: str) -> float | None:
    i, j = line.index(start), line.index(end)
    if i is None or j != i + 1:
        return None
    link = line.links[i]
    if link is not None:
        return link.value
    for span in line.spans:
        a, b = line.index(span.start), line.index(span.end)
        inside = a is not None and b is not None and a <= i < j <= b
        if inside and all(line.links[k] is None for k in range(a or 0, b or 0)):
            return float(span.value ** (1 / ((b or 0) - (a or 0))))
    return None


def history(
    playbook: Playbook,
    *,
    seed: int,
    deals: int = 0,
    leads: int = 0,
    rows: int | None = None,
    start: datetime = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    deal_size: float = DEFAULT_DEAL_SIZE,
) -> Iterator[Event]:
    """Yield the events of ``leads`` leads, then of ``deals`` deals opened directly.

    A lead that reaches the converted step opens a deal, whose events follow
    the lead's. With ``rows``, deals keep coming (``deals`` is ignored) until
    at least that many events were yielded; the last deal is always complete.
    Records are created evenly over ``days`` days from ``start``; a record
    whose next move would fall after that window stays where it is, open.
    """
    shapes = deal_shapes(playbook)
    if not shapes and (deals or rows):
        raise ValueError("the playbook has no motion with open, won and lost stages")
    gen = _Generator(playbook, random.Random(seed), start, days, deal_size, shapes)
    count = 0
    for n in range(leads):
        for event in gen.lead(n):
            count += 1
            yield event
    n = 0
    while (rows is not None and count < rows) or (rows is None and n < deals):
        for event in gen.deal(f"D{n:08d}", None, None):
            count += 1
            yield event
        n += 1


class _Generator:
    """The draws, in one fixed order per record (the order is the format)."""

    def __init__(
        self,
        playbook: Playbook,
        rng: random.Random,
        start: datetime,
        days: int,
        deal_size: float,
        shapes: tuple[DealShape, ...],
    ) -> None:
        self.rng = rng
        self.start = start
        self.end = start + timedelta(days=days)
        self.days = days
        self.mu_size = math.log(deal_size)
        self.shapes = shapes
        self.steps = lead_shape(playbook)
        markets = playbook.strategy.markets if playbook.strategy else ()
        self.segments = tuple(sorted({seg for m in markets for seg in m.segments})) or (
            DEFAULT_SEGMENTS
        )
        self.markets = tuple(m.id for m in markets) or ("",)
        self.personas = tuple(p.id for p in playbook.personas) or ("",)
        self.sources = tuple(name for name, _ in SOURCES)
        self.weights = tuple(w for _, w in SOURCES)
        self.owners = tuple(f"rep-{i:02d}" for i in range(1, 13))

    def _created(self) -> datetime:
        return self.start + timedelta(seconds=self.rng.randrange(self.days * 86_400))

    def _stay(self, target_days: float) -> timedelta:
        median = max(target_days, 0.1) * MEDIAN_OF_TARGET
        days = self.rng.lognormvariate(math.log(median), DAYS_SIGMA)
        return timedelta(seconds=round(days * 86_400))

    def _who(self) -> tuple[str, str, str, str, str]:
        rng = self.rng
        return (
            rng.choice(self.owners),
            rng.choices(self.sources, self.weights)[0],
            rng.choice(self.segments),
            rng.choice(self.personas),
            rng.choice(self.markets),
        )

    def lead(self, n: int) -> Iterator[Event]:
        rng = self.rng
        rid = f"L{n:08d}"
        at = self._created()
        who = self._who()
        stays: list[tuple[LifecycleStep, datetime, datetime | None, datetime | None, str]] = []
        outcome = ""
        for shape in self.steps:
            responded = None
            if shape.sla_hours:
                # median response at 60% of the SLA: about one in five answered late
                hours = rng.lognormvariate(math.log(0.6 * shape.sla_hours), 0.9)
                responded = at + timedelta(seconds=round(hours * 3600))
            moves = rng.random() < shape.rate
            until = at + timedelta(seconds=round(rng.expovariate(1 / shape.hours) * 3600))
            if responded is not None:
                until = max(until, responded)
            if until > self.end:
                stays.append((shape.step, at, None, responded, ""))
                break
            if shape.step.converted:
                outcome = "won"
            if not moves:
                if shape.reject is None or rng.random() < LEFT_BEHIND:
                    # never moved on: still there, as a CRM shows a lead nobody acted on
                    stays.append((shape.step, at, None, responded, ""))
                    break
                outcome = "lost"
                stays.append((shape.step, at, until, responded, ""))
                # one rejected lead in ten has no reason written down
                reason = rng.choice(shape.reasons) if shape.reasons and rng.random() < 0.9 else ""
                stays.append((shape.reject, until, None, None, reason))
                break
            stays.append((shape.step, at, until, responded, ""))
            at = until
        owner, source, segment, persona, market = who
        for step, entered, exited, responded, reason in stays:
            yield Event(
                rid, "lead", step.name, step.id, entered, exited, responded, owner, source,
                None, step.motion or "", segment, persona, market, outcome, reason,
            )  # fmt: skip
        converted = next((s for s in stays if s[0].converted), None)
        if converted is not None:
            yield from self.deal(f"O{n:08d}", converted[1], who)

    def deal(
        self, rid: str, created: datetime | None, who: tuple[str, str, str, str, str] | None
    ) -> Iterator[Event]:
        rng = self.rng
        shape = self.shapes[0] if len(self.shapes) == 1 else rng.choice(self.shapes)
        at = created if created is not None else self._created()
        owner, source, segment, persona, market = who or self._who()
        amount = round(rng.lognormvariate(self.mu_size, 0.7), 2)
        path: list[tuple[Stage, datetime, datetime | None]] = []
        outcome = ""
        for i, stage in enumerate(shape.stages):
            until = at + self._stay(stage.target_days or DEFAULT_STAGE_DAYS)
            if until > self.end:
                path.append((stage, at, None))
                break
            path.append((stage, at, until))
            at = until
            if rng.random() >= shape.advance[i]:
                outcome = "lost"
                break
        else:
            outcome = "won"
        reason = ""
        if outcome:
            path.append((shape.won if outcome == "won" else shape.lost, at, None))
            reason = rng.choice(LOSS_REASONS) if outcome == "lost" else ""
        for stage, entered, exited in path:
            yield Event(
                rid, "deal", stage.name, stage.id, entered, exited, None, owner, source, amount,
                shape.motion, segment, persona, market, outcome, reason if stage.closed else "",
            )  # fmt: skip


# -- writers ---------------------------------------------------------------


def _when(value: datetime | None) -> str:
    # the same text as strftime("%Y-%m-%d %H:%M:%S") for the naive datetimes of
    # years 1000-9999 made here (microseconds dropped), at a third of the cost:
    # two or three of these per row
    return value.isoformat(" ", "seconds") if value is not None else ""


def _money(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else ""


def _cells(e: Event) -> dict[str, str]:
    return {
        "record_id": e.record_id,
        "kind": e.kind,
        "crm_stage": e.crm_stage,
        "stage": e.stage,
        "entered_at": _when(e.entered_at),
        "exited_at": _when(e.exited_at),
        "responded_at": _when(e.responded_at),
        "owner": e.owner,
        "source": e.source,
        "amount": _money(e.amount),
        "motion": e.motion,
        "segment": e.segment,
        "persona": e.persona,
        "market": e.market,
        "outcome": e.outcome,
        "reason": e.reason,
    }


def write_events(out: TextIO, events: Iterable[Event]) -> int:
    """Write ``events`` in the generic event CSV format; return the number of rows.

    Every column of the format, in its order; the reader's own columns (the
    file and line a row came from) are left empty.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EVENT_COLUMN_NAMES)
    n = 0
    for e in events:
        cells = _cells(e)
        writer.writerow([cells.get(name, "") for name in EVENT_COLUMN_NAMES])
        n += 1
    return n


# the columns of a Salesforce Data Export of OpportunityHistory, in its order
OPPORTUNITY_HISTORY_HEADER = (
    "Id",
    "OpportunityId",
    "CreatedById",
    "CreatedDate",
    "CreatedDateForInsert",
    "StageName",
    "Amount",
    "ExpectedRevenue",
    "CloseDate",
    "Probability",
    "FromForecastCategory",
    "ForecastCategory",
    "PrevForecastUpdate",
    "FromOpportunityStageName",
    "PrevOpportunityStageUpdate",
    "ValidThroughDate",
    "SystemModstamp",
    "IsDeleted",
)


def write_opportunity_history(out: TextIO, playbook: Playbook, events: Iterable[Event]) -> int:
    """Write the deal events as Salesforce's ``OpportunityHistory`` export; return the rows.

    As Salesforce exports it: every field quoted, booleans ``0``/``1``, one row
    per stage change with the stage before it. Leads are left out (Salesforce
    keeps them in ``LeadHistory``). ``CloseDate`` is the day the deal closed or,
    while it is open, the day it entered its current stage.
    """
    stages = {s.id: s for s in playbook.stages}
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(OPPORTUNITY_HISTORY_HEADER)
    n = 0
    for deal in _by_record(e for e in events if e.kind == "deal"):
        last = deal[-1]
        close = last.entered_at.date().isoformat() + " 00:00:00"
        before: Event | None = None
        for e in deal:
            stage = stages[e.stage]
            amount = e.amount or 0.0
            category = FORECAST_NAMES.get(stage.forecast, "Pipeline")
            previous = FORECAST_NAMES.get(stages[before.stage].forecast, "") if before else ""
            when = _when(e.entered_at)
            writer.writerow(
                (
                    f"008{n:015d}", f"006{e.record_id:0>15}", f"005{e.owner:0>15}", when, when,
                    e.crm_stage,
                    _money(amount), _money(amount * stage.probability / 100), close,
                    str(stage.probability), previous, category, "",
                    before.crm_stage if before else "", _when(before.entered_at) if before else "",
                    "", when, "0",
                )
            )  # fmt: skip
            before = e
            n += 1
    return n


def _by_record(events: Iterable[Event]) -> Iterator[list[Event]]:
    # the generator yields each record's events together, in order
    group: list[Event] = []
    for e in events:
        if group and e.record_id != group[0].record_id:
            yield group
            group = []
        group.append(e)
    if group:
        yield group


def write_csv(path: Path, writer: str, playbook: Playbook, events: Iterable[Event]) -> int:
    """Write ``events`` to ``path`` in the layout ``writer`` (``events`` or ``salesforce``)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        if writer == "salesforce":
            return write_opportunity_history(out, playbook, events)
        return write_events(out, events)
