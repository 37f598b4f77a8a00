"""Reading CRM exports as they really are: encodings, dates, amounts, blanks.

Real exports are UTF-8 or Windows-1252, end lines with CRLF or LF (and
sometimes not the last one), write dates as ISO, ``M/D/YYYY`` or
``DD-MM-YYYY HH:MM``, amounts as ``$923.00 `` and "not filled in" as ``NA``
or ``Select``. This module turns such a file into rows of text with their line
numbers, and values into Python values; a value that cannot be read is a
:class:`ValueProblem` the reader reports as a bad row at file:line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gtmplay.errors import UsageError

# what CRMs and spreadsheets write for "no value"
NULLS = frozenset({"", "na", "n/a", "null", "none", "nan", "select", "-", "--", "#n/a"})

# candidate date formats, most specific first; a column takes the first one
# that reads every value in it (so 03/04/2024 is read the way 13/04/2024 says)
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%m-%d-%Y %H:%M",
    "%m-%d-%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
)
_FRACTION = re.compile(r"(\.\d+)?(Z|[+-]\d\d:?\d\d)?$")


class ValueProblem(ValueError):
    """A value that cannot be read; the message names the value and what was expected."""


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file read as text: its header and its rows with their line numbers."""

    path: str
    encoding: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    # rows whose field count differs from the header's (trailing totals, cut lines)
    ragged: tuple[tuple[int, int], ...] = ()

    def index(self, *names: str) -> dict[str, int]:
        """Column positions by name, case- and space-insensitive."""
        folded = {_fold(h): i for i, h in enumerate(self.header)}
        return {n: folded[_fold(n)] for n in names if _fold(n) in folded}

    def has(self, *names: str) -> bool:
        return len(self.index(*names)) == len(names)

    def require(self, *names: str) -> dict[str, int]:
        """Positions of ``names``; a :class:`UsageError` naming the file and columns otherwise."""
        found = self.index(*names)
        missing = [n for n in names if n not in found]
        if missing:
            raise UsageError(
                problem=f"{self.path}: no column {', '.join(repr(m) for m in missing)} "
                f"(columns found: {', '.join(self.header) or 'none'})",
                fix="export the file with that column, or give it in the generic event format "
                "(docs/measure.md)",
            )
        return found


def _fold(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).lower()


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of ``data`` and the encoding used: the given one, else UTF-8, else cp1252."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(
                problem=f"unknown encoding {encoding!r}", fix="use utf-8, cp1252 or latin-1"
            ) from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise UsageError(
                problem=f"{path}: not {encoding} (byte {exc.start}: {exc.reason})",
                fix="give the file's encoding with --encoding",
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Excel on Windows writes cp1252; its five unassigned bytes fall back to Latin-1
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


# the dialect is sniffed on this many characters; the header is looked for in
# a head of HEAD_BYTES, which holds them in any encoding
SNIFF_CHARS = 65536
HEAD_BYTES = 4 * SNIFF_CHARS + 1


def read_header(path: str, encoding: str | None = None) -> Table:
    """The header of a CSV export, with no rows, reading only the file's head.

    Enough to recognise a file's layout: a file in the generic event format is
    then read by DuckDB alone, not parsed in Python first (about 2 KB of
    memory a row). The head is cut after its last whole line; a file whose
    head holds no whole header line is read whole.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as exc:
        raise UsageError(problem=f"cannot read {path}: {exc.strerror or exc}") from None
    cut = head.rfind(b"\n") if len(head) == HEAD_BYTES else len(head) - 1
    try:
        table = read_table(path, encoding, head[: cut + 1] if cut > 0 else None)
    except (UsageError, UnicodeDecodeError):
        # the cut fell inside a quoted field or a UTF-16 character: the whole file says
        table = read_table(path, encoding)
    return Table(table.path, table.encoding, table.header, ())


def read_table(path: str, encoding: str | None = None, data: bytes | None = None) -> Table:
    """Read a CSV export; blank lines are skipped, ragged rows kept aside with their lines.

    ``data``: the file's bytes (or its head, see :func:`read_header`) when already read.
    """
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise UsageError(problem=f"cannot read {path}: {exc.strerror or exc}") from None
    text, used = decode(data, path, encoding)
    sample = text[:SNIFF_CHARS]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    ragged: list[tuple[int, int]] = []
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(field.strip() for field in record):
                continue
            if header is None:
                header = tuple(h.replace("\ufeff", "").strip() for h in record)
                continue
            fields = tuple(record)
            if len(fields) == len(header):
                rows.append((start, fields))
            else:
                ragged.append((start, len(fields)))
    except csv.Error as exc:
        raise UsageError(
            problem=f"{path}:{line}: not a readable CSV file ({exc})",
            fix="export it again as CSV",
        ) from None
    if header is None:
        raise UsageError(problem=f"{path}: empty file, no header row", fix="export it again")
    return Table(path, used, header, tuple(rows), tuple(ragged))


def is_null(value: str) -> bool:
    return value.strip().lower() in NULLS


def text(value: str) -> str | None:
    """A text value, or ``None`` for the CRM's "nothing" spellings."""
    return None if is_null(value) else value.strip()


def _strip_zone(value: str) -> str:
    # fractions of a second and a UTC designator: HubSpot and the APIs write them
    return _FRACTION.sub("", value.strip()) if "T" in value or ":" in value else value.strip()


def date_format(values: Iterable[str]) -> str | None:
    """The first of :data:`DATE_FORMATS` that reads every non-empty value, if any."""
    sample = [_strip_zone(v) for v in values if not is_null(v)]
    if not sample:
        return DATE_FORMATS[0]
    for fmt in DATE_FORMATS:
        try:
            for v in sample:
                dt.datetime.strptime(v, fmt)
        except ValueError:
            continue
        return fmt
    return None


def best_date_format(values: Sequence[str]) -> str:
    """The format that reads most values (the rest are bad rows) when none reads all."""
    fmt = date_format(values)
    if fmt is not None:
        return fmt
    sample = [_strip_zone(v) for v in values if not is_null(v)]

    def reads(fmt: str) -> int:
        ok = 0
        for v in sample:
            try:
                dt.datetime.strptime(v, fmt)
                ok += 1
            except ValueError:
                pass
        return ok

    return max(DATE_FORMATS, key=reads)


def parse_date(value: str, fmt: str) -> dt.datetime | None:
    if is_null(value):
        return None
    try:
        return dt.datetime.strptime(_strip_zone(value), fmt)
    except ValueError:
        raise ValueProblem(f"{value.strip()!r} is not a date like the rest of its column") from None


_AMOUNT = re.compile(r"^\(?-?[\d.,' ]+\)?$")


def parse_amount(value: str) -> float | None:
    """``$923.00 `` -> 923.0; ``1.234,50 €`` -> 1234.5; ``(100)`` -> -100."""
    if is_null(value):
        return None
    raw = re.sub(r"[^\d.,()'\- ]", "", value).strip().replace("'", "").replace(" ", "")
    if not raw or not _AMOUNT.match(raw):
        raise ValueProblem(f"{value.strip()!r} is not an amount")
    negative = raw.startswith("(") or raw.startswith("-")
    raw = raw.strip("()-")
    if "," in raw and "." in raw:
        # the later separator is the decimal one
        raw = raw.replace(",", "") if raw.rfind(".") > raw.rfind(",") else _swap(raw)
    elif raw.count(",") == 1 and len(raw.split(",")[1]) != 3:
        raw = raw.replace(",", ".")
    else:
        raw = raw.replace(",", "")
    try:
        amount = float(raw)
    except ValueError:
        raise ValueProblem(f"{value.strip()!r} is not an amount") from None
    return -amount if negative else amount


def _swap(raw: str) -> str:
    return raw.replace(".", "").replace(",", ".")


def parse_flag(value: str) -> bool | None:
    """``1``/``0``, ``true``/``false``, ``yes``/``no``."""
    v = value.strip().lower()
    if v in ("1", "true", "yes", "y", "t"):
        return True
    if v in ("0", "false", "no", "n", "f"):
        return False
    if is_null(v):
        return None
    raise ValueProblem(f"{value.strip()!r} is not a yes/no value")
