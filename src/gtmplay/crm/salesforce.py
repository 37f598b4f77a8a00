"""Build target ``salesforce``: a Salesforce DX source project.

Stages become the ``OpportunityStage`` standard value set, lifecycle steps the
``LeadStatus`` one; each gets a business process, a record type using it and
a Path whose steps carry the guidance (HTML, escaped in the XML) and key
fields. Elements follow the ``xsd:sequence`` of each type in Salesforce's
metadata XSD, which a deploy enforces.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from gtmplay.crm import xmlio
from gtmplay.crm.mapping import FORECAST_TO_SF, SalesforceSettings, salesforce
from gtmplay.crm.xmlio import Node, leaf
from gtmplay.textio import json_text

if TYPE_CHECKING:
    from gtmplay.model import LifecycleStep, Playbook, Stage
    from gtmplay.render import BuildContext

BASE = "salesforce/"
SOURCE = "force-app/main/default/"
# Opportunity.StageName and Lead.Status are 40-character picklists.
MAX_LABEL = 40
MAX_PATH_FIELDS = 5
_UNSAFE_FILE_CHARS = set('%/\\:*?"<>|')


def file_name(full_name: str) -> str:
    """A metadata name as a file name: characters no file system takes are %-encoded."""
    return "".join(f"%{ord(c):02X}" if c in _UNSAFE_FILE_CHARS else c for c in full_name)


def guidance_html(text: str, fmt: str) -> str:
    """Stage guidance as the HTML Salesforce shows in a Path step."""
    if fmt == "html" or not text.strip():
        return text
    import markdown

    return markdown.markdown(text)


class _Writer:
    """Collects the files and the warnings of one render."""

    def __init__(self, playbook: Playbook, warnings: list[str]) -> None:
        self.playbook = playbook
        self.settings: SalesforceSettings = salesforce(playbook)
        self.warnings = warnings
        self.files: dict[str, bytes] = {}
        self.members: dict[str, list[str]] = {}

    def text(self, value: str, what: str) -> str:
        cleaned, changed = xmlio.clean(value)
        warning = f"salesforce: {what} has control characters XML cannot hold"
        if changed and warning not in self.warnings:
            self.warnings.append(warning)
        return cleaned

    def add(self, path: str, root: str, children: Iterable[Node], kind: str, member: str) -> None:
        self.files[BASE + SOURCE + path] = xmlio.document(root, children)
        self.members.setdefault(kind, []).append(member)

    def check_labels(self, names: list[tuple[str, str]], what: str) -> None:
        seen: set[str] = set()
        for full_name, label in names:
            if len(label) > MAX_LABEL:
                self.warnings.append(
                    f"salesforce: {what} {label!r} is longer than {MAX_LABEL} characters, "
                    "the length of the Salesforce picklist"
                )
            if full_name in seen:
                self.warnings.append(f"salesforce: two {what}s share the API name {full_name!r}")
            seen.add(full_name)

    # -- opportunity side ------------------------------------------------

    def stage_value(self, stage: Stage) -> Node:
        s = self.settings
        extra = s.stages.get(stage.id, {})
        name = self.text(s.stage_name(stage.id, stage.name), f"stage {stage.id}")
        nodes: list[Node] = [leaf("fullName", name)]
        if isinstance(extra.get("color"), str):
            nodes.append(leaf("color", extra["color"]))
        nodes.append(leaf("default", s.default_stage == stage.id))
        if stage.description:
            nodes.append(leaf("description", self.text(stage.description, f"stage {stage.id}")))
        if extra.get("active") is False:
            nodes.append(leaf("isActive", False))
        forecast = extra.get("forecast_category")
        if extra.get("omit_label") is not True:
            nodes.append(leaf("label", self.text(stage.name, f"stage {stage.id}")))
        nodes += [
            leaf("closed", stage.closed),
            leaf("forecastCategory", forecast or FORECAST_TO_SF[stage.forecast]),
            leaf("probability", stage.probability),
            leaf("won", stage.won),
        ]
        return ("standardValue", nodes)

    def stage_step(self, stage: Stage) -> Node | None:
        s = self.settings
        fields = [s.field(label) for label in stage.key_fields]
        info = guidance_html(self.text(stage.guidance, f"stage {stage.id}"), s.guidance_format)
        if not fields and not info:
            return None
        if len(fields) > MAX_PATH_FIELDS:
            self.warnings.append(
                f"salesforce: stage {stage.id} has {len(fields)} key fields; "
                f"a Path step shows at most {MAX_PATH_FIELDS}"
            )
        nodes: list[Node] = [leaf("fieldNames", f) for f in fields]
        if info:
            nodes.append(leaf("info", info))
        nodes.append(leaf("picklistValueName", s.stage_name(stage.id, stage.name)))
        return ("pathAssistantSteps", nodes)

    def opportunity(self) -> None:
        s, stages = self.settings, self.playbook.stages
        names = [(s.stage_name(st.id, st.name), st.name) for st in stages]
        self.check_labels(names, "stage")
        values = [self.stage_value(st) for st in stages]
        self.value_set("OpportunityStage", s.sorted_stages, values)
        defaults = [s.default_stage == st.id for st in stages]
        self.process_files(
            "Opportunity",
            s.sales_process,
            [n for n, _ in names],
            defaults,
            s.opportunity_record_type,
        )
        steps = [step for st in stages if (step := self.stage_step(st)) is not None]
        self.path("Opportunity", "StageName", s.sales_path, s.opportunity_record_type, steps)
        self.custom_field_warning(st.key_fields for st in stages)

    # -- lead side -----------------------------------------------------------

    def status_value(self, step: LifecycleStep) -> Node:
        s = self.settings
        extra = s.statuses.get(step.id, {})
        name = self.text(s.status_name(step.id, step.name), f"lifecycle step {step.id}")
        nodes: list[Node] = [leaf("fullName", name)]
        if isinstance(extra.get("color"), str):
            nodes.append(leaf("color", extra["color"]))
        nodes.append(leaf("default", s.default_status == step.id))
        if isinstance(extra.get("description"), str):
            nodes.append(leaf("description", extra["description"]))
        if extra.get("active") is False:
            nodes.append(leaf("isActive", False))
        if extra.get("omit_label") is not True:
            nodes.append(leaf("label", self.text(step.name, f"lifecycle step {step.id}")))
        nodes.append(leaf("converted", step.converted))
        return ("standardValue", nodes)

    def lead(self) -> None:
        s, steps = self.settings, self.playbook.lifecycle
        names = [(s.status_name(st.id, st.name), st.name) for st in steps]
        self.check_labels(names, "lead status")
        self.value_set("LeadStatus", s.sorted_statuses, [self.status_value(st) for st in steps])
        defaults = [s.default_status == st.id for st in steps]
        self.process_files(
            "Lead", s.lead_process, [n for n, _ in names], defaults, s.lead_record_type
        )
        path_steps: list[Node] = []
        for (name, _), st in zip(names, steps, strict=True):
            info = guidance_html(
                self.text(st.description, f"lifecycle step {st.id}"), s.guidance_format
            )
            if info:
                path_steps.append(
                    ("pathAssistantSteps", [leaf("info", info), leaf("picklistValueName", name)])
                )
        self.path("Lead", "Status", s.lead_path, s.lead_record_type, path_steps)

    # -- shared pieces -------------------------------------------------------

    def value_set(self, name: str, is_sorted: bool, values: list[Node]) -> None:
        children = [leaf("sorted", is_sorted), *values]
        path = f"standardValueSets/{name}.standardValueSet-meta.xml"
        self.add(path, "StandardValueSet", children, "StandardValueSet", name)

    def process_files(
        self, obj: str, process: str, names: list[str], defaults: list[bool], record_type: str
    ) -> None:
        values = [
            ("values", [leaf("fullName", n), leaf("default", d)])
            for n, d in zip(names, defaults, strict=True)
        ]
        children: list[Node] = [leaf("fullName", process), leaf("isActive", True), *values]
        path = f"objects/{obj}/businessProcesses/{file_name(process)}.businessProcess-meta.xml"
        self.add(path, "BusinessProcess", children, "BusinessProcess", f"{obj}.{process}")
        rt: list[Node] = [
            leaf("fullName", record_type),
            leaf("active", True),
            leaf("businessProcess", process),
            leaf("label", record_type.replace("_", " ")),
        ]
        path = f"objects/{obj}/recordTypes/{file_name(record_type)}.recordType-meta.xml"
        self.add(path, "RecordType", rt, "RecordType", f"{obj}.{record_type}")

    def path(self, obj: str, field: str, name: str, record_type: str, steps: list[Node]) -> None:
        children: list[Node] = [
            leaf("active", True),
            leaf("entityName", obj),
            leaf("fieldName", field),
            leaf("masterLabel", name.replace("_", " ")),
            *steps,
            leaf("recordTypeName", record_type),
        ]
        path = f"pathAssistants/{file_name(name)}.pathAssistant-meta.xml"
        self.add(path, "PathAssistant", children, "PathAssistant", name)

    def custom_field_warning(self, key_fields: Iterable[tuple[str, ...]]) -> None:
        s = self.settings
        custom = {
            label: s.field(label)
            for labels in key_fields
            for label in labels
            if label not in s.fields and s.field(label).endswith("__c")
        }
        if custom:
            listed = ", ".join(f"{k!r} -> {v}" for k, v in sorted(custom.items()))
            self.warnings.append(
                f"salesforce: key fields exported as custom fields that must exist: {listed} "
                "(map them in crm.salesforce.fields)"
            )

    def finish(self) -> dict[str, bytes]:
        s = self.settings
        settings = [leaf("pathAssistantEnabled", True)]
        self.add(
            "settings/PathAssistant.settings-meta.xml",
            "PathAssistantSettings",
            settings,
            "Settings",
            "PathAssistant",
        )
        types: list[Node] = [
            ("types", [*(leaf("members", m) for m in sorted(members)), leaf("name", kind)])
            for kind, members in sorted(self.members.items())
        ]
        self.files[BASE + "manifest/package.xml"] = xmlio.document(
            "Package", [*types, leaf("version", s.api_version)]
        )
        project = {
            "packageDirectories": [{"path": "force-app", "default": True}],
            "name": self.playbook.name,
            "namespace": "",
            "sfdcLoginUrl": "https://login.salesforce.com",
            "sourceApiVersion": s.api_version,
        }
        text = json_text(project)
        self.files[BASE + "sfdx-project.json"] = text.encode("utf-8")
        self.files[BASE + "README.md"] = _readme(s).encode("utf-8")
        return dict(sorted(self.files.items()))


def _readme(s: SalesforceSettings) -> str:
    return (
        "# Salesforce configuration\n\n"
        "Generated by gtmplay from the playbook; edit the playbook, not these files.\n\n"
        "Deploy to an org you are logged in to (Salesforce CLI):\n\n"
        "```sh\n"
        "cd salesforce\n"
        "sf project deploy start --manifest manifest/package.xml --target-org <alias> --dry-run\n"
        "sf project deploy start --manifest manifest/package.xml --target-org <alias>\n"
        "```\n\n"
        f"Sales process `{s.sales_process}` (record type `{s.opportunity_record_type}`, "
        f"path `{s.sales_path}`), lead process `{s.lead_process}` "
        f"(record type `{s.lead_record_type}`, path `{s.lead_path}`), API version "
        f"{s.api_version}.\n"
    )


def render(ctx: BuildContext) -> dict[str, bytes]:
    writer = _Writer(ctx.playbook, ctx.warnings)
    if ctx.playbook.stages:
        writer.opportunity()
    else:
        ctx.warnings.append("salesforce: the playbook has no stages; no sales process exported")
    if ctx.playbook.lifecycle:
        writer.lead()
    else:
        ctx.warnings.append("salesforce: the playbook has no lifecycle; no lead process exported")
    return writer.finish()
