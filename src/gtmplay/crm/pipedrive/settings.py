"""``crm.pipedrive``: what the Pipedrive export needs beyond the playbook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gtmplay.crm.mapping import section, text

if TYPE_CHECKING:
    from gtmplay.model import Playbook


@dataclass(frozen=True, slots=True)
class PipedriveSettings:
    pipeline: str
    deal_probability: bool
    rotten_days: bool


def pipedrive(playbook: Playbook) -> PipedriveSettings:
    raw = section(playbook, "pipedrive")
    return PipedriveSettings(
        pipeline=text(raw, "pipeline_name", playbook.name),
        deal_probability=bool(raw.get("deal_probability", True)),
        rotten_days=bool(raw.get("rotten_days", True)),
    )
