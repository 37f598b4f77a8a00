"""Properties of the engine on random histories, against a plain-Python recount."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gtmplay.measure.engine import measure
from gtmplay.model import build_playbook

PLAYBOOK = build_playbook(
    {
        "gtmplay": 1,
        "name": "T",
        "stages": [
            {"id": "a", "probability": 10, "forecast": "pipeline", "target_days": 7},
            {"id": "b", "probability": 50, "forecast": "best-case", "target_days": 7},
            {"id": "won", "probability": 100, "forecast": "closed", "outcome": "won"},
            {"id": "lost", "probability": 0, "forecast": "omitted", "outcome": "lost"},
        ],
    }
)
START = datetime(2024, 1, 1)

# a deal: the open stages it visits with their days, and how it ends
deal = st.tuples(
    st.lists(st.tuples(st.sampled_from(["a", "b"]), st.integers(0, 60)), min_size=1, max_size=4),
    st.sampled_from(["won", "lost", None]),
    st.integers(0, 90),
)


def history(deals: list[Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, (visits, end, offset) in enumerate(deals):
        t = START + timedelta(days=offset)
        for i, (stage, days) in enumerate(visits):
            last = i == len(visits) - 1 and end is None
            rows.append(
                {
                    "record_id": f"d{n}",
                    "kind": "deal",
                    "crm_stage": stage,
                    "entered_at": t,
                    "exited_at": None if last else t + timedelta(days=days),
                }
            )
            t += timedelta(days=days)
        if end is not None:
            rows.append({"record_id": f"d{n}", "kind": "deal", "crm_stage": end, "entered_at": t})
    return rows


@settings(max_examples=25, deadline=None)
@given(st.lists(deal, min_size=1, max_size=12))
def test_time_in_stage_and_outcomes_match_a_recount(deals: list[Any]) -> None:
    rows = history(deals)
    m = measure(PLAYBOOK, rows)
    assert measure(PLAYBOOK, list(reversed(rows))) == m  # row order does not matter
    for stage in ("a", "b"):
        days = [
            (r["exited_at"] - r["entered_at"]).days
            for r in rows
            if r["crm_stage"] == stage and r["exited_at"] is not None
        ]
        got = next((s for s in m.stage_time if s.stage == stage), None)
        if got is None:
            assert not any(r["crm_stage"] == stage for r in rows)
            continue
        assert got.completed == len(days)
        assert got.median_days == (statistics.median(days) if days else None)
    won = sum(end == "won" for _, end, _ in deals)
    lost = sum(end == "lost" for _, end, _ in deals)
    by_source = [b for b in m.breakdowns if b.dimension == "source"]
    assert (sum(b.won for b in by_source), sum(b.lost for b in by_source)) == (won, lost)
