"""The baseline of bench/bench_measure.py: measure's core metrics in plain pandas.

Not part of gtmplay: this is what a team would write by hand with pandas, kept
to compare ``gtmplay measure`` against. It reads a generic event CSV and
computes, with the same definitions as ``gtmplay.measure.queries``: time in
stage (stays, completed, median/p75/p90 days, open past target), stage
conversion (entered, advanced, won, closed), sales-cycle length of won deals,
the lead waterfall, conversion by source, backward moves (each stay's next
stay of the same record) and handoff SLAs (response time, share within the
SLA, leads left behind, rejections without a reason). Still fewer figures
than measure (no per-month and per-quarter trend, one breakdown dimension
of five), which flatters pandas. Bench-only dependency: ``pip install pandas``.

Usage: ``python bench/pandas_measure.py PLAYBOOK EVENTS.csv [--steps]`` prints
a summary; ``--steps`` also prints the CPU seconds of each step (stderr).
"""

from __future__ import annotations

import sys
import time
from typing import Any

STEPS: list[tuple[str, float]] = []  # (step, CPU seconds since the previous one)
_last = [time.process_time()]


def _step(name: str) -> None:
    now = time.process_time()
    STEPS.append((name, now - _last[0]))
    _last[0] = now


def _distribution(column: str, suffix: str) -> dict[str, tuple[str, Any]]:
    """Named aggregations: the median, p75 and p90 of ``column``."""
    return {
        f"median_{suffix}": (column, "median"),
        f"p75_{suffix}": (column, lambda d: d.quantile(0.75)),
        f"p90_{suffix}": (column, lambda d: d.quantile(0.9)),
    }


def metrics(playbook_path: str, events_path: str) -> dict[str, Any]:
    import pandas as pd

    from gtmplay.measure.engine import declared_handoffs, declared_stages
    from gtmplay.measure.events import DECLARED_HANDOFF_COLUMNS, DECLARED_STAGE_COLUMNS
    from gtmplay.pipeline import check_path

    playbook = check_path(playbook_path, rules=False).playbook
    assert playbook is not None
    _step("start-up and playbook")
    declared = pd.DataFrame(
        declared_stages(playbook), columns=[c.name for c in DECLARED_STAGE_COLUMNS]
    )
    ev = pd.read_csv(
        events_path,
        usecols=["record_id", "kind", "stage", "entered_at", "exited_at", "responded_at",
                 "source", "motion", "outcome", "reason"],
        dtype={"motion": "string", "source": "string", "outcome": "string", "reason": "string"},
        parse_dates=["entered_at", "exited_at", "responded_at"],
        keep_default_na=False,
        na_values={"entered_at": [""], "exited_at": [""], "responded_at": [""]},
    )  # fmt: skip
    _step("read CSV")
    as_of = pd.concat([ev["exited_at"], ev["entered_at"]]).max()
    ev["motion"] = ev["motion"].where(ev["kind"] == "deal", "")
    stays = ev.merge(
        declared.rename(columns={"outcome": "stage_outcome"}), on=["kind", "stage", "motion"]
    )
    stays["days"] = (stays["exited_at"] - stays["entered_at"]).dt.total_seconds() / 86400
    stays["age"] = (as_of - stays["entered_at"]).dt.total_seconds() / 86400
    _step("stays (join, durations)")

    deals = stays[(stays["kind"] == "deal") & (stays["stage_outcome"] == "open")]
    grouped = deals.groupby(["motion", "stage"])
    stage_time = grouped.agg(
        stays=("record_id", "size"),
        completed=("days", "count"),
        **_distribution("days", "days"),
        target_days=("target_days", "max"),
    )
    is_open = deals["exited_at"].isna()
    stage_time["open_past_target"] = (
        (is_open & (deals["age"] > deals["target_days"])).groupby([deals["motion"],
                                                                     deals["stage"]]).sum()
    )  # fmt: skip
    _step("time in stage")

    reached = stays[stays["stage_outcome"] != "lost"]
    records = reached.groupby(["kind", "motion", "record_id"]).agg(furthest=("position", "max"))
    won_ids = stays.loc[
        (stays["stage_outcome"] == "won") | (stays["outcome"] == "won"), ["kind", "record_id"]
    ].drop_duplicates()
    lost_ids = stays.loc[stays["stage_outcome"] == "lost", ["kind", "record_id"]]
    records = records.reset_index()
    records["won"] = records.set_index(["kind", "record_id"]).index.isin(
        won_ids.set_index(["kind", "record_id"]).index
    )
    records["lost"] = ~records["won"] & records.set_index(["kind", "record_id"]).index.isin(
        lost_ids.set_index(["kind", "record_id"]).index
    )
    entered = deals[["motion", "stage", "position", "record_id"]].drop_duplicates()
    joined = entered.merge(records[records["kind"] == "deal"], on=["motion", "record_id"])
    joined["advanced"] = joined["furthest"] > joined["position"]
    joined["closed"] = joined["won"] | joined["lost"]
    conversion = joined.groupby(["motion", "stage"]).agg(
        entered=("record_id", "nunique"),
        advanced=("advanced", "sum"),
        won=("won", "sum"),
        closed=("closed", "sum"),
    )
    _step("records, stage conversion")

    firsts = stays.groupby(["kind", "record_id"])["entered_at"].min()
    won_stays = stays[stays["stage_outcome"] == "won"]
    wins = won_stays.groupby(["kind", "record_id"])["entered_at"].min()
    cycle = (
        ((wins - firsts.reindex(wins.index)).dt.total_seconds() / 86400)
        .groupby(level="kind")
        .quantile([0.5, 0.75, 0.9])
    )
    _step("cycle length")

    leads = records[records["kind"] == "lead"]
    steps = declared[(declared["kind"] == "lead") & (declared["outcome"] != "lost")]
    waterfall = {
        row.stage: int(((leads["furthest"] >= row.position) | leads["won"]).sum())
        for row in steps.itertuples()
    }
    sources = ev[["kind", "record_id", "source"]].drop_duplicates(["kind", "record_id"])
    by_source = (
        records.merge(sources, on=["kind", "record_id"])
        .groupby(["kind", "source"])
        .agg(records=("record_id", "size"), won=("won", "sum"), lost=("lost", "sum"))
    )
    _step("waterfall, conversion by source")

    # each stay's next stay of the same record, by entry (or exit) time then position
    order_at = stays["entered_at"].fillna(stays["exited_at"])
    stays = stays.assign(order_at=order_at).sort_values(
        ["kind", "record_id", "order_at", "position"], kind="stable"
    )
    following = stays.groupby(["kind", "record_id"], sort=False)[["stage", "position", "reason"]]
    nxt = following.shift(-1)
    stays["next_stage"] = nxt["stage"]
    stays["next_position"] = nxt["position"]
    stays["next_reason"] = nxt["reason"]
    _step("next stay (sort, shift)")

    moved = stays[stays["next_position"].notna()]
    back = moved[moved["next_position"] < moved["position"]]
    backward = pd.DataFrame(
        {
            "moves": moved.groupby(["motion", "kind"]).size(),
            "backward": back.groupby(["motion", "kind"]).size(),
            "records_moved_back": back.groupby(["motion", "kind"])["record_id"].nunique(),
        }
    ).fillna(0)
    _step("backward moves")

    handoffs = pd.DataFrame(
        declared_handoffs(playbook), columns=[c.name for c in DECLARED_HANDOFF_COLUMNS]
    )
    lead_stays = stays[stays["kind"] == "lead"]
    at = handoffs.merge(lead_stays, left_on="step", right_on="stage", how="left")
    at["response_hours"] = (at["responded_at"] - at["entered_at"]).dt.total_seconds() / 3600
    at["within_sla"] = at["response_hours"] <= at["respond_within_hours"]
    at["left_behind"] = (
        at["entered_at"].notna()
        & (at["age"] * 24 > at["window_hours"])
        & (at["exited_at"].isna() | (at["days"] * 24 > at["window_hours"]))
    )
    at["rejected"] = at["next_stage"] == at["reject_step"]
    why = at["next_reason"].str.strip().replace("", None).fillna(at["reason"].str.strip())
    at["without_reason"] = at["rejected"] & (why.isna() | (why == ""))
    handoff_sla = at.groupby("handoff").agg(
        arrivals=("entered_at", "count"),
        responded=("response_hours", "count"),
        **_distribution("response_hours", "response_hours"),
        within_sla=("within_sla", "sum"),
        left_behind=("left_behind", "sum"),
        rejected=("rejected", "sum"),
        rejected_without_reason=("without_reason", "sum"),
    )
    handoff_sla["share_within_sla"] = handoff_sla["within_sla"] / handoff_sla["arrivals"]
    _step("handoff SLAs")
    return {
        "stage_time": stage_time,
        "stage_conversion": conversion,
        "cycle": cycle,
        "waterfall": waterfall,
        "by_source": by_source,
        "backward_moves": backward,
        "handoff_sla": handoff_sla,
    }


if __name__ == "__main__":
    result = metrics(sys.argv[1], sys.argv[2])
    if "--steps" in sys.argv[3:]:
        for name, seconds in STEPS:
            print(f"{name:32s} {seconds:6.2f} s CPU", file=sys.stderr)
    print(result["stage_conversion"].to_string())
    print(result["waterfall"])
    print(result["backward_moves"].to_string())
    print(result["handoff_sla"].T.to_string())
