"""``crm.hubspot``: what the HubSpot export needs beyond the playbook."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gtmplay.crm.mapping import overrides, section, text

if TYPE_CHECKING:
    from gtmplay.model import Playbook


@dataclass(frozen=True, slots=True)
class HubspotSettings:
    pipeline: str
    pipeline_id: str | None
    display_order: int
    lead_status_property: str
    stages: Mapping[str, Mapping[str, Any]]
    statuses: Mapping[str, Mapping[str, Any]]


def hubspot(playbook: Playbook) -> HubspotSettings:
    raw = section(playbook, "hubspot")
    order = raw.get("display_order")
    return HubspotSettings(
        pipeline=text(raw, "pipeline_label", f"{playbook.name} Pipeline"),
        pipeline_id=raw.get("pipeline_id") or None,
        display_order=order if isinstance(order, int) else 0,
        lead_status_property=text(raw, "lead_status_property", "hs_lead_status"),
        stages=overrides(raw, "stages"),
        statuses=overrides(raw, "statuses"),
    )


def option_value(step_id: str) -> str:
    """A HubSpot option value for a lifecycle step id: ``sales-accepted`` -> ``SALES_ACCEPTED``."""
    return re.sub(r"[^A-Za-z0-9]+", "_", step_id).strip("_").upper() or "STATUS"
