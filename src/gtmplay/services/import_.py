"""``gtmplay import``: a new playbook from a CRM's configuration. No click here.

check the output folder (before reading anything, so a mistyped ``-o`` is
said at once) -> run the CRM's importer -> write ``playbook.yaml`` atomically
-> list what the CRM cannot know and the user must fill in for sales and
marketing to align.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from gtmplay.errors import UsageError
from gtmplay.textio import write_atomic

if TYPE_CHECKING:
    from gtmplay.crm.imported import Imported

Crm = Literal["salesforce", "hubspot"]

# what must not reach the playbook's header comment from a file name: a line
# break there would end the comment and start YAML (it could switch rules off)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Options:
    crm: Crm
    paths: tuple[str, ...]  # Salesforce: folders or files; HubSpot: one JSON file
    output: Path
    pipeline: str | None = None  # HubSpot: import only this pipeline (id or label)


@dataclass
class Outcome:
    """What was written. ``status`` is the exit status (errors raise ``UsageError``)."""

    target: Path
    imported: Imported
    gaps: list[str] = field(default_factory=list)
    status: int = 0

    @property
    def counts(self) -> str:
        """``12 stages, 5 lifecycle steps`` (and the motions, when there are any)."""
        doc = self.imported.doc
        text = (
            f"{len(doc.get('stages', []))} stages, {len(doc.get('lifecycle', []))} lifecycle steps"
        )
        motions = len(doc.get("motions", []))
        return text + (f", {motions} motions" if motions else "")


def run(options: Options) -> Outcome:
    check_output(options.output)
    imported = _read(options)
    target = write_playbook(imported, options.output)
    return Outcome(target=target, imported=imported, gaps=gaps(imported.doc))


def _read(options: Options) -> Imported:
    if options.crm == "salesforce":
        from gtmplay.crm.salesforce.importer import import_salesforce

        return import_salesforce(list(options.paths))
    from gtmplay.crm.hubspot.importer import import_hubspot

    (path,) = options.paths
    return import_hubspot(path, options.pipeline)


def comment_safe(text: str) -> str:
    """``text`` for one comment line: control and line-breaking characters shown
    as escapes, so a file name cannot end the comment and start YAML."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def gaps(doc: dict[str, Any]) -> list[str]:
    """The alignment gaps of an imported playbook, in reading order."""
    out = []
    stages = [s["id"] for s in doc.get("stages", []) if s.get("outcome", "open") == "open"]
    steps = [s["id"] for s in doc.get("lifecycle", [])]
    if stages:
        out.append(f"stages without marketing or enablement activities: {', '.join(stages)}")
        out.append("stages without an owning team, entry and exit criteria (owner, entry, exit)")
    if steps:
        out.append(f"lifecycle steps without activities: {', '.join(steps)}")
        out.append("lifecycle steps without an owner, entry and exit definitions")
    else:
        out.append("no lifecycle (demand waterfall): add the lead statuses marketing works")
    if not doc.get("stages"):
        out.append("no sales stages: add the opportunity stages sales works")
    out.append("no teams: add marketing, SDR and sales teams (teams:)")
    out.append("no handoffs: add the marketing-to-sales handoffs with their SLAs (handoffs:)")
    out.append("no lead scoring, KPIs or cadence (scoring:, kpis:, cadence:)")
    out.append("no strategy: markets, ideal customer profile and personas (strategy:)")
    return out


def dump_yaml(doc: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(
        doc, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
    )


def check_output(out: Path) -> None:
    """Refuse ``out`` unless it is new or an empty folder.

    Called before reading any CRM file, so a mistyped ``-o`` is reported at
    once rather than after reading a whole org.
    """
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(
            problem=f"{out} already exists and is not an empty folder",
            fix="Choose a new folder with -o, the import never overwrites a playbook",
        )


def write_playbook(imported: Imported, out: Path) -> Path:
    """Write ``imported`` as ``out/playbook.yaml``; ``out`` must be new or empty."""
    check_output(out)
    header = (
        "# Imported by `gtmplay import` from:\n"
        + "".join(f"#   {comment_safe(s)}\n" for s in imported.sources)
        + "# Fill in what a CRM cannot know (teams, activities, handoffs), then run\n"
        + "# `gtmplay check` on this folder.\n"
    )
    text = header + dump_yaml(imported.doc)
    target = out / "playbook.yaml"
    write_atomic(target, text, fix="")
    return target
