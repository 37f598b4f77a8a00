"""``crm.pipedrive`` as typed values, read and written in one place.

Only the exporter uses it today (there is no Pipedrive import yet), but it
follows the other CRMs: ``from_raw`` and ``to_raw`` spell every key, and the
defaults are the schema's (:func:`gtmplay.schemafiles.default`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gtmplay.crm.mapping import opt_bool, opt_str, put, section
from gtmplay.schemafiles import default

if TYPE_CHECKING:
    from gtmplay.model import Playbook


@dataclass(frozen=True, slots=True)
class PipedriveSettings:
    """The whole ``crm.pipedrive`` section; ``None`` where the playbook says nothing."""

    pipeline_name: str | None = None
    deal_probability: bool | None = None
    rotten_days: bool | None = None

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> PipedriveSettings:
        return cls(
            pipeline_name=opt_str(raw, "pipeline_name"),
            deal_probability=opt_bool(raw, "deal_probability"),
            rotten_days=opt_bool(raw, "rotten_days"),
        )

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        put(out, "pipeline_name", self.pipeline_name)
        put(out, "deal_probability", self.deal_probability)
        put(out, "rotten_days", self.rotten_days)
        return out

    # -- what the export uses ---------------------------------------------

    def pipeline(self, playbook_name: str) -> str:
        return self.pipeline_name or playbook_name

    @property
    def probability(self) -> bool:
        if self.deal_probability is not None:
            return self.deal_probability
        return bool(default("pipedrive", "deal_probability"))

    @property
    def rotting(self) -> bool:
        if self.rotten_days is not None:
            return self.rotten_days
        return bool(default("pipedrive", "rotten_days"))


def pipedrive(playbook: Playbook) -> PipedriveSettings:
    """The playbook's ``crm.pipedrive``, typed."""
    return PipedriveSettings.from_raw(section(playbook, "pipedrive"))
