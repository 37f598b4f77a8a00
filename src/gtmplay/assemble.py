"""Read a playbook's root file and its includes, and merge them into one document.

Merging is deliberately simple so people can predict it: mappings merge key by
key, lists are concatenated in include order (glob matches sorted by path),
and a plain value defined in two files is a conflict reported at the second.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from gtmplay.filememo import FileMemo, Key
from gtmplay.findings import Finding, Level, Span, at
from gtmplay.loader import DEFAULT_LIMITS, Limits, LoadProblem, SharedLists, decode, parse
from gtmplay.loader import problem_finding as _problem_finding
from gtmplay.ruleids import FILE_UNREADABLE, INCLUDE_CONFLICT, INCLUDE_INVALID
from gtmplay.sourcemap import TYPECODE, WIDTH, MapPos, SeqPos, SourceMap
from gtmplay.sources import Source, SourceProblem, safe_relative

_GLOB_CHARS = frozenset("*?[")


@dataclass(slots=True)
class LoadedFile:
    """One file of a playbook: its value and whether it is the root."""

    rel: str
    display: str
    data: Any
    root: bool
    # with a FileMemo: the key to remember this file by (None: it had findings)
    memo_key: Key | None = None
    reused: bool = False  # taken from the memo: parsed and validated clean before


@dataclass(slots=True)
class Assembly:
    """What reading a playbook produced."""

    files: list[LoadedFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    smap: SourceMap = field(default_factory=SourceMap)
    # True when a file could not be read or parsed: later stages would only
    # report noise (references into the missing file), so they do not run.
    broken: bool = False


class _Reader:
    def __init__(self, source: Source, limits: Limits, memo: FileMemo | None) -> None:
        self.source = source
        self.limits = limits
        self.memo = memo
        self.out = Assembly() if memo is None else Assembly(smap=memo.smap)
        self.seen: dict[str, str] = {}  # rel -> display of the file that included it
        # equal lists of all files, one object each (see loader.parse); the
        # table goes with the reader, the lists stay in the documents
        self.lists: SharedLists = {}

    def fail(self, finding: Finding) -> None:
        self.out.findings.append(finding)
        self.out.broken = True

    def read(self, rel: str, *, root: bool, chain: tuple[str, ...], at_span: Span | None) -> None:
        display = self.source.display(rel)
        where = at_span or Span(display, 1, 1, 1, 1)
        if len(self.out.files) >= self.limits.max_files:
            self.fail(
                at(where, INCLUDE_INVALID, f"more than {self.limits.max_files} files are included")
            )
            return
        try:
            data = self.source.read(rel, self.limits.max_file_bytes)
        except SourceProblem as exc:
            if at_span is None:
                self.fail(at(where, FILE_UNREADABLE, exc.message, hint=exc.hint))
            else:
                self.fail(
                    at(
                        where,
                        INCLUDE_INVALID,
                        f"cannot include {rel}: {exc.message}",
                        hint=exc.hint,
                    )
                )
            return
        key = None
        if self.memo is not None:
            key = self.memo.key(data, root=root)
            known = self.memo.get(key)
            if known is not None:
                self.out.files.append(LoadedFile(rel, display, known, root, reused=True))
                if isinstance(known, dict) and "include" in known:
                    self.includes(rel, known, (*chain, rel))
                return
        try:
            text = decode(data, display)
            # not held through the parse, which holds the text and libyaml a
            # UTF-8 copy of it: the peak of reading a large file is one copy less
            del data
            value, findings = parse(text, display, self.out.smap, self.limits, shared=self.lists)
        except LoadProblem as exc:
            self.fail(_problem_finding(exc))
            return
        self.out.findings.extend(findings)
        if value is None:
            self.fail(
                at(
                    Span(display, 1, 1, 1, 1),
                    FILE_UNREADABLE,
                    "the file is empty",
                    hint="add the playbook's content, or remove the file",
                )
            )
            return
        self.out.files.append(LoadedFile(rel, display, value, root, None if findings else key))
        if isinstance(value, dict) and "include" in value:
            self.includes(rel, value, (*chain, rel))

    def includes(self, rel: str, doc: dict[str, Any], chain: tuple[str, ...]) -> None:
        entries = doc["include"]
        smap = self.out.smap
        pos = smap.find(doc, ("include",))
        if not isinstance(entries, list) or not isinstance(pos, SeqPos):
            return  # the schema check reports the wrong type
        base = posixpath.dirname(rel)
        for index, entry in enumerate(entries):
            raw = smap.item(pos, index)
            assert raw is not None  # the loader records every item
            span = Span(*raw)
            if not isinstance(entry, str):
                continue  # reported by the schema check
            target = safe_relative(base, entry)
            if target is None:
                self.fail(
                    at(
                        span,
                        INCLUDE_INVALID,
                        f"include {entry!r} points outside the playbook folder",
                        hint="keep every included file inside the playbook folder",
                    )
                )
                continue
            if _GLOB_CHARS.intersection(entry):
                try:
                    matches = self.source.glob(target)
                except SourceProblem as exc:
                    self.fail(
                        at(span, INCLUDE_INVALID, f"include pattern {entry!r}: {exc.message}")
                    )
                    continue
                if not matches:
                    self.out.findings.append(
                        at(
                            span,
                            INCLUDE_INVALID,
                            f"include pattern {entry!r} matches no file",
                            level=Level.WARNING,
                        )
                    )
            else:
                matches = [target]
            for match in matches:
                self.one(match, span, chain)

    def one(self, rel: str, span: Span, chain: tuple[str, ...]) -> None:
        if rel in chain:
            loop = " -> ".join((*chain[chain.index(rel) :], rel))
            self.fail(
                at(
                    span,
                    INCLUDE_INVALID,
                    f"include loop: {loop}",
                    hint="remove one of the includes",
                )
            )
            return
        if rel in self.seen:
            self.fail(
                at(
                    span,
                    INCLUDE_INVALID,
                    f"{rel} is already included by {self.seen[rel]}",
                    hint="include each file once, or its ids would be defined twice",
                )
            )
            return
        self.seen[rel] = span.file
        self.read(rel, root=False, chain=chain, at_span=span)


def assemble(
    source: Source, root_rel: str, limits: Limits = DEFAULT_LIMITS, memo: FileMemo | None = None
) -> Assembly:
    """Read the root file and, recursively, every file it includes.

    With ``memo``, a file it holds is not parsed again (see :mod:`gtmplay.filememo`).
    """
    reader = _Reader(source, limits, memo)
    reader.seen[root_rel] = "the command line"
    reader.read(root_rel, root=True, chain=(), at_span=None)
    reader.out.smap.trim()
    return reader.out


def merge(
    files: list[LoadedFile], smap: SourceMap, leave_out: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[Finding]]:
    """Merge schema-valid file documents into one, in order, keeping positions.

    The merged document owns its containers: a list or mapping met a second
    time is copied once into a new container, which later files extend in
    place. (Building a new list per file kept every intermediate list alive
    through the source map: 381 MiB for 10,000 activities in 5,000 files, and
    copying grew with files times items.) The files' own values are never
    changed. Top-level keys in ``leave_out`` (sections that failed the schema)
    are not merged.
    """
    findings: list[Finding] = []
    merged: dict[str, Any] = {}
    merged_pos: MapPos | None = None
    owned: set[int] = {id(merged)}
    skip = leave_out | {"include"}
    for loaded in files:
        doc = loaded.data
        pos = smap.pos(doc)
        if not isinstance(doc, dict) or not isinstance(pos, MapPos):
            continue
        if merged_pos is None:
            merged_pos = MapPos(TYPECODE, pos[:WIDTH])
            smap.add(merged, merged_pos)
        _merge_into(merged, merged_pos, doc, pos, smap, findings, owned, skip=skip)
    return merged, findings


def _merge_into(
    target: dict[str, Any],
    tgt_pos: MapPos,
    source: dict[str, Any],
    src_pos: MapPos,
    smap: SourceMap,
    findings: list[Finding],
    owned: set[int],
    skip: frozenset[str] = frozenset(),
) -> None:
    for number, (key, value) in enumerate(source.items()):
        if key in skip:
            continue
        # the entry's key and value spans
        start = WIDTH * (2 * number + 1)
        if key not in target:
            target[key] = value
            # in the order of the target's keys
            tgt_pos.extend(src_pos[start : start + 2 * WIDTH].tolist())
            continue
        have = target[key]
        have_at = WIDTH * (2 * smap.number(tgt_pos, target, key) + 2)
        if isinstance(have, list) and isinstance(value, list):
            value_pos = smap.child(src_pos, start + WIDTH, value)
            have_pos = smap.child(tgt_pos, have_at, have)
            assert isinstance(value_pos, SeqPos) and isinstance(have_pos, SeqPos)
            if id(have) not in owned:
                have, have_pos = _own_list(have, have_pos, smap, owned)
                target[key] = have
            have.extend(value)
            have_pos.extend(value_pos[WIDTH:].tolist())
        elif isinstance(have, dict) and isinstance(value, dict):
            value_pos = smap.child(src_pos, start + WIDTH, value)
            have_pos = smap.child(tgt_pos, have_at, have)
            assert isinstance(value_pos, MapPos) and isinstance(have_pos, MapPos)
            if id(have) not in owned:
                copy: dict[str, Any] = {}
                owned.add(id(copy))
                copy_pos = MapPos(TYPECODE, have_pos[:WIDTH])
                smap.add(copy, copy_pos)
                _merge_into(copy, copy_pos, have, have_pos, smap, findings, owned)
                have = target[key] = copy
                have_pos = copy_pos
            _merge_into(have, have_pos, value, value_pos, smap, findings, owned)
        else:
            first = smap.entry(tgt_pos, target, key, of_key=True)
            here = smap.raw(src_pos, start)
            assert first is not None  # the target holds the key
            findings.append(
                at(
                    Span(*here),
                    INCLUDE_CONFLICT,
                    f"{key!r} is already defined in {first[0]} at line {first[1]}",
                    hint="define it in one file only",
                )
            )


def _own_list(
    items: list[Any], pos: SeqPos, smap: SourceMap, owned: set[int]
) -> tuple[list[Any], SeqPos]:
    """A copy of a file's list, with its positions, that the merge may extend."""
    copy = list(items)
    copy_pos = SeqPos(TYPECODE, pos)
    smap.add(copy, copy_pos)
    owned.add(id(copy))
    return copy, copy_pos
