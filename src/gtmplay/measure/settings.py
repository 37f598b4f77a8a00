"""The playbook's ``measure:`` thresholds, with the schema's defaults.

The defaults are read from the schema (``$defs/measure``), so they are
written once and docs/format.md shows the same numbers the rules use.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gtmplay.model import Handoff, Playbook
from gtmplay.schemafiles import default

if TYPE_CHECKING:  # the GTM6xx rules import this module in every check: figures is 0.75 MiB
    from gtmplay.measure.figures import HandoffSla, Measurement


@dataclass(frozen=True, slots=True)
class Settings:
    min_sample: int
    tolerance: float  # share of a target
    probability_tolerance: float  # percentage points
    sla_share: float  # percent


def settings(playbook: Playbook) -> Settings:
    raw = playbook.measure

    def get(key: str) -> float:
        value = raw.get(key)
        return float(value if isinstance(value, int | float) else default("measure", key))

    return Settings(
        min_sample=int(get("min_sample")),
        tolerance=get("tolerance"),
        probability_tolerance=get("probability_tolerance"),
        sla_share=get("sla_share"),
    )


def judged_handoffs(
    playbook: Playbook, measurement: Measurement
) -> Iterator[tuple[Handoff, HandoffSla, Settings]]:
    """Each declared handoff's figure, when it rests on ``min_sample`` arrivals or more."""
    cfg = settings(playbook)
    handoffs = {h.id: h for h in playbook.handoffs}
    for fig in measurement.handoff_sla:
        handoff = handoffs.get(fig.handoff)
        if handoff is not None and fig.arrivals >= cfg.min_sample:
            yield handoff, fig, cfg
