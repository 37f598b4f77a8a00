"""``gtmplay import salesforce``: a playbook from a whole Salesforce org's metadata.

Reads a DX source folder, a classic metadata-API folder (``src/``, processes
inside ``objects/Opportunity.object``) or single metadata files: the
``OpportunityStage`` and ``LeadStatus`` standard value sets, every business
process and record type on Opportunity and Lead, and every Path on them.
Stages and lead statuses keep their order and every property the playbook
models; processes, record types and Paths go into ``crm.salesforce`` (typed
by :mod:`gtmplay.crm.salesforce.settings`) with names exactly as Salesforce writes
them, so exporting the playbook gives the same org back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote

from gtmplay.crm.imported import Ids, Imported
from gtmplay.crm.salesforce.guidance import html_to_markdown
from gtmplay.crm.salesforce.scan import VALUE_SETS, MetaFile, read_project, scan
from gtmplay.crm.salesforce.settings import (
    FIELD_LABELS,
    MASTER,
    OBJECTS,
    SF_TO_FORECAST,
    STANDARD_FIELDS,
    PathDef,
    PathStep,
    Process,
    ProcessValue,
    RecordType,
    SalesforceSettings,
    ValueExtra,
    custom_field_name,
    encode_value,
)
from gtmplay.crm.salesforce.xmlio import Element
from gtmplay.errors import UsageError

# elements of a standard value the playbook keeps (the rest is reported as dropped)
KEPT = {"fullName", "default", "label", "closed", "won", "converted", "probability",
        "forecastCategory", "description", "color", "isActive"}  # fmt: skip
# a managed package's components carry its namespace: `HealthCloudGA__Referral`
_NAMESPACED = re.compile(r"^[A-Za-z][A-Za-z0-9]*__[A-Za-z0-9]")


@dataclass(slots=True)
class _Found:
    value_sets: dict[str, MetaFile] = field(default_factory=dict)
    processes: list[MetaFile] = field(default_factory=list)
    record_types: list[MetaFile] = field(default_factory=list)
    paths: list[MetaFile] = field(default_factory=list)


def _value_set_name(file: MetaFile) -> str | None:
    """``OpportunityStage``, ``LeadStatus`` or another set's name, from name or content."""
    if file.stem in VALUE_SETS:
        return file.stem
    full = file.root.get("fullName")
    if full:
        return full.strip()
    tags = {c.tag for v in file.root.all("standardValue") for c in v.children}
    if tags & {"forecastCategory", "probability", "won"}:
        return "OpportunityStage"
    if "converted" in tags:
        return "LeadStatus"
    return file.stem


def _object_of(file: MetaFile) -> str:
    if file.obj:
        return file.obj
    parts = file.path.parts
    if "objects" in parts[:-2]:
        return parts[len(parts) - 1 - parts[::-1].index("objects") + 1]
    full = file.root.get("fullName") or ""
    return full.split(".", 1)[0] if "." in full else ""


def _name(file: MetaFile) -> str:
    """A component's name: its ``fullName`` (without an ``Object.`` prefix) or the file's."""
    full = (file.root.get("fullName") or "").strip()
    if file.obj and full:
        return full
    return full.split(".", 1)[1] if full.startswith(f"{_object_of(file)}.") else full or file.stem


def _sort(found: list[MetaFile], kind: str) -> _Found:
    out = _Found()
    for file in found:
        tag = file.root.tag
        if tag == "StandardValueSet":
            name = _value_set_name(file)
            if name in VALUE_SETS:
                if name in out.value_sets:
                    first = out.value_sets[name].path
                    raise file.problem(
                        file.root.line, f"a second {name} value set (the first is {first})"
                    )
                out.value_sets[name] = file
        elif tag == "BusinessProcess" and _object_of(file) in OBJECTS:
            out.processes.append(file)
        elif tag == "RecordType" and _object_of(file) in OBJECTS:
            out.record_types.append(file)
        elif tag == "PathAssistant" and (file.root.get("entityName") or "") in OBJECTS:
            out.paths.append(file)
    if not (out.value_sets or out.processes):
        raise UsageError(
            problem="no OpportunityStage or LeadStatus value set and no business process "
            f"in {kind}",
            fix="Give a DX source folder (force-app), a metadata-API folder (src) "
            "or metadata files",
        )
    return out


def _probability(file: MetaFile, value: Element) -> int | None:
    child = value.first("probability")
    if child is None:
        return None
    text = child.text.strip()
    try:
        number = int(text)
    except ValueError:
        raise file.problem(child.line, f"<probability> {text!r} is not a whole number") from None
    if not 0 <= number <= 100:
        raise file.problem(child.line, f"<probability> {number} is outside 0 to 100 (a percentage)")
    return number


def _kind(label: str) -> str:
    low = label.lower()
    if any(w in low for w in ("unqualif", "disqualif", "not converted", "junk", "dead")):
        return "disqualified"
    if any(w in low for w in ("nurtur", "recycl")):
        return "recycle"
    return "funnel"


class _Builder:
    def __init__(self, found: _Found, warnings: list[str]) -> None:
        self.found = found
        self.warnings = warnings
        self.ids = Ids()
        self.extras: dict[str, dict[str, ValueExtra]] = {"Opportunity": {}, "Lead": {}}
        self.items: dict[str, list[dict[str, Any]]] = {"Opportunity": [], "Lead": []}
        # value name as the value set writes it -> id, per object
        self.by_name: dict[str, dict[str, str]] = {"Opportunity": {}, "Lead": {}}
        self.defaults: dict[str, str | None] = {}
        self.fields: dict[str, str] = {}
        self.sorted: dict[str, bool] = {}

    def dropped(self, file: MetaFile, value: Element) -> None:
        extra = sorted({c.tag for c in value.children} - KEPT)
        if extra:
            self.warnings.append(
                f"{file.path}:{value.line}: {', '.join(extra)} not kept (the playbook has no place)"
            )

    def extra(self, value: Element, label: str, description: str | None) -> ValueExtra:
        full = value.get("fullName", "") or ""
        return ValueExtra(
            full_name=full if full != label else None,
            color=value.get("color") or None,
            active=value.flag("isActive") is not False,
            omit_label=value.first("label") is None,
            description=description,
        )

    # -- value sets ------------------------------------------------------

    def value_set(self, obj: str, file: MetaFile) -> None:
        for value in file.root.all("standardValue"):
            full = value.get("fullName") or ""
            if not full.strip():
                raise file.problem(value.line, "<standardValue> has no <fullName>")
            label = value.get("label") or full
            sid = self.ids.make(label, "stage" if obj == "Opportunity" else "step")
            item = (
                self.stage(file, value, sid, label)
                if obj == "Opportunity"
                else self.step(value, sid, label)
            )
            self.items[obj].append(item)
            self.by_name[obj].setdefault(full, sid)
            if value.flag("default"):
                self.defaults[obj] = sid
            self.dropped(file, value)
        self.sorted[obj] = file.root.flag("sorted") is True

    def stage(self, file: MetaFile, value: Element, sid: str, label: str) -> dict[str, Any]:
        closed, won = value.flag("closed"), value.flag("won")
        category = (value.get("forecastCategory") or "").strip()
        forecast = SF_TO_FORECAST.get(category)
        if forecast is None:
            forecast = "closed" if won else "omitted" if closed else "pipeline"
        probability = _probability(file, value)
        stage: dict[str, Any] = {
            "id": sid,
            "name": label,
            "probability": probability if probability is not None else (100 if won else 0),
            "forecast": forecast,
        }
        if closed:
            stage["outcome"] = "won" if won else "lost"
        if value.get("description"):
            stage["description"] = value.get("description")
        extra = self.extra(value, label, None)
        if category and category not in SF_TO_FORECAST:
            extra = _with(extra, forecast_category=category)
        if probability is None:
            extra = _with(extra, omit_probability=True)
        self.extras["Opportunity"][sid] = extra
        return stage

    def step(self, value: Element, sid: str, label: str) -> dict[str, Any]:
        step: dict[str, Any] = {"id": sid, "name": label}
        kind = _kind(label)
        if kind != "funnel":
            step["kind"] = kind
        if value.flag("converted"):
            step["converted"] = True
        self.extras["Lead"][sid] = self.extra(value, label, value.get("description") or None)
        return step

    def value_id(self, obj: str, written: str) -> str:
        """The id of a process value (as the process writes it), added when new."""
        names = self.by_name[obj]
        sid = names.get(written) or names.get(unquote(written))
        if sid is not None:
            return sid
        label = unquote(written)
        sid = self.ids.make(label, "stage" if obj == "Opportunity" else "step")
        names[label] = sid
        item: dict[str, Any] = {"id": sid, "name": label}
        if obj == "Opportunity":
            item.update(probability=0, forecast="pipeline")
        self.items[obj].append(item)
        self.extras[obj][sid] = ValueExtra(in_value_set=False)
        return sid

    # -- processes and record types ----------------------------------------

    def process(self, file: MetaFile) -> Process:
        obj, name = _object_of(file), _name(file)
        values, default = [], None
        for value in file.root.all("values"):
            written = value.get("fullName") or ""
            if not written.strip():
                raise file.problem(value.line, "<values> has no <fullName>")
            sid = self.value_id(obj, written)
            items = {i["id"]: i for i in self.items[obj]}
            extra = self.extras[obj].get(sid) or ValueExtra()
            plain = extra.full_name or items[sid]["name"]
            values.append(ProcessValue(sid, None if encode_value(plain) == written else written))
            if value.flag("default"):
                default = sid
        return Process(
            name=name,
            object=obj,
            values=tuple(values),
            default=default,
            active=file.root.flag("isActive"),
            description=file.root.get("description") or None,
            managed=bool(_NAMESPACED.match(name)),
        )

    def record_type(self, file: MetaFile) -> RecordType:
        name = _name(file)
        return RecordType(
            name=name,
            object=_object_of(file),
            label=file.root.get("label") or name,
            process=file.root.get("businessProcess") or None,
            compact_layout=file.root.get("compactLayoutAssignment") or None,
            active=file.root.flag("active") is not False,
            description=file.root.get("description") or None,
            managed=bool(_NAMESPACED.match(name)),
        )

    # -- Paths -----------------------------------------------------------

    def path(self, file: MetaFile) -> PathDef:
        root = file.root
        obj = root.get("entityName") or "Opportunity"
        field_name = root.get("fieldName") or None
        own = field_name in (None, "StageName" if obj == "Opportunity" else "Status")
        items = {i["id"]: i for i in self.items[obj]}
        steps = []
        for step in root.all("pathAssistantSteps"):
            written = step.get("picklistValueName") or ""
            sid = (
                (self.by_name[obj].get(written) or self.by_name[obj].get(unquote(written)))
                if own
                else None
            )
            fields = tuple(f.text for f in step.all("fieldNames"))
            info = step.get("info") or ""
            if sid is None:
                steps.append(PathStep(value=written, fields=fields, html=info or None))
                continue
            steps.append(self.step_of(obj, items[sid], fields, info))
        return PathDef(
            name=_name(file),
            object=obj,
            record_type=root.get("recordTypeName") or MASTER,
            label=root.get("masterLabel"),
            field=None if own else field_name,
            active=root.flag("active") is not False,
            steps=tuple(steps),
        )

    def step_of(
        self, obj: str, item: dict[str, Any], fields: tuple[str, ...], info: str
    ) -> PathStep:
        """A Path step, with what the stage (or lifecycle step) already says left out.

        The first Path to reach a stage gives the stage its guidance (as
        Markdown, when it converts exactly) and key fields; later Paths
        keep only what differs.
        """
        text_key = "guidance" if obj == "Opportunity" else "description"
        markdown = html_to_markdown(info) if info else ""
        if text_key not in item and "_seen" not in item and markdown:
            item[text_key] = markdown
        if obj == "Opportunity" and "key_fields" not in item and "_seen" not in item and fields:
            item["key_fields"] = [self.field_label(f) for f in fields]
        item["_seen"] = True
        own_fields = tuple(self.field_api(lbl) for lbl in item.get("key_fields", ()))
        own_text = item.get(text_key, "")
        return PathStep(
            id=item["id"],
            fields=None if fields == own_fields else fields,
            guidance=None if markdown is None or markdown == own_text else markdown,
            html=info if markdown is None else None,
        )

    def field_label(self, api: str) -> str:
        label = FIELD_LABELS.get(api) or api.removesuffix("__c").replace("_", " ")
        if self.field_api(label) != api:
            self.fields[label] = api
        return label

    def field_api(self, label: str) -> str:
        if label in self.fields:
            return self.fields[label]
        return STANDARD_FIELDS.get(label.lower()) or custom_field_name(label)


def _with(extra: ValueExtra, **changes: Any) -> ValueExtra:
    return replace(extra, **changes)


def _motions(processes: list[Process], ids: Ids) -> tuple[list[Process], list[dict[str, Any]]]:
    """Each Opportunity process of the org's own as a sales motion: its values
    become the motion's stages in order, its default and description the
    motion's; the process entry keeps what a motion has no place for and is
    bound to the motion, so the export gives the process back from it.
    Managed (namespaced) processes stay foreign, and a process with no values
    or a value twice stays a plain entry (a motion needs distinct stages)."""
    motions: list[dict[str, Any]] = []
    out = []
    for p in processes:
        stage_ids = [v.id for v in p.values]
        if (
            p.object != "Opportunity"
            or p.managed
            or not stage_ids
            or len(set(stage_ids)) != len(stage_ids)
        ):
            out.append(p)
            continue
        name = unquote(p.name).strip() or p.name
        motion: dict[str, Any] = {"id": ids.make(name, "motion"), "name": name}
        if p.description:
            motion["description"] = p.description
        motion["stages"] = stage_ids
        if p.default is not None:
            motion["default_stage"] = p.default
        motions.append(motion)
        written = {v.id: v.full_name for v in p.values if v.full_name is not None}
        bound = replace(p, motion=motion["id"], values=(), default=None, description=None)
        out.append(replace(bound, value_names=written))
    return out, motions


def import_salesforce(paths: list[str]) -> Imported:
    """Read the metadata under ``paths`` into a playbook document."""
    found_files = scan(paths)
    found = _sort(found_files.files, ", ".join(paths))
    warnings: list[str] = []
    b = _Builder(found, warnings)
    for obj, set_name in (("Lead", "LeadStatus"), ("Opportunity", "OpportunityStage")):
        if set_name in found.value_sets:
            b.value_set(obj, found.value_sets[set_name])
    processes = [b.process(f) for f in found.processes]
    record_types = [b.record_type(f) for f in found.record_types]
    paths_ = [b.path(f) for f in found.paths]
    for items in b.items.values():
        for item in items:
            item.pop("_seen", None)
    others = sum(len(f.root.all("picklistValues")) for f in found.record_types)
    if others:
        warnings.append(
            f"record types: the values they allow for {others} other picklists are not kept "
            "(not part of a sales or lead process)"
        )
    name, version = read_project(found_files.project) if found_files.project else ("", "")
    doc: dict[str, Any] = {
        "gtmplay": 1,
        "name": name or "Imported from Salesforce",
        "description": "Sales stages and lead statuses imported from Salesforce.",
    }
    if b.items["Lead"]:
        doc["lifecycle"] = b.items["Lead"]
    if b.items["Opportunity"]:
        doc["stages"] = b.items["Opportunity"]
    processes, motions = _motions(processes, b.ids)
    if motions:
        doc["motions"] = motions
    present = [s for s in ("OpportunityStage", "LeadStatus") if s in found.value_sets]
    implied = [
        s for s, key in (("OpportunityStage", "stages"), ("LeadStatus", "lifecycle")) if key in doc
    ]
    settings = SalesforceSettings(
        api_version=version or None,
        sorted_stages=b.sorted.get("Opportunity", False),
        sorted_statuses=b.sorted.get("Lead", False),
        default_stage=b.defaults.get("Opportunity"),
        default_status=b.defaults.get("Lead"),
        has_default_status="lifecycle" in doc,
        fields=b.fields,
        stages=b.extras["Opportunity"],
        statuses=b.extras["Lead"],
        value_sets=None if present == implied else present,
        processes=processes,
        record_types=record_types,
        paths=paths_,
    )
    raw = settings.to_raw()
    if raw:
        doc["crm"] = {"salesforce": raw}
    sources = sorted(str(f.path) for f in found.value_sets.values())
    sources += sorted({str(f.path) for f in found.processes + found.record_types + found.paths})
    summary = f"{found_files.read} files read, {found_files.skipped} skipped"
    return Imported(doc=doc, sources=sources, warnings=warnings, summary=summary)
