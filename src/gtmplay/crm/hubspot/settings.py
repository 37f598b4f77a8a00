"""``crm.hubspot`` as typed values: one reading and one writing for both sides.

The exporter reads a playbook's section with :meth:`HubspotSettings.from_raw`;
the importer builds a :class:`HubspotSettings` and writes it with
:meth:`HubspotSettings.to_raw`. No key of the section is spelled anywhere
else; the defaults are the schema's (:func:`gtmplay.schemafiles.default`).

A playbook with motions exports one deal pipeline per motion: the motion's
``crm.hubspot`` names the pipeline (label, id), and ``motions`` here keeps
what the format has no place for in a motion (the pipeline's position and
the HubSpot id and position of each of its stages, which differ from one
pipeline to the next even for a stage of the same name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import TYPE_CHECKING, Any

from gtmplay.crm.mapping import opt_int, opt_str, overrides, put, section
from gtmplay.schemafiles import default

if TYPE_CHECKING:
    from gtmplay.model import Playbook


@dataclass(frozen=True, slots=True)
class StageExtra:
    """HubSpot details of one deal stage: its id and, when not its position, its order."""

    id: str | None = None
    display_order: int | None = None

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> StageExtra:
        return cls(id=opt_str(raw, "id"), display_order=opt_int(raw, "display_order"))

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        put(out, "id", self.id)
        put(out, "display_order", self.display_order)
        return out


@dataclass(frozen=True, slots=True)
class StatusExtra:
    """HubSpot details of one lead status option."""

    value: str | None = None
    display_order: int | None = None
    hidden: bool = False

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> StatusExtra:
        hidden = raw.get("hidden", default("hubspot_status", "hidden"))
        return cls(
            value=opt_str(raw, "value"),
            display_order=opt_int(raw, "display_order"),
            hidden=hidden is True,
        )

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        put(out, "value", self.value)
        put(out, "display_order", self.display_order)
        if self.hidden != default("hubspot_status", "hidden"):
            out["hidden"] = self.hidden
        return out


def _stages(raw: Mapping[str, Any]) -> dict[str, StageExtra]:
    return {k: StageExtra.from_raw(v) for k, v in overrides(raw, "stages").items()}


def _stages_raw(stages: Mapping[str, StageExtra]) -> dict[str, Any]:
    return {k: r for k, r in ((k, v.to_raw()) for k, v in stages.items()) if r}


@dataclass(frozen=True, slots=True)
class PipelineExtra:
    """One motion's deal pipeline: its position and its own stage ids and order."""

    display_order: int | None = None
    stages: Mapping[str, StageExtra] = dc_field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> PipelineExtra:
        return cls(display_order=opt_int(raw, "display_order"), stages=_stages(raw))

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        put(out, "display_order", self.display_order)
        stages = _stages_raw(self.stages)
        if stages:
            out["stages"] = stages
        return out


@dataclass(frozen=True, slots=True)
class HubspotSettings:
    """The whole ``crm.hubspot`` section; ``None`` where the playbook says nothing."""

    pipeline_label: str | None = None
    pipeline_id: str | None = None
    display_order: int | None = None
    lead_status_property: str | None = None
    stages: Mapping[str, StageExtra] = dc_field(default_factory=dict)
    statuses: Mapping[str, StatusExtra] = dc_field(default_factory=dict)
    motions: Mapping[str, PipelineExtra] = dc_field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> HubspotSettings:
        return cls(
            pipeline_label=opt_str(raw, "pipeline_label"),
            pipeline_id=opt_str(raw, "pipeline_id"),
            display_order=opt_int(raw, "display_order"),
            lead_status_property=opt_str(raw, "lead_status_property"),
            stages=_stages(raw),
            statuses={k: StatusExtra.from_raw(v) for k, v in overrides(raw, "statuses").items()},
            motions={k: PipelineExtra.from_raw(v) for k, v in overrides(raw, "motions").items()},
        )

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        put(out, "pipeline_label", self.pipeline_label)
        put(out, "display_order", self.display_order)
        put(out, "pipeline_id", self.pipeline_id)
        put(out, "lead_status_property", self.lead_status_property)
        stages = _stages_raw(self.stages)
        if stages:
            out["stages"] = stages
        statuses = {k: r for k, r in ((k, v.to_raw()) for k, v in self.statuses.items()) if r}
        if statuses:
            out["statuses"] = statuses
        motions = {k: r for k, r in ((k, v.to_raw()) for k, v in self.motions.items()) if r}
        if motions:
            out["motions"] = motions
        return out

    # -- what the export uses ---------------------------------------------

    def label(self, playbook_name: str) -> str:
        return self.pipeline_label or f"{playbook_name} Pipeline"

    @property
    def order(self) -> int:
        if self.display_order is not None:
            return self.display_order
        return int(default("hubspot", "display_order"))

    @property
    def status_property(self) -> str:
        return self.lead_status_property or str(default("hubspot", "lead_status_property"))

    def status(self, step_id: str) -> StatusExtra:
        return self.statuses.get(step_id) or StatusExtra()


def hubspot(playbook: Playbook) -> HubspotSettings:
    """The playbook's ``crm.hubspot``, typed."""
    return HubspotSettings.from_raw(section(playbook, "hubspot"))


def option_value(step_id: str) -> str:
    """A HubSpot option value for a lifecycle step id: ``sales-accepted`` -> ``SALES_ACCEPTED``."""
    return re.sub(r"[^A-Za-z0-9]+", "_", step_id).strip("_").upper() or "STATUS"
