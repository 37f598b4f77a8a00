"""Where each value of a loaded document came from.

The loader records, for every mapping and sequence it builds, the span of the
container and of each key and value.

The spans are the largest part of a check's memory, so they are stored packed:
five unsigned ints per span (file number, line, column, end line, end column)
in an ``array``, a container's in the container's own order. A mapping's
record holds its span, then a key span and a value span per entry, in the
order of the dict's keys; a sequence's record its span, then one per item.
That is 20 bytes a span in four-byte ints, where a tuple of a file name and
four ints took 136 and two dicts per mapping as much again (see
docs/performance.md, Memory).

A record is a slice of its parse's one array of spans (below), four ints a
span: the file number, the same for all of them, is the parse's. The
:class:`MapPos` or :class:`SeqPos` that lookups return is that slice with the
file number put back in each span (:func:`widen`), made when asked for (an
``array`` subclass with no slot, for telling mappings from sequences). The
loader packs a parse's spans in two-byte ints (:data:`NARROW`, 8 bytes a
span) while all of its numbers fit, as they do in any file of fewer than
65,536 lines and columns, and in four-byte ints from the first one that does
not; the records the merge makes and extends are four-byte
(:data:`TYPECODE`), and are extended with plain ints (an ``array`` extends
only from one of its own typecode).

Records are not objects of their own: an ``array`` per container took 80
bytes of header and a list entry beside its spans, more than the spans at two
bytes an int (4.9 MB at 10,000 activities), and the many small blocks, freed
when ``build`` drops the source map, were left in pools shared with the
model's objects. Each parse has one array of all its records' spans, in the
order the containers end in the text, and one of where each record starts
(doubled, plus one for a mapping). Nor are they found by the container's
``id()``: a dict of every record took 74 bytes per container. A record is
found from its parent's record, which holds the container's span, by a binary
search on where it ends and a match of where it starts (:meth:`SourceMap.child`;
a parent and its last child may end at the same place, never start there).
Each parse of a file has its own file number, so that the records of a file
read twice (``gtmplay diff``) are never mistaken for each other's. Every walk
starts at a file's root or at a container the merge made, the only records
kept by ``id()``, with their container; an alias's value, whose span in its
parent is the alias's, is found in a table of aliases. Lookups happen for
findings and the merge, not for every container read.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from gtmplay.findings import Span

# (file, line, column, end_line, end_column): a span in a form cheap to build
RawSpan = tuple[str, int, int, int, int]

WIDTH = 5  # ints per span of a record
STORED = 4  # ints per span in a parse's array: no file number
# "I" is 4 bytes on every platform CPython runs on: lines and columns of a
# file of at most 16 MB (loader.Limits) fit
TYPECODE = "I"
# "H" is 2 bytes: what the loader tries first (OverflowError if a number is larger)
NARROW = "H"
# mappings up to this many keys are searched in order; larger ones get an index
_SCAN = 8


if TYPE_CHECKING:
    _Packed = array[int]
else:  # array is not subscriptable at run time before Python 3.12
    _Packed = array


class MapPos(_Packed):
    """Positions of one mapping, packed: its span, then (key, value) spans per entry.

    Made as ``MapPos(TYPECODE, spans)``."""

    __slots__ = ()


class SeqPos(_Packed):
    """Positions of one sequence, packed: its span, then one span per item.

    Made as ``SeqPos(TYPECODE, spans)``."""

    __slots__ = ()


Pos = MapPos | SeqPos
_P = TypeVar("_P", MapPos, SeqPos)


def widen(kind: type[_P], file: int, stored: Sequence[int], typecode: str = TYPECODE) -> _P:
    """A record of ``kind`` from spans ``stored`` four ints each, the file number put back."""
    spans = len(stored) // STORED
    wide = [file] * (WIDTH * spans)
    for field in range(STORED):
        wide[field + 1 :: WIDTH] = stored[field::STORED]
    try:
        return kind(typecode, wide)
    except OverflowError:  # a file number past 65,535 in a two-byte parse
        return kind(TYPECODE, wide)


class SourceMap:
    """Positions of the containers of one or more documents."""

    def __init__(self) -> None:
        # file number (one per parse) -> (spans, starts): the spans of all its
        # records, in the order their containers end, and where each record
        # starts in them, times two, plus one for a mapping
        self._parses: dict[int, tuple[array[int], array[int]]] = {}
        # id(container) -> (container, record), for the roots of files and the
        # containers the merge made: where walks start, and what no parent's
        # span finds (the container is held: its id() must not be reused)
        self._kept: dict[int, tuple[Any, Pos]] = {}
        # the span of an alias to a mapping or sequence -> (file number, number
        # of the anchored one's record)
        self.aliases: dict[tuple[int, ...], tuple[int, int]] = {}
        self.files: list[str] = []  # file number -> file name
        # (id(container), key) -> (original YAML text, what YAML 1.1 made of it)
        self.ambiguous: dict[tuple[int, str | int], tuple[str, str]] = {}
        self.held: list[Any] = []  # the containers ``ambiguous`` names, kept alive
        # id(mapping) -> (mapping, key -> entry number), for large mappings looked up
        self._indexes: dict[int, tuple[dict[str, Any], dict[str, int]]] = {}

    def __len__(self) -> int:
        """The number of records held."""
        return sum(len(starts) for _, starts in self._parses.values()) + len(self._kept)

    def file_number(self, file: str) -> int:
        """A new number that stands for ``file`` in the packed spans of one parse."""
        self.files.append(file)
        return len(self.files) - 1

    def parsed(self, file: int, spans: array[int], starts: array[int], root: Any) -> None:
        """The records of the parse numbered ``file``: ``spans`` and ``starts`` as
        described at ``_parses``.

        ``root`` is the document's value; when it is a container its record,
        the last one to end, is kept by identity for walks to start from.
        """
        self._parses[file] = (spans, starts)
        if starts and type(root) in (dict, list):
            self._kept[id(root)] = (root, self.record(file, len(starts) - 1))

    def trim(self) -> None:
        """Hold each parse's arrays at their exact size.

        An array grown by appends keeps room for more (0.19 MB of the 3.1 MB
        of spans of 10,000 activities). Done once the files are read, not as
        each parse ends: a copy beside the original then adds to the peak of
        reading a large file, which holds its text twice (its own, libyaml's).
        """
        for file, (spans, starts) in self._parses.items():
            self._parses[file] = (spans[:], starts[:])

    def record(self, file: int, number: int) -> Pos:
        """A copy of record ``number`` (in the order the containers end) of parse ``file``."""
        spans, starts = self._parses[file]
        start = starts[number]
        stop = starts[number + 1] >> 1 if number + 1 < len(starts) else len(spans)
        stored = spans[start >> 1 : stop]
        if start & 1:
            return widen(MapPos, file, stored, spans.typecode)
        return widen(SeqPos, file, stored, spans.typecode)

    def add(self, container: Any, pos: Pos) -> None:
        """Keep the record of a container made outside the loader (by the merge)."""
        self._kept[id(container)] = (container, pos)

    def pos(self, container: Any) -> Pos | None:
        """The record of a file's root or of a container the merge made (the
        record of any other is found from its parent's: :meth:`find`)."""
        kept = self._kept.get(id(container))
        return None if kept is None else kept[1]

    def child(self, parent: Pos, offset: int, container: Any) -> Pos | None:
        """The record of ``container``, the value whose span is at ``offset`` of ``parent``."""
        kind = type(container)
        if kind is not dict and kind is not list:
            return None
        kept = self._kept.get(id(container))
        if kept is not None:
            return kept[1]
        file = parent[offset]
        parse = self._parses.get(file)
        if parse is not None:
            spans, starts = parse

            def end_of(number: int) -> tuple[int, int]:
                at = starts[number] >> 1
                return spans[at + 2], spans[at + 3]

            end = (parent[offset + 3], parent[offset + 4])
            stop = len(starts)
            number = bisect_left(range(stop), end, key=end_of)
            while number < stop and end_of(number) == end:
                at = starts[number] >> 1
                if spans[at] == parent[offset + 1] and spans[at + 1] == parent[offset + 2]:
                    if bool(starts[number] & 1) is not (kind is dict):
                        return None
                    return self.record(file, number)
                number += 1
        alias = self.aliases.get(tuple(parent[offset : offset + WIDTH]))
        return None if alias is None else self.record(*alias)

    def find(self, doc: Any, path: tuple[str | int, ...]) -> Pos | None:
        """The record of the container at ``path`` in ``doc``, if there is one."""
        pos = self.pos(doc)
        node = doc
        for step in path:
            if pos is None:
                return None
            offset = self._offset(pos, node, step)
            if offset < 0:
                return None
            node = node[step]
            pos = self.child(pos, offset, node)
        return pos

    def number(self, pos: MapPos, mapping: dict[str, Any], key: str) -> int:
        """The number of the entry of ``key`` (its place in ``mapping``), or -1."""
        if len(mapping) <= _SCAN:
            for number, have in enumerate(mapping):
                if have == key:
                    return number
            return -1
        kept = self._indexes.get(id(mapping))
        if kept is None or len(kept[1]) != len(mapping):  # the merge extends mappings
            kept = self._indexes[id(mapping)] = (
                mapping,
                {have: number for number, have in enumerate(mapping)},
            )
        return kept[1].get(key, -1)

    def raw(self, packed: array[int], offset: int) -> RawSpan:
        """The span stored at ``offset`` of ``packed``."""
        return (
            self.files[packed[offset]],
            packed[offset + 1],
            packed[offset + 2],
            packed[offset + 3],
            packed[offset + 4],
        )

    def span(self, pos: Pos) -> RawSpan:
        """The span of the container itself."""
        return self.raw(pos, 0)

    def item(self, pos: SeqPos, index: int) -> RawSpan | None:
        """The span of item ``index`` of a sequence."""
        offset = self._offset(pos, None, index)
        return None if offset < 0 else self.raw(pos, offset)

    def entry(
        self, pos: MapPos, mapping: dict[str, Any], key: str, *, of_key: bool = False
    ) -> RawSpan | None:
        """The span of the value at ``key`` of a mapping (of the key, with ``of_key``)."""
        offset = self._offset(pos, mapping, key, of_key=of_key)
        return None if offset < 0 else self.raw(pos, offset)

    def _offset(self, pos: Pos, node: Any, step: str | int, *, of_key: bool = False) -> int:
        """Where the span of ``step`` (a key of the mapping ``node``, an index of
        a sequence) starts in ``pos``, or -1."""
        if isinstance(pos, MapPos):
            if not isinstance(step, str) or type(node) is not dict:
                return -1
            number = self.number(pos, node, step)
            offset = WIDTH * (2 * number + (1 if of_key else 2))
        else:
            if not isinstance(step, int) or step < 0:
                return -1
            number = step
            offset = WIDTH * (step + 1)
        if number < 0 or offset + WIDTH > len(pos):
            return -1
        return offset

    def locate(self, doc: Any, path: tuple[str | int, ...], *, key: bool = False) -> Span:
        """Span of the value at ``path`` in ``doc`` (of its key, with ``key=True``).

        Walks as deep as the document allows and returns the deepest span
        found, so a path into a missing key points at its parent.
        """
        node = doc
        pos = self.pos(doc)
        best = Span("<unknown>" if pos is None else self.files[pos[0]], 1, 1, 1, 1)
        last = len(path) - 1
        for depth, step in enumerate(path):
            if pos is None:
                break
            offset = self._offset(pos, node, step, of_key=key and depth == last)
            if offset < 0:
                break
            best = Span(*self.raw(pos, offset))
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                break
            if depth < last:
                pos = self.child(pos, offset, node)
        return best

    def ambiguity(self, doc: Any, path: tuple[str | int, ...]) -> tuple[str, str] | None:
        """The YAML 1.1 surprise recorded at ``path``, if any."""
        if not path:
            return None
        node = doc
        for step in path[:-1]:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return None
        return self.ambiguous.get((id(node), path[-1]))
