"""Build target ``salesforce``: a Salesforce DX source project.

Stages become the ``OpportunityStage`` standard value set, lifecycle steps the
``LeadStatus`` one. Business processes, record types and Paths are written
only as the playbook declares them (``crm.salesforce``): every one listed in
``processes`` / ``record_types`` / ``paths`` (what ``gtmplay import
salesforce`` writes), or the single process, record type and Path a playbook
names with ``sales_process`` / ``lead_process``. Nothing else is invented: a
playbook that names no process exports the value sets only, which deploy
without creating anything in the org.

Elements follow the ``xsd:sequence`` of each type in Salesforce's metadata
XSD, which a deploy enforces. Names are written exactly as declared
(``Growth%2FExpansion`` stays so in the XML, the file name and package.xml).
Path guidance passes through the site's sanitiser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from gtmplay.crm.salesforce import xmlio
from gtmplay.crm.salesforce.guidance import html_for_salesforce, markdown_to_html
from gtmplay.crm.salesforce.settings import (
    FORECAST_TO_SF,
    PathDef,
    PathStep,
    Process,
    ProcessValue,
    RecordType,
    SalesforceSettings,
    encode_value,
)
from gtmplay.crm.salesforce.xmlio import Node, leaf
from gtmplay.textio import json_text

if TYPE_CHECKING:
    from gtmplay.model import LifecycleStep, Playbook, Stage
    from gtmplay.render import BuildContext

BASE = "salesforce/"
SOURCE = "force-app/main/default/"
MAX_PATH_FIELDS = 5
# characters no file system takes; `%` is not one: names Salesforce already
# %-encoded keep their encoding in the file name, as Salesforce writes them
_UNSAFE_FILE_CHARS = set('/\\:*?"<>|')


def file_name(full_name: str) -> str:
    """A metadata name as a file name: characters no file system takes are %-encoded."""
    return "".join(f"%{ord(c):02X}" if c in _UNSAFE_FILE_CHARS else c for c in full_name)


def settings_of(playbook: Playbook) -> SalesforceSettings:
    raw = playbook.crm.get("salesforce")
    return SalesforceSettings.from_raw(raw if isinstance(raw, dict) else {})


class _Writer:
    """Collects the files and the warnings of one render."""

    def __init__(self, playbook: Playbook, warnings: list[str]) -> None:
        self.playbook = playbook
        self.s = settings_of(playbook)
        self.warnings = warnings
        self.files: dict[str, bytes] = {}
        self.members: dict[str, list[str]] = {}
        self.stages = {st.id: st for st in playbook.stages}
        self.steps = {st.id: st for st in playbook.lifecycle}

    def text(self, value: str, what: str) -> str:
        cleaned, changed = xmlio.clean(value)
        warning = f"salesforce: {what} has control characters XML cannot hold"
        if changed and warning not in self.warnings:
            self.warnings.append(warning)
        return cleaned

    def add(self, path: str, root: str, children: Iterable[Node], kind: str, member: str) -> None:
        target = BASE + SOURCE + path
        if target in self.files:
            # two components with one file name (a Path on Opportunity and one
            # on Lead for record types of the same name): never overwrite
            self.warnings.append(f"salesforce: {member} not written: {path} is already written")
            return
        self.files[target] = xmlio.document(root, children)
        self.members.setdefault(kind, []).append(member)

    # -- value sets --------------------------------------------------------

    def value_sets(self) -> list[str]:
        if self.s.value_sets is not None:
            return list(self.s.value_sets)
        implied = [
            ("OpportunityStage", self.playbook.stages),
            ("LeadStatus", self.playbook.lifecycle),
        ]
        return [name for name, items in implied if items]

    def stage_value(self, stage: Stage) -> Node:
        s, extra = self.s, self.s.stage(stage.id)
        name = self.text(s.stage_name(stage.id, stage.name), f"stage {stage.id}")
        nodes: list[Node] = [leaf("fullName", name)]
        if extra.color:
            nodes.append(leaf("color", extra.color))
        nodes.append(leaf("default", s.default_stage == stage.id))
        if stage.description:
            nodes.append(leaf("description", self.text(stage.description, f"stage {stage.id}")))
        if not extra.active:
            nodes.append(leaf("isActive", False))
        if not extra.omit_label:
            nodes.append(leaf("label", self.text(stage.name, f"stage {stage.id}")))
        nodes += [
            leaf("closed", stage.closed),
            leaf("forecastCategory", extra.forecast_category or FORECAST_TO_SF[stage.forecast]),
        ]
        if not extra.omit_probability:
            nodes.append(leaf("probability", stage.probability))
        nodes.append(leaf("won", stage.won))
        return ("standardValue", nodes)

    def status_value(self, step: LifecycleStep) -> Node:
        s, extra = self.s, self.s.status(step.id)
        name = self.text(s.status_name(step.id, step.name), f"lifecycle step {step.id}")
        nodes: list[Node] = [leaf("fullName", name)]
        if extra.color:
            nodes.append(leaf("color", extra.color))
        nodes.append(leaf("default", self.default_status() == step.id))
        if extra.description:
            nodes.append(leaf("description", extra.description))
        if not extra.active:
            nodes.append(leaf("isActive", False))
        if not extra.omit_label:
            nodes.append(leaf("label", self.text(step.name, f"lifecycle step {step.id}")))
        nodes.append(leaf("converted", step.converted))
        return ("standardValue", nodes)

    def default_status(self) -> str | None:
        if self.s.has_default_status:
            return self.s.default_status
        return next((st.id for st in self.playbook.lifecycle if st.kind == "funnel"), None)

    def write_value_sets(self) -> None:
        for name in self.value_sets():
            if name == "OpportunityStage":
                stages = [st for st in self.playbook.stages if self.s.stage(st.id).in_value_set]
                values = [self.stage_value(st) for st in stages]
                is_sorted = self.s.sorted_stages
            else:
                steps = [st for st in self.playbook.lifecycle if self.s.status(st.id).in_value_set]
                values = [self.status_value(st) for st in steps]
                is_sorted = self.s.sorted_statuses
            children = [leaf("sorted", is_sorted), *values]
            path = f"standardValueSets/{name}.standardValueSet-meta.xml"
            self.add(path, "StandardValueSet", children, "StandardValueSet", name)

    # -- processes, record types, Paths ------------------------------------------

    def plain_name(self, obj: str, value_id: str) -> str:
        if obj == "Opportunity":
            stage = self.stages.get(value_id)
            return self.s.stage_name(value_id, stage.name if stage else value_id)
        step = self.steps.get(value_id)
        return self.s.status_name(value_id, step.name if step else value_id)

    def process(self, p: Process) -> None:
        children: list[Node] = [leaf("fullName", p.name)]
        if p.description:
            children.append(leaf("description", self.text(p.description, f"process {p.name}")))
        if p.active is not None:
            children.append(leaf("isActive", p.active))
        for v in p.values:
            written = v.full_name or encode_value(self.plain_name(p.object, v.id))
            children.append(
                ("values", [leaf("fullName", written), leaf("default", p.default == v.id)])
            )
        path = f"objects/{p.object}/businessProcesses/{file_name(p.name)}.businessProcess-meta.xml"
        self.add(path, "BusinessProcess", children, "BusinessProcess", f"{p.object}.{p.name}")

    def record_type(self, rt: RecordType) -> None:
        children: list[Node] = [leaf("fullName", rt.name), leaf("active", rt.active)]
        if rt.process:
            children.append(leaf("businessProcess", rt.process))
        if rt.compact_layout:
            children.append(leaf("compactLayoutAssignment", rt.compact_layout))
        if rt.description:
            children.append(
                leaf("description", self.text(rt.description, f"record type {rt.name}"))
            )
        children.append(leaf("label", self.text(rt.label, f"record type {rt.name}")))
        path = f"objects/{rt.object}/recordTypes/{file_name(rt.name)}.recordType-meta.xml"
        self.add(path, "RecordType", children, "RecordType", f"{rt.object}.{rt.name}")

    def step_node(self, path: PathDef, step: PathStep) -> Node | None:
        if step.id is None:
            value = step.value or ""
            fields: tuple[str, ...] = step.fields or ()
            info = html_for_salesforce(step.html) if step.html else ""
        else:
            value = self.plain_name(path.object, step.id)
            fields = step.fields if step.fields is not None else self.own_fields(path, step.id)
            info = self.step_info(path, step)
        if len(fields) > MAX_PATH_FIELDS:
            self.warnings.append(
                f"salesforce: Path {path.name}: step {value!r} has {len(fields)} key fields; "
                f"a Path step shows at most {MAX_PATH_FIELDS}"
            )
        nodes: list[Node] = [leaf("fieldNames", f) for f in fields]
        if info:
            nodes.append(leaf("info", self.text(info, f"Path {path.name}")))
        nodes.append(leaf("picklistValueName", value))
        return ("pathAssistantSteps", nodes)

    def own_fields(self, path: PathDef, value_id: str) -> tuple[str, ...]:
        stage = self.stages.get(value_id) if path.object == "Opportunity" else None
        return tuple(self.s.field(label) for label in stage.key_fields) if stage else ()

    def step_info(self, path: PathDef, step: PathStep) -> str:
        if step.html is not None:
            return html_for_salesforce(step.html)
        if step.guidance is not None:
            return markdown_to_html(step.guidance)
        value_id = step.id or ""
        if path.object == "Opportunity":
            stage = self.stages.get(value_id)
            return self.own_text(stage.guidance if stage else "")
        lstep = self.steps.get(value_id)
        return self.own_text(lstep.description if lstep else "")

    def own_text(self, text: str) -> str:
        """A stage's guidance (or lifecycle step's description) as Path HTML."""
        if self.s.format == "html":
            return html_for_salesforce(text)
        return markdown_to_html(text)

    def path(self, path: PathDef) -> None:
        steps = [n for st in path.steps if (n := self.step_node(path, st)) is not None]
        children: list[Node] = [
            leaf("active", path.active),
            leaf("entityName", path.object),
            leaf("fieldName", path.picklist),
            leaf("masterLabel", self.text(path.master_label, f"Path {path.name}")),
            *steps,
            leaf("recordTypeName", path.record_type),
        ]
        target = f"pathAssistants/{file_name(path.name)}.pathAssistant-meta.xml"
        self.add(target, "PathAssistant", children, "PathAssistant", path.name)

    def declared(self) -> tuple[list[Process], list[RecordType], list[PathDef]]:
        """What the playbook declares: the lists, or the single named process per object."""
        s = self.s
        processes = [p for p in s.processes if s.export_managed or not p.managed]
        record_types = [r for r in s.record_types if s.export_managed or not r.managed]
        paths = list(s.paths)
        motions = [m for m in self.playbook.motions if not m.implicit]
        whole_org = bool(s.processes or s.record_types or s.paths)
        if whole_org:
            # a process bound to a motion takes its values, default and description
            # from it; a motion bound to none gets its own process below
            by_id = {m.id: m for m in motions}
            bound = {p.motion for p in processes if p.motion}
            for i, p in enumerate(processes):
                if p.motion is None:
                    if not p.values:
                        self.warnings.append(
                            f"salesforce: process {p.name} has neither values nor a motion; "
                            "written without values"
                        )
                    continue
                m = by_id.get(p.motion)
                if m is None:
                    self.warnings.append(
                        f"salesforce: process {p.name} names motion {p.motion!r}, which the "
                        "playbook does not declare; written without values"
                    )
                    continue
                processes[i] = p.bound(m.stages, m.default_stage, m.description)
            motions = [m for m in motions if m.id not in bound]
        for m in motions:
            # each declared motion: its own process (its stages, its default),
            # record type and Path; names from the motion's crm: or its name
            crm = m.crm
            process = crm.salesforce_process or m.name
            record_type = crm.salesforce_record_type or _api_name(m.id)
            values = tuple(ProcessValue(stage_id) for stage_id in m.stages)
            first = m.default_stage or (m.stages[0] if m.stages else None)
            processes.append(Process(process, "Opportunity", values, default=first))
            label = record_type.replace("_", " ")
            record_types.append(RecordType(record_type, "Opportunity", label, process))
            stages = [self.stages[i] for i in m.stages if i in self.stages]
            steps = tuple(PathStep(id=st.id) for st in stages if _has_path_content(st))
            motion_path = crm.salesforce_path or f"{record_type}_Path"
            paths.append(PathDef(motion_path, "Opportunity", record_type, steps=steps))
        if whole_org:
            return processes, record_types, paths
        for obj, items, name, rt, path_name, fallback_rt, default in (
            ("Opportunity", self.playbook.stages, s.sales_process, s.opportunity_record_type,
             s.sales_path, "Sales", s.default_stage),
            ("Lead", self.playbook.lifecycle, s.lead_process, s.lead_record_type,
             s.lead_path, "Leads", self.default_status()),
        ):  # fmt: skip
            if not items or not (name or rt or path_name) or (obj == "Opportunity" and motions):
                continue
            process = name or ("Sales Process" if obj == "Opportunity" else "Lead Process")
            record_type = rt or fallback_rt
            values = tuple(ProcessValue(i.id) for i in items)
            processes.append(Process(process, obj, values, default=default))
            record_types.append(
                RecordType(record_type, obj, record_type.replace("_", " "), process)
            )
            steps = tuple(PathStep(id=i.id) for i in items if _has_path_content(i))
            paths.append(PathDef(path_name or f"{record_type}_Path", obj, record_type, steps=steps))
        return processes, record_types, paths

    def custom_field_warning(self) -> None:
        s = self.s
        custom = {
            label: s.field(label)
            for st in self.playbook.stages
            for label in st.key_fields
            if label not in s.fields and s.field(label).endswith("__c")
        }
        if custom:
            listed = ", ".join(f"{k!r} -> {v}" for k, v in sorted(custom.items()))
            self.warnings.append(
                f"salesforce: key fields exported as custom fields that must exist: {listed} "
                "(map them in crm.salesforce.fields)"
            )

    def finish(self) -> dict[str, bytes]:
        s = self.s
        if "PathAssistant" in self.members:
            settings = [leaf("pathAssistantEnabled", True)]
            path = "settings/PathAssistant.settings-meta.xml"
            self.add(path, "PathAssistantSettings", settings, "Settings", "PathAssistant")
        types: list[Node] = [
            ("types", [*(leaf("members", m) for m in sorted(members)), leaf("name", kind)])
            for kind, members in sorted(self.members.items())
        ]
        self.files[BASE + "manifest/package.xml"] = xmlio.document(
            "Package", [*types, leaf("version", s.version)]
        )
        project = {
            "packageDirectories": [{"path": "force-app", "default": True}],
            "name": self.playbook.name,
            "namespace": "",
            "sfdcLoginUrl": "https://login.salesforce.com",
            "sourceApiVersion": s.version,
        }
        text = json_text(project)
        self.files[BASE + "sfdx-project.json"] = text.encode("utf-8")
        self.files[BASE + "README.md"] = self.readme().encode("utf-8")
        return dict(sorted(self.files.items()))

    def readme(self) -> str:
        listed = [
            f"- {kind}: {', '.join(f'`{m}`' for m in sorted(members))}\n"
            for kind, members in sorted(self.members.items())
        ]
        return (
            "# Salesforce configuration\n\n"
            "Generated by gtmplay from the playbook; edit the playbook, not these files.\n\n"
            "Deploy to an org you are logged in to (Salesforce CLI):\n\n"
            "```sh\n"
            "cd salesforce\n"
            "sf project deploy start --manifest manifest/package.xml --target-org <alias> "
            "--dry-run\n"
            "sf project deploy start --manifest manifest/package.xml --target-org <alias>\n"
            "```\n\n"
            f"API version {self.s.version}. Components:\n\n" + "".join(listed)
        )


def _api_name(motion_id: str) -> str:
    """A record type API name for a motion id: ``new-business`` -> ``new_business``."""
    name = re.sub(r"[^A-Za-z0-9]+", "_", motion_id).strip("_")
    return name if name[:1].isalpha() else f"Motion_{name}"


def _has_path_content(item: Stage | LifecycleStep) -> bool:
    """Whether the single named Path gets a step for ``item``: only with something to show."""
    text = getattr(item, "guidance", None) if hasattr(item, "key_fields") else item.description
    return bool(getattr(item, "key_fields", ()) or (text or "").strip())


def render(ctx: BuildContext) -> dict[str, bytes]:
    writer = _Writer(ctx.playbook, ctx.warnings)
    if not ctx.playbook.stages:
        ctx.warnings.append("salesforce: the playbook has no stages; no sales stages exported")
    if not ctx.playbook.lifecycle:
        ctx.warnings.append("salesforce: the playbook has no lifecycle; no lead statuses exported")
    writer.write_value_sets()
    processes, record_types, paths = writer.declared()
    for p in processes:
        writer.process(p)
    for rt in record_types:
        writer.record_type(rt)
    for path in paths:
        writer.path(path)
    writer.custom_field_warning()
    return writer.finish()
