"""The baseline of bench/bench_measure.py: measure's core metrics in plain pandas.

Not part of gtmplay: this is what a team would write by hand with pandas, kept
to compare ``gtmplay measure`` against. It reads a generic event CSV and
computes, with the same definitions as ``gtmplay.measure.queries``: time in
stage (stays, completed, median/p75/p90 days, open past target), stage
conversion (entered, advanced, won, closed), sales-cycle length of won deals,
the lead waterfall and conversion by source. (Handoff SLAs and backward moves
are left out, which only flatters pandas.) Bench-only dependency:
``pip install pandas``.

Usage: ``python bench/pandas_measure.py PLAYBOOK EVENTS.csv`` prints a summary.
"""

from __future__ import annotations

import sys
from typing import Any


def metrics(playbook_path: str, events_path: str) -> dict[str, Any]:
    import pandas as pd

    from gtmplay.measure.engine import declared_stages
    from gtmplay.measure.events import DECLARED_STAGE_COLUMNS
    from gtmplay.pipeline import check_path

    playbook = check_path(playbook_path, rules=False).playbook
    assert playbook is not None
    declared = pd.DataFrame(
        declared_stages(playbook), columns=[c.name for c in DECLARED_STAGE_COLUMNS]
    )
    ev = pd.read_csv(
        events_path,
        usecols=["record_id", "kind", "stage", "entered_at", "exited_at", "source", "motion",
                 "outcome"],
        dtype={"motion": "string", "source": "string", "outcome": "string"},
        parse_dates=["entered_at", "exited_at"],
        keep_default_na=False,
        na_values={"entered_at": [""], "exited_at": [""]},
    )  # fmt: skip
    as_of = pd.concat([ev["exited_at"], ev["entered_at"]]).max()
    ev["motion"] = ev["motion"].where(ev["kind"] == "deal", "")
    stays = ev.merge(
        declared.rename(columns={"outcome": "stage_outcome"}), on=["kind", "stage", "motion"]
    )
    stays["days"] = (stays["exited_at"] - stays["entered_at"]).dt.total_seconds() / 86400
    stays["age"] = (as_of - stays["entered_at"]).dt.total_seconds() / 86400

    deals = stays[(stays["kind"] == "deal") & (stays["stage_outcome"] == "open")]
    grouped = deals.groupby(["motion", "stage"])
    stage_time = grouped.agg(
        stays=("record_id", "size"),
        completed=("days", "count"),
        median_days=("days", "median"),
        p75_days=("days", lambda d: d.quantile(0.75)),
        p90_days=("days", lambda d: d.quantile(0.9)),
        target_days=("target_days", "max"),
    )
    is_open = deals["exited_at"].isna()
    stage_time["open_past_target"] = (
        (is_open & (deals["age"] > deals["target_days"])).groupby([deals["motion"],
                                                                     deals["stage"]]).sum()
    )  # fmt: skip

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

    firsts = stays.groupby(["kind", "record_id"])["entered_at"].min()
    won_stays = stays[stays["stage_outcome"] == "won"]
    wins = won_stays.groupby(["kind", "record_id"])["entered_at"].min()
    cycle = (
        ((wins - firsts.reindex(wins.index)).dt.total_seconds() / 86400)
        .groupby(level="kind")
        .quantile([0.5, 0.75, 0.9])
    )

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
    return {
        "stage_time": stage_time,
        "stage_conversion": conversion,
        "cycle": cycle,
        "waterfall": waterfall,
        "by_source": by_source,
    }


if __name__ == "__main__":
    result = metrics(sys.argv[1], sys.argv[2])
    print(result["stage_conversion"].to_string())
    print(result["waterfall"])
