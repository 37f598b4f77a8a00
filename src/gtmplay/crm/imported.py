"""What the importers share: the imported document, ids, guarded JSON reading.

An importer turns CRM configuration into a playbook document (plain values
in the schema's shape) plus warnings about what it could not keep; the
import service (:mod:`gtmplay.services.import_`) writes it as a new playbook.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmplay.errors import UsageError


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
