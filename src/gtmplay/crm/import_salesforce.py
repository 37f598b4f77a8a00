"""``gtmplay import salesforce``: a playbook from Salesforce metadata.

Reads a DX source folder (or single metadata files): the ``OpportunityStage``
and ``LeadStatus`` standard value sets, the business processes, record types
and Paths. Stages and lead statuses keep their order and every property the
playbook models; what only Salesforce needs (API names that differ from the
label, the default value, colours, process and record type names, Path
guidance as HTML) goes into ``crm.salesforce`` so that exporting the playbook
gives the same values back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmplay.crm.imported import Ids, Imported
from gtmplay.crm.mapping import FIELD_LABELS, SF_TO_FORECAST, STANDARD_FIELDS, custom_field_name
from gtmplay.crm.xmlio import Element, XmlProblem, parse
from gtmplay.errors import UsageError

KINDS = ("StandardValueSet", "BusinessProcess", "RecordType", "PathAssistant")
IGNORED = ("PathAssistantSettings", "Package", "CustomObject")
# elements of a standard value the playbook keeps (the rest is reported as dropped)
KEPT = {"fullName", "default", "label", "closed", "won", "converted", "probability",
        "forecastCategory", "description", "color", "isActive"}  # fmt: skip


@dataclass(slots=True)
class _File:
    path: Path
    root: Element

    @property
    def stem(self) -> str:
        return self.path.name.split(".", 1)[0]

    def problem(self, line: int, problem: str) -> UsageError:
        return UsageError(problem=f"{self.path}:{line}: {problem}")


@dataclass(slots=True)
class _Found:
    value_sets: dict[str, _File] = field(default_factory=dict)
    processes: list[tuple[str, _File]] = field(default_factory=list)  # (object, file)
    record_types: list[tuple[str, _File]] = field(default_factory=list)
    paths: list[_File] = field(default_factory=list)
    name: str = ""
    api_version: str = ""


def _read(path: Path) -> _File:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(problem=f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return _File(path, parse(data, str(path)))
    except XmlProblem as exc:
        raise UsageError(
            problem=str(exc), fix="Give Salesforce metadata files (*-meta.xml)"
        ) from None


def _files(paths: Iterable[str]) -> tuple[list[_File], list[str]]:
    """Every metadata file under ``paths``; files named explicitly must be metadata."""
    files: list[_File] = []
    skipped: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for candidate in sorted(path.rglob("*.xml")):
                if any(part.startswith(".") for part in candidate.relative_to(path).parts):
                    continue
                file = _read(candidate)
                if file.root.tag in KINDS:
                    files.append(file)
                elif file.root.tag not in IGNORED:
                    skipped.append(str(candidate))
        elif path.is_file():
            file = _read(path)
            if file.root.tag not in KINDS:
                raise file.problem(
                    file.root.line,
                    f"<{file.root.tag}> is not a StandardValueSet, BusinessProcess, RecordType "
                    "or PathAssistant",
                )
            files.append(file)
        else:
            raise UsageError(problem=f"{path}: no such file or folder")
    return files, skipped


def _value_set_name(file: _File) -> str | None:
    """``OpportunityStage``, ``LeadStatus`` or another set's name, from name or content."""
    if file.stem in ("OpportunityStage", "LeadStatus"):
        return file.stem
    full = file.root.get("fullName")
    if full:
        return full.strip()
    values = file.root.all("standardValue")
    tags = {c.tag for v in values for c in v.children}
    if tags & {"forecastCategory", "probability", "won"}:
        return "OpportunityStage"
    if "converted" in tags:
        return "LeadStatus"
    return file.stem


def _object_of(file: _File) -> str:
    parts = file.path.parts
    if "objects" in parts[:-2]:
        return parts[len(parts) - 1 - parts[::-1].index("objects") + 1]
    full = file.root.get("fullName") or ""
    return full.split(".", 1)[0] if "." in full else ""


def _collect(paths: list[str]) -> tuple[_Found, list[str]]:
    files, skipped = _files(paths)
    found = _Found()
    for file in files:
        kind = file.root.tag
        if kind == "StandardValueSet":
            name = _value_set_name(file)
            if name in ("OpportunityStage", "LeadStatus"):
                if name in found.value_sets:
                    raise file.problem(
                        file.root.line,
                        f"a second {name} value set (the first is {found.value_sets[name].path})",
                    )
                found.value_sets[name] = file
            else:
                skipped.append(str(file.path))
        elif kind == "BusinessProcess":
            found.processes.append((_object_of(file), file))
        elif kind == "RecordType":
            found.record_types.append((_object_of(file), file))
        else:
            found.paths.append(file)
    if not found.value_sets:
        raise UsageError(
            problem=f"no OpportunityStage or LeadStatus standard value set in {', '.join(paths)}",
            fix="Give a DX source folder (force-app) or the *.standardValueSet-meta.xml files",
        )
    project = _project_file(paths)
    if project is not None:
        import json

        try:
            data = json.loads(project.read_text("utf-8"))
            found.name = str(data.get("name") or "")
            found.api_version = str(data.get("sourceApiVersion") or "")
        except (ValueError, OSError, AttributeError):
            pass  # the project file only names things; the metadata is what matters
    return found, skipped


def _project_file(paths: list[str]) -> Path | None:
    """The ``sfdx-project.json`` of the first path: in it or up to three folders above."""
    start = Path(paths[0]).resolve()
    folders = [start] if start.is_dir() else []
    folders += list(start.parents)[:3]
    return next(
        (f / "sfdx-project.json" for f in folders if (f / "sfdx-project.json").is_file()), None
    )


def _int(file: _File, value: Element, tag: str) -> int:
    child = value.first(tag)
    if child is None:
        return 0
    try:
        return max(0, min(100, round(float(child.text.strip()))))
    except ValueError:
        raise file.problem(child.line, f"<{tag}> {child.text!r} is not a number") from None


def _values(file: _File) -> list[Element]:
    values = file.root.all("standardValue")
    for value in values:
        if not (value.get("fullName") or "").strip():
            raise file.problem(value.line, "<standardValue> has no <fullName>")
    return values


class _Builder:
    def __init__(self, found: _Found, warnings: list[str]) -> None:
        self.found = found
        self.warnings = warnings
        self.sf: dict[str, Any] = {}
        self.html = False
        self.ids = Ids()

    def dropped(self, file: _File, value: Element) -> None:
        extra = sorted({c.tag for c in value.children} - KEPT)
        if extra:
            self.warnings.append(
                f"{file.path}:{value.line}: {', '.join(extra)} not kept (the playbook has no place)"
            )

    def overrides(self, value: Element, label: str) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        full = value.get("fullName", "") or ""
        if full != label:
            extra["full_name"] = full
        if value.get("color"):
            extra["color"] = value.get("color")
        if value.flag("isActive") is False:
            extra["active"] = False
        if value.first("label") is None:
            extra["omit_label"] = True
        return extra

    def path_steps(self, entity: str) -> dict[str, Element]:
        """Steps of the Path on ``entity`` (the one of the imported record type if several)."""
        paths = [p for p in self.found.paths if p.root.get("entityName") == entity]
        if not paths:
            return {}
        if len(paths) > 1:
            names = ", ".join(p.stem for p in paths)
            self.warnings.append(f"several {entity} Paths ({names}); imported {paths[0].stem}")
        chosen = paths[0]
        self.sf["sales_path" if entity == "Opportunity" else "lead_path"] = chosen.stem
        steps = chosen.root.all("pathAssistantSteps")
        return {s.get("picklistValueName") or "": s for s in steps}

    def info(self, step: Element | None) -> str:
        text = (step.get("info") or "") if step is not None else ""
        self.html = self.html or bool(text)
        return text

    def stages(self, file: _File) -> list[dict[str, Any]]:
        out, extras = [], {}
        steps = self.path_steps("Opportunity")
        fields: dict[str, str] = {}
        for value in _values(file):
            full = value.get("fullName", "") or ""
            label = value.get("label") or full
            sid = self.ids.make(label, "stage")
            closed, won = value.flag("closed"), value.flag("won")
            category = (value.get("forecastCategory") or "").strip()
            forecast = SF_TO_FORECAST.get(category)
            if forecast is None:
                forecast = "closed" if won else "omitted" if closed else "pipeline"
            probability = _int(file, value, "probability")
            stage: dict[str, Any] = {
                "id": sid,
                "name": label,
                "probability": probability,
                "forecast": forecast,
            }
            if closed:
                stage["outcome"] = "won" if won else "lost"
            if value.get("description"):
                stage["description"] = value.get("description")
            step = steps.get(full)
            guidance = self.info(step)
            if guidance:
                stage["guidance"] = guidance
            names = step.all("fieldNames") if step is not None else []
            if names:
                stage["key_fields"] = [self.field_label(f.text, fields) for f in names]
            extra = self.overrides(value, label)
            if category and category not in SF_TO_FORECAST:
                extra["forecast_category"] = category
            if extra:
                extras[sid] = extra
            if value.flag("default"):
                self.sf["default_stage"] = sid
            self.dropped(file, value)
            out.append(stage)
        if file.root.flag("sorted"):
            self.sf["sorted_stages"] = True
        if fields:
            self.sf["fields"] = fields
        if extras:
            self.sf["stages"] = extras
        return out

    def field_label(self, api: str, fields: dict[str, str]) -> str:
        label = FIELD_LABELS.get(api)
        if label is None:
            label = api.removesuffix("__c").replace("_", " ")
        standard = STANDARD_FIELDS.get(label.lower())
        if (standard or custom_field_name(label)) != api:
            fields[label] = api
        return label

    def lifecycle(self, file: _File) -> list[dict[str, Any]]:
        out, extras = [], {}
        steps = self.path_steps("Lead")
        default = None
        for value in _values(file):
            full = value.get("fullName", "") or ""
            label = value.get("label") or full
            sid = self.ids.make(label, "step")
            step: dict[str, Any] = {"id": sid, "name": label}
            kind = _kind(label)
            if kind != "funnel":
                step["kind"] = kind
            if value.flag("converted"):
                step["converted"] = True
            description = self.info(steps.get(full))
            if description:
                step["description"] = description
            extra = self.overrides(value, label)
            if value.get("description"):
                extra["description"] = value.get("description")
            if extra:
                extras[sid] = extra
            if value.flag("default"):
                default = sid
            self.dropped(file, value)
            out.append(step)
        self.sf["default_status"] = default
        if file.root.flag("sorted"):
            self.sf["sorted_statuses"] = True
        if extras:
            self.sf["statuses"] = extras
        return out

    def processes(self, doc: dict[str, Any]) -> None:
        for obj, key, rt_key, names in (
            ("Opportunity", "sales_process", "opportunity_record_type", doc.get("stages")),
            ("Lead", "lead_process", "lead_record_type", doc.get("lifecycle")),
        ):
            procs = [f for o, f in self.found.processes if o == obj]
            if not procs or not names:
                continue
            if len(procs) > 1:
                listed = ", ".join(p.root.get("fullName") or p.stem for p in procs)
                self.warnings.append(f"several {obj} processes ({listed}); imported the first")
            proc = procs[0]
            name = proc.root.get("fullName") or proc.stem
            self.sf[key] = name
            listed_values = len(proc.root.all("values"))
            if listed_values != len(names):
                self.warnings.append(
                    f"{proc.path}: process {name!r} lists {listed_values} of {len(names)} "
                    "values; the playbook's process lists them all"
                )
            for o, rt in self.found.record_types:
                if o == obj and rt.root.get("businessProcess") == name:
                    self.sf[rt_key] = rt.root.get("fullName") or rt.stem
                    break


def _kind(label: str) -> str:
    low = label.lower()
    if any(w in low for w in ("unqualif", "disqualif", "not converted", "junk", "dead")):
        return "disqualified"
    if any(w in low for w in ("nurtur", "recycl")):
        return "recycle"
    return "funnel"


def import_salesforce(paths: list[str]) -> Imported:
    """Read the metadata under ``paths`` into a playbook document."""
    found, skipped = _collect(paths)
    warnings = [f"{p}: not a stage or lead status file, skipped" for p in skipped]
    builder = _Builder(found, warnings)
    name = found.name or "Imported from Salesforce"
    doc: dict[str, Any] = {
        "gtmplay": 1,
        "name": name,
        "description": "Sales stages and lead statuses imported from Salesforce.",
    }
    if "LeadStatus" in found.value_sets:
        doc["lifecycle"] = builder.lifecycle(found.value_sets["LeadStatus"])
    if "OpportunityStage" in found.value_sets:
        doc["stages"] = builder.stages(found.value_sets["OpportunityStage"])
    builder.processes(doc)
    if found.api_version:
        builder.sf["api_version"] = found.api_version
    if builder.html:
        builder.sf["guidance_format"] = "html"
    if builder.sf:
        doc["crm"] = {"salesforce": builder.sf}
    sources = sorted(str(f.path) for f in found.value_sets.values())
    return Imported(doc=doc, sources=sources, warnings=warnings)
