"""``crm.salesforce`` as typed values: one reading and one writing for both sides.

The exporter reads a playbook's section with :meth:`SalesforceSettings.from_raw`;
the importer builds a :class:`SalesforceSettings` and writes it with
:meth:`SalesforceSettings.to_raw`. No key of the section is spelled anywhere
else, and the defaults are the schema's ``default`` values, so the schema,
the docs generated from it and the code cannot disagree.

Names are kept exactly as Salesforce writes them: a business process named
``Growth%2FExpansion`` stays so, in the XML and in the file name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from gtmplay.crm.mapping import opt_str, put
from gtmplay.model import Forecast
from gtmplay.schemafiles import default as schema_default

OBJECTS = ("Opportunity", "Lead")
MASTER = "__MASTER__"

# playbook forecast -> Salesforce ForecastCategories value, and back
FORECAST_TO_SF: dict[Forecast, str] = {
    "pipeline": "Pipeline",
    "best-case": "BestCase",
    "commit": "Forecast",
    "omitted": "Omitted",
    "closed": "Closed",
}
SF_TO_FORECAST: dict[str, Forecast] = {v: k for k, v in FORECAST_TO_SF.items()}

# Key field labels that name standard fields; anything else becomes a custom field.
STANDARD_FIELDS: dict[str, str] = {
    "amount": "Amount",
    "close date": "CloseDate",
    "next step": "NextStep",
    "probability": "Probability",
    "type": "Type",
    "lead source": "LeadSource",
    "description": "Description",
    "account": "AccountId",
    "account name": "AccountId",
    "contact": "ContactId",
    "campaign": "CampaignId",
    "primary campaign source": "CampaignId",
    "forecast category": "ForecastCategoryName",
    "expected revenue": "ExpectedRevenue",
    "quantity": "TotalOpportunityQuantity",
    "owner": "OwnerId",
    "stage": "StageName",
    "name": "Name",
    "opportunity name": "Name",
}

# Labels for the standard fields a Path usually shows (the import names key fields so).
FIELD_LABELS = {
    "Amount": "Amount",
    "CloseDate": "Close Date",
    "NextStep": "Next Step",
    "Probability": "Probability",
    "Type": "Type",
    "LeadSource": "Lead Source",
    "Description": "Description",
    "AccountId": "Account",
    "ContactId": "Contact",
    "CampaignId": "Campaign",
    "ForecastCategoryName": "Forecast Category",
    "ExpectedRevenue": "Expected Revenue",
    "TotalOpportunityQuantity": "Quantity",
    "OwnerId": "Owner",
    "StageName": "Stage",
    "Name": "Name",
}


def custom_field_name(label: str) -> str:
    """A custom field API name for a label: ``Budget confirmed`` -> ``Budget_confirmed__c``.

    Salesforce API names are letters, digits and single underscores, start
    with a letter and do not end with an underscore.
    """
    words = re.findall(r"[A-Za-z0-9]+", label)
    name = "_".join(words) or "Field"
    if not name[0].isalpha():
        name = "X" + name
    return name[:40] + "__c"


def default(key: str, definition: str = "salesforce") -> Any:
    """The schema's default for ``key`` of ``$defs/<definition>``."""
    return schema_default(definition, key)


def encode_value(name: str) -> str:
    """A picklist value name as Salesforce writes it inside a business process.

    Every character other than a letter, a digit, a space, ``-`` or ``_`` is
    %-encoded as its UTF-8 bytes (``Married (Closed Won)`` ->
    ``Married %28Closed Won%29``); the value set itself keeps the plain name.
    """
    return "".join(
        c if c.isalnum() or c in " -_" else "".join(f"%{b:02X}" for b in c.encode("utf-8"))
        for c in name
    )


@dataclass(frozen=True, slots=True)
class ValueExtra:
    """Salesforce details of one stage (or lead status) the playbook does not hold."""

    full_name: str | None = None
    color: str | None = None
    active: bool = True
    omit_label: bool = False
    omit_probability: bool = False
    forecast_category: str | None = None
    description: str | None = None  # lead statuses only: stages have their own
    in_value_set: bool = True

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> ValueExtra:
        return cls(
            full_name=opt_str(raw, "full_name"),
            color=opt_str(raw, "color"),
            active=raw.get("active", True) is not False,
            omit_label=raw.get("omit_label") is True,
            omit_probability=raw.get("omit_probability") is True,
            forecast_category=opt_str(raw, "forecast_category"),
            description=opt_str(raw, "description"),
            in_value_set=raw.get("in_value_set", True) is not False,
        )

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        put(out, "full_name", self.full_name)
        put(out, "color", self.color)
        put(out, "active", self.active, True)
        put(out, "omit_label", self.omit_label, False)
        put(out, "omit_probability", self.omit_probability, False)
        put(out, "forecast_category", self.forecast_category)
        put(out, "description", self.description)
        put(out, "in_value_set", self.in_value_set, True)
        return out


@dataclass(frozen=True, slots=True)
class ProcessValue:
    """One value of a business process: a stage or lifecycle step id.

    ``full_name`` is the name as written when it is not what
    :func:`encode_value` gives (Salesforce is not always consistent).
    """

    id: str
    full_name: str | None = None


@dataclass(frozen=True, slots=True)
class Process:
    """A business process (sales process on Opportunity, lead process on Lead).

    A process bound to a sales ``motion`` takes its values (the motion's
    stages, in order), default and description from that motion; the entry
    keeps only what a motion has no place for (its name as written, active
    flag, values written unlike their usual encoding). The exporter resolves
    it with :meth:`bound`.
    """

    name: str
    object: str
    values: tuple[ProcessValue, ...]
    default: str | None = None
    active: bool | None = True  # None: no <isActive> element, as some orgs keep it
    description: str | None = None
    managed: bool = False
    motion: str | None = None
    value_names: Mapping[str, str] = dc_field(default_factory=dict)  # bound processes only

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> Process:
        active = raw.get("active", True)
        names = raw.get("value_names")
        written = {str(k): str(v) for k, v in names.items()} if isinstance(names, Mapping) else {}
        motion = opt_str(raw, "motion")
        return cls(
            name=str(raw["name"]),
            object=str(raw.get("object", "Opportunity")),
            values=tuple(ProcessValue(str(v), written.get(v)) for v in raw.get("values") or ()),
            default=opt_str(raw, "default"),
            active=active if isinstance(active, bool) else None,
            description=opt_str(raw, "description"),
            managed=raw.get("managed") is True,
            motion=motion,
            value_names=written if motion else {},
        )

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "object": self.object}
        put(out, "motion", self.motion)
        if self.active is not True:
            out["active"] = self.active
        if self.motion is None:
            put(out, "description", self.description)
            put(out, "default", self.default)
            out["values"] = [v.id for v in self.values]
            written = {v.id: v.full_name for v in self.values if v.full_name is not None}
        else:
            written = dict(self.value_names)
        if written:
            out["value_names"] = written
        put(out, "managed", self.managed, False)
        return out

    def bound(self, stages: Sequence[str], default: str | None, description: str) -> Process:
        """This process with the values, default and description of its motion."""
        from dataclasses import replace

        values = tuple(ProcessValue(sid, self.value_names.get(sid)) for sid in stages)
        return replace(self, values=values, default=default, description=description or None)


@dataclass(frozen=True, slots=True)
class RecordType:
    name: str
    object: str
    label: str
    process: str | None = None
    active: bool = True
    description: str | None = None
    managed: bool = False
    compact_layout: str | None = None

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> RecordType:
        name = str(raw["name"])
        return cls(
            name=name,
            object=str(raw.get("object", "Opportunity")),
            label=opt_str(raw, "label") or name.replace("_", " "),
            process=opt_str(raw, "process"),
            active=raw.get("active", True) is not False,
            description=opt_str(raw, "description"),
            managed=raw.get("managed") is True,
            compact_layout=opt_str(raw, "compact_layout"),
        )

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "object": self.object}
        put(out, "label", self.label, self.name.replace("_", " "))
        put(out, "process", self.process)
        put(out, "compact_layout", self.compact_layout)
        put(out, "active", self.active, True)
        put(out, "description", self.description)
        put(out, "managed", self.managed, False)
        return out


@dataclass(frozen=True, slots=True)
class PathStep:
    """One step of a Path: the stage (or lifecycle step) ``id``, or a literal
    picklist ``value`` for Paths on other fields.

    ``fields`` (API names) and ``guidance`` (Markdown) default to the stage's
    key fields and guidance; ``html`` is guidance kept as Salesforce's HTML
    because Markdown cannot say it exactly.
    """

    id: str | None = None
    value: str | None = None
    fields: tuple[str, ...] | None = None
    guidance: str | None = None
    html: str | None = None

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> PathStep:
        fields = raw.get("fields")
        return cls(
            id=opt_str(raw, "id"),
            value=opt_str(raw, "value"),
            fields=tuple(str(f) for f in fields) if isinstance(fields, list) else None,
            guidance=opt_str(raw, "guidance"),
            html=opt_str(raw, "html"),
        )

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        put(out, "id", self.id)
        put(out, "value", self.value)
        if self.fields is not None:
            out["fields"] = list(self.fields)
        put(out, "guidance", self.guidance)
        put(out, "html", self.html)
        return out


@dataclass(frozen=True, slots=True)
class PathDef:
    """A Path: guidance and key fields per step, for one record type (or all)."""

    name: str
    object: str
    record_type: str = MASTER
    label: str | None = None
    field: str | None = None  # the picklist it follows; StageName / Status by default
    active: bool = True
    steps: tuple[PathStep, ...] = ()

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> PathDef:
        return cls(
            name=str(raw["name"]),
            object=str(raw.get("object", "Opportunity")),
            record_type=opt_str(raw, "record_type") or MASTER,
            label=opt_str(raw, "label"),
            field=opt_str(raw, "field"),
            active=raw.get("active", True) is not False,
            steps=tuple(PathStep.from_raw(s) for s in raw.get("steps") or ()),
        )

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "object": self.object}
        put(out, "record_type", self.record_type, MASTER)
        put(out, "label", self.label, self.name.replace("_", " "))
        put(out, "field", self.field)
        put(out, "active", self.active, True)
        out["steps"] = [s.to_raw() for s in self.steps]
        return out

    @property
    def picklist(self) -> str:
        return self.field or ("StageName" if self.object == "Opportunity" else "Status")

    @property
    def master_label(self) -> str:
        return self.label if self.label is not None else self.name.replace("_", " ")


def _items(raw: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = raw.get(key)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _extras(raw: Mapping[str, Any], key: str) -> dict[str, ValueExtra]:
    value = raw.get(key)
    if not isinstance(value, Mapping):
        return {}
    return {k: ValueExtra.from_raw(v) for k, v in value.items() if isinstance(v, Mapping)}


@dataclass(frozen=True, slots=True)
class SalesforceSettings:
    """The whole ``crm.salesforce`` section; ``None`` where the playbook says nothing."""

    api_version: str | None = None
    # one process per object, for playbooks that name one (the simple form)
    sales_process: str | None = None
    lead_process: str | None = None
    opportunity_record_type: str | None = None
    lead_record_type: str | None = None
    sales_path: str | None = None
    lead_path: str | None = None
    guidance_format: str | None = None
    sorted_stages: bool = False
    sorted_statuses: bool = False
    default_stage: str | None = None
    default_status: str | None = None
    has_default_status: bool = False  # `default_status: null` says "no default"
    fields: Mapping[str, str] = dc_field(default_factory=dict)
    stages: Mapping[str, ValueExtra] = dc_field(default_factory=dict)
    statuses: Mapping[str, ValueExtra] = dc_field(default_factory=dict)
    # the whole-org form: every process, record type and Path, as imported
    value_sets: Sequence[str] | None = None
    processes: Sequence[Process] = ()
    record_types: Sequence[RecordType] = ()
    paths: Sequence[PathDef] = ()
    export_managed: bool = False

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> SalesforceSettings:
        fields = raw.get("fields")
        value_sets = raw.get("value_sets")
        return cls(
            api_version=opt_str(raw, "api_version"),
            sales_process=opt_str(raw, "sales_process"),
            lead_process=opt_str(raw, "lead_process"),
            opportunity_record_type=opt_str(raw, "opportunity_record_type"),
            lead_record_type=opt_str(raw, "lead_record_type"),
            sales_path=opt_str(raw, "sales_path"),
            lead_path=opt_str(raw, "lead_path"),
            guidance_format=opt_str(raw, "guidance_format"),
            sorted_stages=raw.get("sorted_stages") is True,
            sorted_statuses=raw.get("sorted_statuses") is True,
            default_stage=opt_str(raw, "default_stage"),
            default_status=opt_str(raw, "default_status"),
            has_default_status="default_status" in raw,
            fields=dict(fields) if isinstance(fields, Mapping) else {},
            stages=_extras(raw, "stages"),
            statuses=_extras(raw, "statuses"),
            value_sets=list(value_sets) if isinstance(value_sets, list) else None,
            processes=tuple(Process.from_raw(p) for p in _items(raw, "processes")),
            record_types=tuple(RecordType.from_raw(r) for r in _items(raw, "record_types")),
            paths=tuple(PathDef.from_raw(p) for p in _items(raw, "paths")),
            export_managed=raw.get("export_managed") is True,
        )

    def to_raw(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in (
            "api_version", "sales_process", "lead_process", "opportunity_record_type",
            "lead_record_type", "sales_path", "lead_path", "guidance_format",
        ):  # fmt: skip
            put(out, key, getattr(self, key))
        put(out, "sorted_stages", self.sorted_stages, False)
        put(out, "sorted_statuses", self.sorted_statuses, False)
        put(out, "default_stage", self.default_stage)
        if self.has_default_status or self.default_status is not None:
            out["default_status"] = self.default_status
        if self.fields:
            out["fields"] = dict(self.fields)
        for key, extras in (("stages", self.stages), ("statuses", self.statuses)):
            raw = {k: v.to_raw() for k, v in extras.items()}
            raw = {k: v for k, v in raw.items() if v}
            if raw:
                out[key] = raw
        if self.value_sets is not None:
            out["value_sets"] = list(self.value_sets)
        for key, items in (
            ("processes", self.processes),
            ("record_types", self.record_types),
            ("paths", self.paths),
        ):
            if items:
                out[key] = [i.to_raw() for i in items]
        put(out, "export_managed", self.export_managed, False)
        return out

    # -- what the export uses ---------------------------------------------

    @property
    def version(self) -> str:
        return self.api_version or str(default("api_version"))

    @property
    def format(self) -> str:
        return self.guidance_format or str(default("guidance_format"))

    def field(self, label: str) -> str:
        """The API name of a key field: mapped, standard, or a custom field."""
        if label in self.fields:
            return self.fields[label]
        standard = STANDARD_FIELDS.get(label.strip().lower())
        return standard or custom_field_name(label)

    def stage_name(self, stage_id: str, label: str) -> str:
        extra = self.stages.get(stage_id)
        return extra.full_name if extra is not None and extra.full_name else label

    def status_name(self, step_id: str, label: str) -> str:
        extra = self.statuses.get(step_id)
        return extra.full_name if extra is not None and extra.full_name else label

    def stage(self, stage_id: str) -> ValueExtra:
        return self.stages.get(stage_id) or ValueExtra()

    def status(self, step_id: str) -> ValueExtra:
        return self.statuses.get(step_id) or ValueExtra()
