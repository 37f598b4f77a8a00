"""What the importers share: ids, the playbook folder writer and the gap list.

An importer turns CRM configuration into a playbook document (plain values
in the schema's shape) plus warnings about what it could not keep. This
module writes that document as a new playbook folder and lists what the CRM
cannot know and the user must fill in for sales and marketing to align.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmplay.errors import UsageError
from gtmplay.textio import write_atomic


@dataclass(slots=True)
class Imported:
    doc: dict[str, Any]
    sources: list[str]
    warnings: list[str] = field(default_factory=list)
    summary: str = ""  # one line: what was read and skipped


# The largest real CRM file read (a Salesforce record type) is about 300 KB: a
# limit far above that refuses a 4 GB read with a clear message.
MAX_FILE_BYTES = 8 * 1024 * 1024

# JSON a CRM API returns is a few levels deep with short numbers; anything far
# past these is not such a file, and Python would fail on it without a word
# of where (a RecursionError, or a ValueError for a 5,000-digit integer).
MAX_JSON_DEPTH = 64
MAX_NUMBER_DIGITS = 40
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _depth(text: str) -> int:
    deepest = depth = 0
    for char in _JSON_STRING.sub("", text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def load_json(data: bytes, path: Path, fix: str = "Give the JSON the CRM's API returned") -> Any:
    """JSON from ``data`` with limits on nesting and number size; errors name file:line:col."""
    import json

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(problem=f"{path}: not UTF-8 text", fix="Save it as UTF-8") from None
    if _depth(text) > MAX_JSON_DEPTH:
        raise UsageError(
            problem=f"{path}: JSON nested deeper than {MAX_JSON_DEPTH} levels",
            fix=fix,
        )

    def number(kind: type[int] | type[float]) -> Any:
        def convert(literal: str) -> int | float:
            if len(literal) > MAX_NUMBER_DIGITS:
                raise ValueError(f"a number of {len(literal)} characters")
            return kind(literal)

        return convert

    try:
        return json.loads(text, parse_int=number(int), parse_float=number(float))
    except json.JSONDecodeError as exc:
        raise UsageError(
            problem=f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}",
            fix=fix,
        ) from None
    except ValueError as exc:
        raise UsageError(
            problem=f"{path}: {exc}, over the limit of {MAX_NUMBER_DIGITS}",
            fix=fix,
        ) from None


def comment_safe(text: str) -> str:
    """``text`` for one comment line: control and line-breaking characters shown
    as escapes, so a file name cannot end the comment and start YAML."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


class Ids:
    """Unique playbook ids from CRM labels: ``Proposal/Price Quote`` -> ``proposal-price-quote``.

    One instance serves stages and lifecycle steps together: activities refer
    to both by id, so an id must not name one of each.
    """

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, label: str, prefix: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
        base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:48].strip("-")
        if not base or not base[0].isalpha():
            base = f"{prefix}-{base}" if base else prefix
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        self.used.add(candidate)
        return candidate


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
