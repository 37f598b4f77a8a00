"""YAML text to plain values, keeping the position of every node.

libyaml (``yaml.CSafeLoader``) does the scanning and parsing; this module
builds values straight from its event stream instead of letting PyYAML
compose a node graph first. That keeps every position while running several
times faster than ``yaml.load`` (node objects and marks are the slow part),
and it lets us enforce limits as we go: nesting depth and alias expansion are
counted on an explicit stack, so hostile files fail fast with bounded memory.

YAML 1.1 quirks are kept as YAML 1.1 reads them (``no`` is ``false``) but
recorded in the source map, so that the schema check can say "quote it" where
a string was expected.
"""

from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass
from operator import is_
from sys import intern as _intern
from typing import Any

import yaml
from yaml import events as ev

from gtmplay.findings import Finding, Span, at
from gtmplay.ruleids import (
    FILE_UNREADABLE,
    YAML_AMBIGUOUS_VALUE,
    YAML_DUPLICATE_KEY,
    YAML_LIMIT,
    YAML_SYNTAX,
)
from gtmplay.sourcemap import NARROW, TYPECODE, MapPos, SourceMap, widen

try:  # libyaml is there on every mainstream platform; the fallback keeps us working
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - exercised only without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting the machine."""

    max_file_bytes: int = 16 * 1024 * 1024
    max_depth: int = 64
    max_alias_nodes: int = 100_000
    max_files: int = 5_000


DEFAULT_LIMITS = Limits()

# Rule ids of the load stage (the foundation's own checks).

_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SCALAR_TAGS = {_STR, _BOOL, _INT, _FLOAT, _NULL, "tag:yaml.org,2002:timestamp"}
_FIRST_CHARS = frozenset(k for k in _Loader.yaml_implicit_resolvers if k is not None)
_NO_KEY = object()
_MAX_NUMBER_CHARS = 1000
# plain values up to this long are interned; longer text rarely repeats
_INTERN_CHARS = 32

_SYNTAX_HINTS = (
    ("mapping values are not allowed", "quote text that contains ': '"),
    ("found undefined alias", "define the anchor with &name before using *name"),
    ("could not find expected ':'", "a key needs ':' after it; quote text with special characters"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
)
# what opens, its name, what closes it, and where the closing one goes
_OPENERS = {
    "'": ("quote", "'", "at the end of the text"),
    '"': ("quote", '"', "at the end of the text"),
    "[": ("bracket", "]", "after the last item"),
    "{": ("brace", "}", "after the last field"),
}


class LoadProblem(Exception):
    """Internal: stops loading one file; turned into a finding by :func:`parse`."""

    def __init__(self, span: Span, rule: tuple[str, str], message: str, hint: str = "") -> None:
        super().__init__(message)
        self.span = span
        self.rule = rule
        self.message = message
        self.hint = hint


def problem_finding(problem: LoadProblem) -> Finding:
    return at(problem.span, problem.rule, problem.message, hint=problem.hint, fatal=True)


def decode(data: bytes, file: str) -> str:
    """Bytes of a playbook file to text: UTF-8 only, with a BOM tolerated."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        raise LoadProblem(
            Span(file, 1, 1, 1, 1), FILE_UNREADABLE, "file is encoded as UTF-32", "save it as UTF-8"
        )
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise LoadProblem(
            Span(file, 1, 1, 1, 1), FILE_UNREADABLE, "file is encoded as UTF-16", "save it as UTF-8"
        )
    nul = data.find(b"\0")
    if nul >= 0 and len(data) >= 4 and _utf16_without_bom(data):
        # every other byte NUL: text in UTF-16 saved without a byte-order mark
        raise LoadProblem(
            Span(file, 1, 1, 1, 1), FILE_UNREADABLE, "file is encoded as UTF-16", "save it as UTF-8"
        )
    if nul >= 0:
        line, col = _line_col(data, nul)
        raise LoadProblem(
            Span(file, line, col, line, col + 1),
            FILE_UNREADABLE,
            "file contains a NUL byte: it looks binary, not YAML",
            "check that this is the file you meant",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        raise LoadProblem(
            Span(file, line, col, line, col + 1),
            FILE_UNREADABLE,
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save it as UTF-8",
        ) from None


def _utf16_without_bom(data: bytes) -> bool:
    """True when one byte of (nearly) every pair is NUL and the other never is."""
    even, odd = data[0::2], data[1::2]
    zeros, other = sorted((even, odd), key=lambda half: half.count(0), reverse=True)
    return other.count(0) == 0 and zeros.count(0) >= 0.9 * len(zeros)


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


# In the loader a span is (line, column, end line, end column), the four ints
# a parse stores per span (its file number is the parse's: see sourcemap.py),
# so that one tuple serves both the packed record and, rarely, a finding
# (:meth:`_Composer.at`).
_Raw = tuple[int, int, int, int]


def _span(start: Any, end: Any) -> _Raw:
    return (start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Frame:
    """One open mapping or sequence on the composer's stack."""

    __slots__ = ("anchor", "container", "count", "height", "key", "marks", "spans")

    def __init__(self, container: Any, spans: list[int], anchor: str | None, marks: int) -> None:
        self.container = container
        # the YAML 1.1 surprises recorded before it began: they are keyed by
        # the id() of their container (see _Composer._ambiguous)
        self.marks = marks
        # The container's spans as they are read, packed into its record when
        # it ends: a list grows by a tuple at C speed, and the record's array
        # is then made at its exact size. (An array extended span by span
        # takes each int through the iterator protocol and keeps up to 30%
        # spare room; see docs/performance.md, Memory.)
        self.spans = spans
        self.anchor = anchor
        self.count = 1
        self.height = 0  # nesting below this node, aliases expanded
        # the key whose value comes next (its span is already in ``spans``)
        self.key: Any = _NO_KEY


# Equal lists of the same items -> one list object that stands for all of them
# (see _Composer._document). One table serves the parses of one assembly.
SharedLists = dict[Any, list[Any]]


def parse(
    text: str,
    file: str,
    smap: SourceMap,
    limits: Limits = DEFAULT_LIMITS,
    *,
    shared: SharedLists | None = None,
) -> tuple[Any, list[Finding]]:
    """Parse one YAML document. Returns its value and the non-fatal findings.

    A list equal to one in ``shared``, item for item the same objects, is that
    list (it is added there otherwise): parses given one table share lists.
    Raises :class:`LoadProblem` when the file cannot be used at all.
    """
    loader = _Loader(text)
    try:
        return _Composer(loader, file, smap, limits, {} if shared is None else shared).run()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if mark and mark.index >= len(text) and text and text[-1] not in "\r\n":
            # libyaml may end a file that lacks a final newline on a line after
            # it: point at the end of the last line, which exists
            lines = re.split("\r\n|[\r\n\x85\u2028\u2029]", text)
            line, col = len(lines), len(lines[-1]) + 1
        message = str(exc.problem or "invalid YAML")
        if exc.context:
            message = f"{message} ({exc.context})"
        hint = next((h for needle, h in _SYNTAX_HINTS if needle in message), "")
        if mark and text[mark.index : mark.index + 1] == "\t":
            hint = "YAML does not allow tabs for indentation: use spaces"
        elif mark:
            line, col, hint = _plain_hint(exc, text, (line, col), hint)
        rule = YAML_LIMIT if "nesting depth" in message else YAML_SYNTAX
        raise LoadProblem(Span(file, line, col, line, col + 1), rule, message, hint) from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line, col = 1, 1
        if isinstance(position, int):
            if _Loader is yaml.CSafeLoader:
                # libyaml reads the UTF-8 encoding: its position counts bytes
                line, col = _line_col(text.encode("utf-8"), position)
            else:  # pragma: no cover - the pure-Python reader counts characters
                line = text.count("\n", 0, position) + 1
                col = position - (text.rfind("\n", 0, position) + 1) + 1
        raise LoadProblem(
            Span(file, line, col, line, col + 1),
            YAML_SYNTAX,
            _reader_message(exc),
            "remove control characters from the file",
        ) from None
    finally:
        loader.dispose()


def _plain_hint(
    exc: yaml.MarkedYAMLError, text: str, where: tuple[int, int], hint: str
) -> tuple[int, int, str]:
    """Where to point and what to say for the libyaml errors people meet most.

    libyaml names the grammar rule that failed ("did not find expected '-'
    indicator"); the hint says which line does not line up with which, in
    columns, or which quote or bracket never closes, pointing at it rather
    than at the end of the file where libyaml noticed.
    """
    problem, context = str(exc.problem or ""), str(exc.context or "")
    mark, start = exc.problem_mark, exc.context_mark
    lines = text.splitlines()
    here = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    unclosed = "end of stream" in problem or "expected ',' or" in problem
    if unclosed and start is not None and ("quoted scalar" in context or "flow" in context):
        opener = (
            lines[start.line][start.column : start.column + 1] if start.line < len(lines) else ""
        )
        if opener in _OPENERS:
            what, close, place = _OPENERS[opener]
            return (
                start.line + 1,
                start.column + 1,
                f"the {what} {opener} opened here is never closed: add {close} {place}",
            )
    if start is not None and mark is not None and "expected '-' indicator" in problem:
        dash = start.column + 1
        if mark.column + 1 == dash:
            return (
                *where,
                f"a new item of the list begun at line {start.line + 1} starts with '- ' "
                f"(column {dash}); to continue the item above, indent this line like its "
                "other fields",
            )
        above = _fields_column(lines, mark.line)
        return (
            *where,
            f"this line is indented {mark.column} spaces: the items of the list begun at "
            f"line {start.line + 1} start with '- ' in column {dash}"
            + (f" and the fields of the item above in column {above}" if above else "")
            + "; line it up with one of them",
        )
    if start is not None and mark is not None and "expected key" in problem:
        return (
            *where,
            f"this line does not line up with the keys of the mapping begun at line "
            f"{start.line + 1} (column {start.column + 1}): keys of one mapping start in "
            "the same column",
        )
    if mark is not None and "mapping values are not allowed" in problem and mark.line:
        indent = len(here) - len(here.lstrip(" "))
        above = _fields_column(lines, mark.line)
        if indent + 1 > above > 0:
            return (
                mark.line + 1,
                indent + 1,
                "this line starts right of the fields above it, which start in column "
                f"{above}, so YAML reads it as more of the value above: start it in column "
                f"{above}, or quote the text if it holds ': '",
            )
    return (*where, hint)


def _fields_column(lines: list[str], row: int) -> int:
    """The column (1-based) where the fields of the list item above ``row`` start, or 0."""
    for text in reversed(lines[:row]):
        body = text.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        column = len(text) - len(body) + 1
        while body.startswith("- "):  # "  - id: a": the fields start after the dash
            rest = body[2:].lstrip(" ")
            column += len(body) - len(rest)
            body = rest
        return column
    return 0


def _reader_message(exc: yaml.YAMLError) -> str:
    character = getattr(exc, "character", None)
    if isinstance(character, int):
        return f"special character U+{character:04X} is not allowed in YAML"
    if isinstance(character, str) and character:
        return f"special character U+{ord(character[0]):04X} is not allowed in YAML"
    return str(exc).splitlines()[0] if str(exc) else "unreadable YAML"


class _Composer:
    def __init__(
        self, loader: Any, file: str, smap: SourceMap, limits: Limits, shared: SharedLists
    ) -> None:
        self.loader = loader
        self.shared = shared
        self.file = file
        self.number = smap.file_number(file)
        self.smap = smap
        self.limits = limits
        self.findings: list[Finding] = []
        # anchor -> (value, number of values, nesting height, the number of its
        # record if a container)
        self.anchors: dict[str, tuple[Any, int, int, int | None]] = {}
        # this parse's records (see sourcemap.py): the spans of all, as the
        # containers end, and where each starts (times two, plus one for a mapping)
        self.spans: array[int] = array(NARROW)
        self.starts: array[int] = array(TYPECODE)
        self.alias_nodes = 0

    def at(self, raw: _Raw) -> Span:
        return Span(self.file, *raw)

    def problem(self, raw: _Raw, rule: tuple[str, str], message: str, hint: str = "") -> None:
        raise LoadProblem(self.at(raw), rule, message, hint)

    def run(self) -> tuple[Any, list[Finding]]:
        get = self.loader.get_event
        get()  # StreamStart
        event = get()
        if isinstance(event, ev.StreamEndEvent):
            return None, self.findings
        root = self._document(get)
        self.smap.parsed(self.number, self.spans, self.starts, root)
        event = get()
        if not isinstance(event, ev.StreamEndEvent):
            raw = _span(event.start_mark, event.end_mark)
            self.problem(
                raw,
                YAML_SYNTAX,
                "a playbook file holds one YAML document, this one has more",
                "remove the '---' separator or move the document to its own file",
            )
        return root, self.findings

    def _document(self, get: Any) -> Any:
        stack: list[_Frame] = []
        max_depth = self.limits.max_depth
        file = self.number
        # the records in the order their containers end (see sourcemap.py)
        flat = self.spans
        put, begins = flat.fromlist, self.starts.append
        ambiguous = self.smap.ambiguous
        shared = self.shared
        root: Any = None
        # the event classes as locals: looked up for every event otherwise
        scalar, alias, document_end = ev.ScalarEvent, ev.AliasEvent, ev.DocumentEndEvent
        map_start, seq_start = ev.MappingStartEvent, ev.SequenceStartEvent
        map_end, seq_end = ev.MappingEndEvent, ev.SequenceEndEvent
        while True:
            event = get()
            kind = type(event)
            if kind is scalar:
                # Scalars are most events: their common case (plain text as a
                # key, or as a value in a mapping or list) is written out here,
                # in place of the general steps below (a quarter of the load).
                mark, end = event.start_mark, event.end_mark
                raw = (mark.line + 1, mark.column + 1, end.line + 1, end.column + 1)
                if not stack:
                    value = self._scalar(event, raw, stack)
                    count, height = 1, 0
                    if event.anchor:
                        self.anchors[event.anchor] = (value, 1, 0, None)
                else:
                    top = stack[-1]
                    key = top.key
                    if key is _NO_KEY and type(top.container) is dict:
                        text = event.value
                        if event.tag is None and text != "<<" and text not in top.container:
                            # keys repeat in every item of a list: one string for all
                            top.key = _intern(text)
                            top.spans.extend(raw)
                        else:
                            self._key(top, event, raw)
                        continue
                    value = event.value
                    if (
                        event.tag is not None
                        or not value
                        or value[0] in _FIRST_CHARS
                        or not event.implicit[0]
                    ):
                        value = self._scalar(event, raw, stack)
                        # text that a YAML 1.1 word could start ("nurture":
                        # 2,003 copies in 10,000 activities) or quoted text
                        if type(value) is str and len(value) <= _INTERN_CHARS:
                            value = _intern(value)
                    elif len(value) <= _INTERN_CHARS:
                        # owners, kinds, referenced ids: one string each
                        value = _intern(value)
                    if event.anchor:
                        self.anchors[event.anchor] = (value, 1, 0, None)
                    top.count += 1
                    if key is _NO_KEY:
                        top.container.append(value)
                        top.spans.extend(raw)
                    else:
                        top.key = _NO_KEY
                        if key is not None:  # None: a duplicate key, already reported
                            top.container[key] = value
                            top.spans.extend(raw)
                    continue
            elif kind is map_start or kind is seq_start:
                if len(stack) >= max_depth:
                    raw = _span(event.start_mark, event.end_mark)
                    self.problem(
                        raw,
                        YAML_LIMIT,
                        f"nesting is deeper than {max_depth} levels",
                        "a playbook needs far less: check the indentation",
                    )
                if event.tag is not None:
                    self._check_tag(event, _MAP if kind is map_start else _SEQ)
                mark = event.start_mark
                if stack and stack[-1].key is _NO_KEY and type(stack[-1].container) is dict:
                    raw = _span(mark, event.end_mark)
                    self.problem(
                        raw, YAML_SYNTAX, "a key must be plain text, not a list or mapping"
                    )
                # the end of the span is set when the container ends
                first = [mark.line + 1, mark.column + 1, 0, 0]
                container: dict[str, Any] | list[Any] = {} if kind is map_start else []
                stack.append(_Frame(container, first, event.anchor, len(ambiguous)))
                continue
            elif kind is map_end or kind is seq_end:
                frame = stack.pop()
                spans = frame.spans
                end = event.end_mark
                spans[2] = end.line + 1
                spans[3] = end.column + 1
                raw = (spans[0], spans[1], spans[2], spans[3])
                value = frame.container
                if kind is seq_end:
                    if len(ambiguous) == frame.marks:
                        # Not when a surprise was recorded under the list's id().
                        # Many lists are equal (the personas, markets and metrics
                        # that many activities name alike: 1,353 distinct of
                        # 50,156 in the 10,000-activity benchmark, 3.4 MB): one
                        # list stands for all of them, as an alias's value does
                        # for its uses, so nothing changes a loaded list in place.
                        # Items must be the very same objects (interned text,
                        # small ints), so that [1] and [true] stay apart.
                        # A list appended item by item keeps room for more (four
                        # items for one or two): the copy kept has its exact size.
                        try:
                            # one item: the item is the key (no tuple to hold; no
                            # loaded value is a tuple, so it meets no longer list's)
                            key = value[0] if len(value) == 1 else tuple(value)
                            have = shared.get(key)
                        except TypeError:  # a mapping or list inside
                            value = value[:]
                        else:
                            if have is None:
                                value = shared[key] = value[:]
                            elif all(map(is_, have, value)):
                                value = have
                            else:
                                value = value[:]
                    begins(len(flat) << 1)
                else:
                    begins(len(flat) << 1 | 1)
                try:
                    put(spans)
                except OverflowError:  # a number past 65,535: four bytes from here on
                    flat = self.spans = array(TYPECODE, flat)
                    put = flat.fromlist
                    put(spans)
                count, height = frame.count, frame.height + 1
                if frame.anchor:
                    self.anchors[frame.anchor] = (value, count, height, len(self.starts) - 1)
            elif kind is alias:
                raw = _span(event.start_mark, event.end_mark)
                if stack and stack[-1].key is _NO_KEY and type(stack[-1].container) is dict:
                    self.problem(raw, YAML_SYNTAX, "an alias cannot be used as a key")
                anchored = self.anchors.get(event.anchor)
                if anchored is None:
                    self.problem(
                        raw,
                        YAML_SYNTAX,
                        f"alias *{event.anchor} refers to no anchor defined before it",
                        f"define &{event.anchor} earlier in the file",
                    )
                    raise AssertionError  # unreachable: problem() raises
                value, count, height, anchored_record = anchored
                if anchored_record is not None:
                    # its span in the parent is the alias's: found here (see sourcemap.py)
                    span = (file, *raw)
                    self.smap.aliases[span] = (file, anchored_record)
                if len(stack) + height > max_depth:
                    # the limit is on nesting as the values are used, so an
                    # alias inside deep nesting counts with its own depth
                    self.problem(
                        raw,
                        YAML_LIMIT,
                        f"nesting is deeper than {max_depth} levels once aliases are expanded",
                        "write the values out, or use fewer nested aliases",
                    )
                self.alias_nodes += count
                if self.alias_nodes > self.limits.max_alias_nodes:
                    self.problem(
                        raw,
                        YAML_LIMIT,
                        f"aliases expand to more than {self.limits.max_alias_nodes} values",
                        "write the values out, or use fewer nested aliases",
                    )
            elif kind is document_end:
                return root
            else:  # pragma: no cover - libyaml emits nothing else inside a document
                continue
            if not stack:
                root = value
                continue
            top = stack[-1]
            top.count += count
            if height > top.height:
                top.height = height
            key = top.key
            if key is _NO_KEY:  # in a sequence (a mapping's key was refused above)
                top.container.append(value)
                top.spans.extend(raw)
            else:
                top.key = _NO_KEY
                if key is None:  # duplicate key already reported: drop the value
                    continue
                top.container[key] = value
                top.spans.extend(raw)

    def _key(self, frame: _Frame, event: Any, raw: _Raw) -> None:
        text = event.value
        if event.tag is not None and event.tag not in ("!", _STR):
            # a key is always text: any other tag would be silently ignored
            self.problem(raw, YAML_SYNTAX, f"unsupported YAML tag {event.tag}", "remove the tag")
        if event.implicit[0] and text == "<<":
            self.problem(
                raw, YAML_SYNTAX, "merge keys (<<) are not supported", "write the keys out in full"
            )
        # the record so far (a duplicate key is rare: made for the lookup alone)
        so_far = widen(MapPos, self.number, frame.spans)
        first = self.smap.entry(so_far, frame.container, text, of_key=True)
        if first is not None:
            self.findings.append(
                at(
                    self.at(raw),
                    YAML_DUPLICATE_KEY,
                    f"duplicate key {text!r} (first defined at line {first[1]})",
                    hint="remove one of them: YAML keeps only one",
                )
            )
            frame.key = None
        else:
            frame.key = _intern(text)
            frame.spans.extend(raw)

    def _check_tag(self, event: Any, expected: str) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag != expected:
            raw = _span(event.start_mark, event.end_mark)
            self.problem(raw, YAML_SYNTAX, f"unsupported YAML tag {tag}", "remove the tag")

    def _scalar(self, event: Any, raw: _Raw, stack: list[_Frame]) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0] or tag == "!":
                return value
            if not value:
                return None
            if value[0] not in _FIRST_CHARS:
                return value
            tag = self.loader.resolve(yaml.ScalarNode, value, (True, False))
        elif tag not in _SCALAR_TAGS:
            self.problem(raw, YAML_SYNTAX, f"unsupported YAML tag {tag}", "remove the tag")
        if tag == _STR or tag == "tag:yaml.org,2002:timestamp":
            # dates stay text: the format has no date type and JSON has none
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            lowered = value.lower()
            result = lowered in ("true", "yes", "on", "y")
            if lowered not in ("true", "false"):
                self._ambiguous(stack, value, str(result).lower())
            return result
        if tag == _INT:
            if len(value) > _MAX_NUMBER_CHARS:
                # Python reads longer decimal numbers in quadratic time, and
                # refuses them past 4,300 digits; no playbook field needs one
                self.problem(
                    raw,
                    YAML_LIMIT,
                    f"a number of {len(value):,} characters is longer than "
                    f"{_MAX_NUMBER_CHARS} characters",
                    "quote it if it is text",
                )
            if _DECIMAL.match(value):
                return int(value)
            number = self.loader.construct_yaml_int(yaml.ScalarNode(tag, value))
            self._ambiguous(stack, value, str(number))
            self.findings.append(
                at(
                    self.at(raw),
                    YAML_AMBIGUOUS_VALUE,
                    f"YAML 1.1 reads {value} as the number {number}",
                    hint=f'write the number plainly, or quote it ("{value}") if it is text',
                )
            )
            return number
        if tag == _FLOAT:
            number = self.loader.construct_yaml_float(yaml.ScalarNode(tag, value))
            if not math.isfinite(number):
                # .nan, .inf and 1e400 are no quantity a playbook can use, and
                # NaN compares false with every bound: keep the text, so the
                # schema says the field "must be a number, not the text .nan"
                return value
            return number
        if tag == _MERGE:
            return value
        return value

    def _ambiguous(self, stack: list[_Frame], text: str, became: str) -> None:
        if not stack:
            return
        top = stack[-1]
        slot: str | int = len(top.container) if type(top.container) is list else top.key
        if isinstance(slot, (str, int)):
            self.smap.ambiguous[(id(top.container), slot)] = (text, became)
            self.smap.held.append(top.container)  # its id() is the key: not to be reused
