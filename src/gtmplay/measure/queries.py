"""The metrics of ``gtmplay measure``, written once as SQL.

Every query reads only the canonical tables of :mod:`gtmplay.measure.events`
(``events``, ``declared_stages``, ``declared_handoffs``) and the views defined
before it here, by bare name. The text is DuckDB's dialect kept as close to
ANSI as it goes (``CASE`` inside aggregates rather than ``FILTER``,
``PERCENTILE_CONT ... WITHIN GROUP``, ``DATE_DIFF('second', a, b)``,
``DATE_TRUNC``) so that sqlglot can transpile it for the warehouses and the
dbt project can use each view as a model: the engine runs exactly these texts,
the exporters emit exactly these texts, so the numbers cannot drift apart.

Each :class:`Query` is either a ``view`` (an intermediate other queries read:
a dbt model) or a ``result`` whose rows become one kind of figure in
:mod:`gtmplay.measure.figures` (the column names are the figure's fields).
:data:`QUERIES` is in dependency order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

QueryRole = Literal["view", "result"]
# the dimensions conversion is broken down by (columns of ``events``)
DIMENSIONS: tuple[str, ...] = ("source", "persona", "market", "segment", "owner")
# the periods the trend is computed by (DATE_TRUNC units)
GRAINS: tuple[str, ...] = ("month", "quarter")
# a KPI's `frequency` as the DATE_TRUNC unit its revenue and volume are summed by
# (weeks start on Monday, as ISO and DuckDB count them)
FREQUENCY_GRAINS: dict[str, str] = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
}


@dataclass(frozen=True, slots=True)
class Query:
    """One named metric: its SQL, what it means, and whether it is a view."""

    name: str
    role: QueryRole
    doc: str
    sql: str


def _ratio(num: str, den: str) -> str:
    # NULL, not a division error, when nothing was counted: "no data" is not 0 %
    return f"CASE WHEN {den} > 0 THEN 1.0 * {num} / ({den}) END"


def _quantiles(expr: str, prefix: str) -> str:
    return ",\n  ".join(
        f"PERCENTILE_CONT({q}) WITHIN GROUP (ORDER BY {expr}) AS {name}_{prefix}"
        for q, name in (("0.5", "median"), ("0.75", "p75"), ("0.9", "p90"))
    )


_AS_OF = """\
SELECT MAX(COALESCE(exited_at, entered_at)) AS as_of
FROM events"""

# One row per stay that maps to a declared stage or step, with what the
# playbook declares about it, its length, and the next stay of the same record
# (by entry time, then position) for transitions. The moment of the data is a
# scalar subquery, not a CROSS JOIN: PostgreSQL, which expects one row from the
# join above, put the join's aggregate on the inner side of a nested loop and
# read every event again for each stay (36 s instead of 0.1 s on 24,000 events);
# a scalar subquery is computed once on every engine.
_STAYS = """\
SELECT
  e.record_id,
  e.kind,
  d.motion,
  e.stage,
  d.position,
  d.outcome AS stage_outcome,
  d.target_days,
  d.probability,
  e.entered_at,
  e.exited_at,
  e.responded_at,
  e.outcome,
  e.reason,
  e.source,
  e.persona,
  e.market,
  e.segment,
  e.owner,
  e.amount,
  DATE_DIFF('second', e.entered_at, e.exited_at) / 86400.0 AS days,
  DATE_DIFF('second', e.entered_at, e.responded_at) / 3600.0 AS response_hours,
  DATE_DIFF('second', e.entered_at, (SELECT as_of FROM as_of)) / 86400.0 AS age_days,
  LEAD(e.stage) OVER (
    PARTITION BY e.kind, e.record_id ORDER BY COALESCE(e.entered_at, e.exited_at), d.position
  ) AS next_stage,
  LEAD(d.position) OVER (
    PARTITION BY e.kind, e.record_id ORDER BY COALESCE(e.entered_at, e.exited_at), d.position
  ) AS next_position,
  LEAD(e.entered_at) OVER (
    PARTITION BY e.kind, e.record_id ORDER BY COALESCE(e.entered_at, e.exited_at), d.position
  ) AS next_entered_at,
  LEAD(e.reason) OVER (
    PARTITION BY e.kind, e.record_id ORDER BY COALESCE(e.entered_at, e.exited_at), d.position
  ) AS next_reason
FROM events AS e
JOIN declared_stages AS d
  ON d.kind = e.kind
  AND d.stage = e.stage
  AND (e.kind = 'lead' OR d.motion = COALESCE(e.motion, ''))"""

# One row per record: how far it went and how it ended.
_RECORDS = """\
SELECT
  kind,
  record_id,
  motion,
  MIN(entered_at) AS first_entered_at,
  MIN(CASE WHEN stage_outcome = 'won' THEN entered_at END) AS won_at,
  MAX(CASE WHEN stage_outcome = 'won' OR outcome = 'won' THEN 1 ELSE 0 END) AS won,
  MAX(
    CASE WHEN stage_outcome = 'lost' OR outcome = 'lost' THEN 1 ELSE 0 END
  ) AS lost_flag,
  MAX(CASE WHEN stage_outcome <> 'lost' THEN position END) AS furthest,
  MIN(CASE WHEN stage_outcome = 'lost' THEN entered_at END) AS lost_at,
  MAX(COALESCE(exited_at, entered_at)) AS last_seen_at,
  MAX(source) AS source,
  MAX(persona) AS persona,
  MAX(market) AS market,
  MAX(segment) AS segment,
  MAX(owner) AS owner
FROM stays
GROUP BY kind, record_id, motion"""

_OUTCOMES = """\
SELECT
  kind,
  record_id,
  motion,
  first_entered_at,
  won_at,
  furthest,
  won,
  CASE WHEN won = 1 THEN 0 ELSE lost_flag END AS lost,
  source,
  persona,
  market,
  segment,
  owner,
  CASE
    WHEN won = 1 THEN COALESCE(won_at, last_seen_at)
    WHEN lost_flag = 1 THEN COALESCE(lost_at, last_seen_at)
  END AS closed_at
FROM records"""

# {kind}: 'deal' for the sales stages, 'lead' for the lifecycle steps
_STAGE_TIME = f"""\
SELECT
  motion,
  stage,
  COUNT(entered_at) AS stays,
  COUNT(days) AS completed,
  {_quantiles("days", "days")},
  MAX(target_days) AS target_days,
  SUM(CASE WHEN exited_at IS NULL AND entered_at IS NOT NULL THEN 1 ELSE 0 END) AS open,
  SUM(
    CASE
      WHEN exited_at IS NULL AND entered_at IS NOT NULL AND age_days > target_days THEN 1
      ELSE 0
    END
  ) AS open_past_target,
  SUM(CASE WHEN days > target_days THEN 1 ELSE 0 END) AS completed_past_target
FROM stays
WHERE kind = '{{kind}}' AND stage_outcome = 'open'
GROUP BY motion, stage"""

# each record counted once per stage it entered (the DISTINCT below), so the
# counts are plain COUNTs: COUNT(DISTINCT ...) five times over every stay cost
# twice as much
_ADVANCED = "COUNT(CASE WHEN o.furthest > s.position THEN 1 END)"
_WON = "COUNT(CASE WHEN o.won = 1 THEN 1 END)"
_CLOSED = "COUNT(CASE WHEN o.won = 1 OR o.lost = 1 THEN 1 END)"
_STAGE_CONVERSION = f"""\
SELECT
  s.motion,
  s.stage,
  COUNT(*) AS entered,
  {_ADVANCED} AS advanced,
  {_ratio(_ADVANCED, "COUNT(*)")} AS conversion,
  {_WON} AS won,
  {_CLOSED} AS closed,
  {_ratio(_WON, _CLOSED)} AS win_rate,
  MAX(s.probability) / 100.0 AS declared_probability
FROM (
  SELECT DISTINCT kind, record_id, motion, stage, position, probability
  FROM stays
  WHERE kind = 'deal' AND stage_outcome = 'open'
) AS s
JOIN outcomes AS o
  ON o.kind = s.kind AND o.record_id = s.record_id AND o.motion = s.motion
GROUP BY s.motion, s.stage"""

_CYCLE = f"""\
SELECT
  motion,
  kind,
  COUNT(*) AS won,
  {_quantiles("DATE_DIFF('second', first_entered_at, won_at) / 86400.0", "days")}
FROM outcomes
WHERE won = 1 AND first_entered_at IS NOT NULL AND won_at IS NOT NULL
GROUP BY motion, kind"""

_BACKWARD = """\
SELECT
  motion,
  kind,
  COUNT(next_position) AS moves,
  SUM(CASE WHEN next_position < position THEN 1 ELSE 0 END) AS backward,
  COUNT(DISTINCT CASE WHEN next_position < position THEN record_id END) AS records_moved_back
FROM stays
GROUP BY motion, kind"""

_HANDOFFS = f"""\
SELECT
  h.handoff,
  h.step,
  COUNT(s.entered_at) AS arrivals,
  COUNT(s.response_hours) AS responded,
  {_quantiles("s.response_hours", "response_hours")},
  MAX(h.respond_within_hours) AS respond_within_hours,
  SUM(CASE WHEN s.response_hours <= h.respond_within_hours THEN 1 ELSE 0 END) AS within_sla,
  {
    _ratio(
        "SUM(CASE WHEN s.response_hours <= h.respond_within_hours THEN 1 ELSE 0 END)",
        "COUNT(s.entered_at)",
    )
} AS share_within_sla,
  MAX(h.window_hours) AS window_hours,
  SUM(
    CASE
      WHEN s.entered_at IS NOT NULL
        AND s.age_days * 24 > h.window_hours
        AND (
          s.exited_at IS NULL
          OR DATE_DIFF('second', s.entered_at, s.exited_at) / 3600.0 > h.window_hours
        )
      THEN 1 ELSE 0
    END
  ) AS left_behind,
  SUM(CASE WHEN s.next_stage = h.reject_step THEN 1 ELSE 0 END) AS rejected,
  SUM(
    CASE
      WHEN s.next_stage = h.reject_step
        AND COALESCE(NULLIF(TRIM(s.next_reason), ''), NULLIF(TRIM(s.reason), '')) IS NULL
      THEN 1
      ELSE 0
    END
  ) AS rejected_without_reason
FROM declared_handoffs AS h
LEFT JOIN stays AS s
  ON s.kind = 'lead' AND s.stage = h.step
GROUP BY h.handoff, h.step"""

_WATERFALL = """\
SELECT
  d.stage AS step,
  d.position,
  COUNT(o.record_id) AS reached
FROM declared_stages AS d
LEFT JOIN outcomes AS o
  ON o.kind = 'lead'
  AND (o.furthest >= d.position OR (o.won = 1 AND d.outcome = 'won'))
WHERE d.kind = 'lead' AND d.outcome <> 'lost'
GROUP BY d.stage, d.position"""

# {dimension} is one of DIMENSIONS: a column name, never user text.
_CONVERSION_BY = f"""\
SELECT
  '{{dimension}}' AS dimension,
  kind,
  motion,
  COALESCE({{dimension}}, '') AS value,
  COUNT(*) AS records,
  SUM(won) AS won,
  SUM(lost) AS lost,
  {_ratio("SUM(won)", "COUNT(*)")} AS conversion,
  {_ratio("SUM(won)", "SUM(won) + SUM(lost)")} AS win_rate
FROM outcomes
GROUP BY kind, motion, COALESCE({{dimension}}, '')"""

# {grain} is one of GRAINS.
_STAGE_TIME_BY = f"""\
SELECT
  '{{grain}}' AS grain,
  motion,
  stage,
  CAST(DATE_TRUNC('{{grain}}', entered_at) AS DATE) AS period,
  COUNT(*) AS stays,
  COUNT(days) AS completed,
  {_quantiles("days", "days")}
FROM stays
WHERE kind = 'deal' AND stage_outcome = 'open' AND entered_at IS NOT NULL
GROUP BY motion, stage, CAST(DATE_TRUNC('{{grain}}', entered_at) AS DATE)"""


def _amount_sum(expr: str) -> str:
    # summed as exact decimals (6 places; 23 digits before the point, within
    # BigQuery's NUMERIC): a sum of DOUBLEs depends on the order the threads add
    # them in, so two runs, or two warehouses, would differ in the last bits
    return f"CAST(SUM(CAST({expr} AS DECIMAL(29, 6))) AS DOUBLE)"


# One row per deal (per motion): its outcome, the stage of its latest stay (an
# open deal's stage on the date of the data) and its amount: the latest stay
# that has one, since a CRM's history keeps the amount as it was changed.
# Both come from one ordering of the deal's stays, latest first (ties on the
# moment and position: the larger amount first), so the warehouse sorts them
# once: the latest stay is the first row, the latest amount the first row where
# the running count of amounts is 1 and the amount is there (a second
# ROW_NUMBER putting the stays without an amount last cost a second sort, a
# third of this view's time).
_LATEST = "COALESCE(entered_at, exited_at) DESC NULLS LAST, position DESC, amount DESC"
_LATEST_FIRST = f"PARTITION BY record_id, motion ORDER BY {_LATEST}"
_DEALS = f"""\
SELECT
  o.record_id,
  o.motion,
  o.won,
  o.lost,
  o.won_at,
  l.stage,
  l.position,
  l.amount
FROM outcomes AS o
JOIN (
  SELECT
    record_id,
    motion,
    MAX(CASE WHEN latest = 1 THEN stage END) AS stage,
    MAX(CASE WHEN latest = 1 THEN position END) AS position,
    MAX(CASE WHEN amounts = 1 AND amount IS NOT NULL THEN amount END) AS amount
  FROM (
    SELECT
      record_id,
      motion,
      stage,
      position,
      amount,
      ROW_NUMBER() OVER ({_LATEST_FIRST}) AS latest,
      COUNT(amount) OVER (
        {_LATEST_FIRST} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS amounts
    FROM stays
    WHERE kind = 'deal'
  ) AS ranked
  GROUP BY record_id, motion
) AS l
  ON l.record_id = o.record_id AND l.motion = o.motion
WHERE o.kind = 'deal'"""

_DEAL_VALUES = f"""\
SELECT
  motion,
  COUNT(*) AS deals,
  COUNT(amount) AS with_amount,
  SUM(CASE WHEN won = 0 AND lost = 0 THEN 1 ELSE 0 END) AS open,
  SUM(won) AS won,
  SUM(lost) AS lost,
  COUNT(CASE WHEN won = 1 THEN amount END) AS won_with_amount,
  {_amount_sum("CASE WHEN won = 1 THEN amount END")} AS won_amount
FROM deals
GROUP BY motion"""

_OPEN_PIPELINE = f"""\
SELECT
  motion,
  stage,
  MAX(position) AS position,
  COUNT(*) AS open,
  COUNT(amount) AS with_amount,
  {_amount_sum("amount")} AS amount
FROM deals
WHERE won = 0 AND lost = 0
GROUP BY motion, stage"""

# When each record reached each declared stage or step: its first dated stay
# there or at a later position (a record that skipped a step still passed it,
# as on the waterfall); a lost stage or step is reached only by entering it.
# The stays are joined as they are (MIN of MINs is the MIN): grouping them
# first per record and position hashed every record id a second time and,
# unless records re-enter stages often, barely made the join smaller (at 1M
# generated rows: 1,000,001 groups of 1,000,001 stays).
_REACHED = """\
SELECT
  d.kind,
  d.motion,
  d.stage,
  f.record_id,
  MIN(f.entered_at) AS reached_at
FROM declared_stages AS d
JOIN stays AS f
  ON f.kind = d.kind
  AND f.motion = d.motion
  AND (
    f.position = d.position
    OR (d.outcome <> 'lost' AND f.stage_outcome <> 'lost' AND f.position > d.position)
  )
GROUP BY d.kind, d.motion, d.stage, f.record_id"""

# {grain} is one of FREQUENCY_GRAINS' values.
_REVENUE_BY = f"""\
SELECT
  '{{grain}}' AS grain,
  motion,
  CAST(DATE_TRUNC('{{grain}}', won_at) AS DATE) AS period,
  COUNT(*) AS won,
  COUNT(amount) AS with_amount,
  {_amount_sum("amount")} AS amount
FROM deals
WHERE won = 1 AND won_at IS NOT NULL
GROUP BY motion, CAST(DATE_TRUNC('{{grain}}', won_at) AS DATE)"""

_VOLUME_BY = """\
SELECT
  '{grain}' AS grain,
  kind,
  motion,
  stage,
  CAST(DATE_TRUNC('{grain}', reached_at) AS DATE) AS period,
  COUNT(*) AS records
FROM reached
WHERE reached_at IS NOT NULL
GROUP BY kind, motion, stage, CAST(DATE_TRUNC('{grain}', reached_at) AS DATE)"""

# {grain} is one of GRAINS. The cohort of a stage in a period: the records
# whose first entry into the stage fell in it (a record that came back to the
# stage later stays in its first cohort, as in ``stage_conversion``).
_STAGE_CONVERSION_BY = f"""\
SELECT
  '{{grain}}' AS grain,
  s.motion,
  s.stage,
  CAST(DATE_TRUNC('{{grain}}', s.first_entered_at) AS DATE) AS period,
  COUNT(*) AS entered,
  {_ADVANCED} AS advanced,
  {_ratio(_ADVANCED, "COUNT(*)")} AS conversion,
  {_WON} AS won,
  {_CLOSED} AS closed,
  {_ratio(_WON, _CLOSED)} AS win_rate
FROM (
  SELECT kind, record_id, motion, stage, position, MIN(entered_at) AS first_entered_at
  FROM stays
  WHERE kind = 'deal' AND stage_outcome = 'open' AND entered_at IS NOT NULL
  GROUP BY kind, record_id, motion, stage, position
) AS s
JOIN outcomes AS o
  ON o.kind = s.kind AND o.record_id = s.record_id AND o.motion = s.motion
GROUP BY s.motion, s.stage, CAST(DATE_TRUNC('{{grain}}', s.first_entered_at) AS DATE)"""

# {grain} is one of GRAINS. Every funnel step of every period that has leads,
# 0 where none reached it, so each period's funnel is complete.
_WATERFALL_BY = """\
SELECT
  '{grain}' AS grain,
  p.period,
  d.stage AS step,
  d.position,
  COUNT(o.record_id) AS reached
FROM (
  SELECT DISTINCT CAST(DATE_TRUNC('{grain}', first_entered_at) AS DATE) AS period
  FROM outcomes
  WHERE kind = 'lead' AND first_entered_at IS NOT NULL
) AS p
CROSS JOIN declared_stages AS d
LEFT JOIN outcomes AS o
  ON o.kind = 'lead'
  AND CAST(DATE_TRUNC('{grain}', o.first_entered_at) AS DATE) = p.period
  AND (o.furthest >= d.position OR (o.won = 1 AND d.outcome = 'won'))
WHERE d.kind = 'lead' AND d.outcome <> 'lost'
GROUP BY p.period, d.stage, d.position"""

# {grain} is one of GRAINS. A won record closes when it first reaches a won
# stage or step, a lost one when it first reaches a lost one; a record only
# the CRM's outcome column calls won or lost (that column is on every row of
# the record) closes at the latest date its stays hold.
_WIN_RATE_BY = f"""\
SELECT
  '{{grain}}' AS grain,
  motion,
  kind,
  CAST(DATE_TRUNC('{{grain}}', closed_at) AS DATE) AS period,
  COUNT(*) AS closed,
  SUM(won) AS won,
  SUM(lost) AS lost,
  {_ratio("SUM(won)", "COUNT(*)")} AS win_rate
FROM outcomes
WHERE (won = 1 OR lost = 1) AND closed_at IS NOT NULL
GROUP BY motion, kind, CAST(DATE_TRUNC('{{grain}}', closed_at) AS DATE)"""


QUERIES: tuple[Query, ...] = (
    Query(
        "as_of",
        "view",
        "The moment the data describes: its latest entry or exit. Ages of open stays are "
        "measured to it, so a report on old data does not change with the day it is run.",
        _AS_OF,
    ),
    Query(
        "stays",
        "view",
        "Every stay mapped to a declared stage or step, with its length in days, the response "
        "time in hours, the age of an open stay, and the record's next stay.",
        _STAYS,
    ),
    Query("records", "view", "One row per record: first entry, win, furthest stage.", _RECORDS),
    Query(
        "outcomes",
        "view",
        "Each record's outcome: won if it ever reached a won stage (or the CRM says won), lost "
        "otherwise when it reached a lost stage, open when neither; when it closed.",
        _OUTCOMES,
    ),
    Query(
        "stage_time",
        "result",
        "Per open stage: stays, completed stays, median/p75/p90 days in the stage, the declared "
        "target, stays still open, open stays already older than the target.",
        _STAGE_TIME.format(kind="deal"),
    ),
    Query(
        "step_time",
        "result",
        "Per lifecycle step on the funnel (not the converted one): the same figures for "
        "leads, from entering the step to leaving it.",
        _STAGE_TIME.format(kind="lead"),
    ),
    Query(
        "stage_conversion",
        "result",
        "Per open stage: records that entered it, how many went further (a later stage that is "
        "not lost), and the win rate of those that closed against the declared probability.",
        _STAGE_CONVERSION,
    ),
    Query(
        "cycle_length",
        "result",
        "Per motion: days from a won record's first entry to its win (median, p75, p90).",
        _CYCLE,
    ),
    Query(
        "backward_moves",
        "result",
        "Per motion: transitions between stays, how many went to an earlier position.",
        _BACKWARD,
    ),
    Query(
        "handoff_sla",
        "result",
        "Per declared handoff: arrivals at its step, response time (hours) against "
        "respond_within, share within the SLA, leads left behind (not moved on within the "
        "window), rejections and rejections without a reason (the reason may be on the stay "
        "the lead was rejected into or on the one it left).",
        _HANDOFFS,
    ),
    Query(
        "waterfall",
        "result",
        "Per lifecycle step on the funnel: leads that reached it or a later step.",
        _WATERFALL,
    ),
    *(
        Query(
            f"conversion_by_{dim}",
            "result",
            f"Records, wins, losses, conversion and win rate by `{dim}`.",
            _CONVERSION_BY.format(dimension=dim),
        )
        for dim in DIMENSIONS
    ),
    *(
        Query(
            f"stage_time_by_{grain}",
            "result",
            f"Time in each open stage per {grain} of entry (median, p75, p90).",
            _STAGE_TIME_BY.format(grain=grain),
        )
        for grain in GRAINS
    ),
    Query(
        "deals",
        "view",
        "One row per deal: won, lost or open, when it was won, the stage of its latest stay "
        "and its amount (from the latest stay that has one).",
        _DEALS,
    ),
    Query(
        "reached",
        "view",
        "When each record reached each declared stage or step: its first dated stay there or "
        "further on (a lost stage only by entering it).",
        _REACHED,
    ),
    Query(
        "deal_values",
        "result",
        "Per motion: deals, those with an amount, open, won and lost deals, won deals with an "
        "amount and the sum of their amounts.",
        _DEAL_VALUES,
    ),
    Query(
        "open_pipeline",
        "result",
        "Per open deal's current stage (on the date of the data): open deals, those with an "
        "amount and the sum of their amounts.",
        _OPEN_PIPELINE,
    ),
    *(
        Query(f"{name}_by_{grain}", "result", doc.format(grain=grain), sql.format(grain=grain))
        for name, doc, sql in (
            (
                "revenue",
                "Won deals and the sum of their amounts per {grain} of the win.",
                _REVENUE_BY,
            ),
            (
                "volume",
                "Records that reached each stage or step per {grain} (when they reached it).",
                _VOLUME_BY,
            ),
        )
        for grain in FREQUENCY_GRAINS.values()
    ),
    *(
        Query(
            f"stage_conversion_by_{grain}",
            "result",
            f"Conversion and win rate from each open stage for the records that first entered "
            f"it in each {grain} (the {grain}'s cohort).",
            _STAGE_CONVERSION_BY.format(grain=grain),
        )
        for grain in GRAINS
    ),
    *(
        Query(
            f"waterfall_by_{grain}",
            "result",
            f"Per {grain} of a lead's first entry: leads that reached each funnel step or a "
            "later one (0 where none did).",
            _WATERFALL_BY.format(grain=grain),
        )
        for grain in GRAINS
    ),
    *(
        Query(
            f"win_rate_by_{grain}",
            "result",
            f"Per {grain} of close (the first won stage or step, else the first lost one; "
            "without either, the record's latest date): "
            "records closed, won, lost and the win rate.",
            _WIN_RATE_BY.format(grain=grain),
        )
        for grain in GRAINS
    ),
)

BY_NAME: dict[str, Query] = {q.name: q for q in QUERIES}
