"""Where each value of a loaded document came from.

The loader records, for every mapping and sequence it builds, the span of the
container and of each key and value. Lookups go by the container's identity,
so each position record holds a strong reference to its container (an id must
never be reused while the map is alive).

The spans are the largest part of a check's memory, so they are stored packed:
five unsigned ints per span (file number, line, column, end line, end column)
in one ``array`` per container, in the container's own order. A mapping's
record holds its span, then a key span and a value span per entry, in the
order of the dict's keys; a sequence's record its span, then one per item.
That is 20 bytes a span, where a tuple of a file name and four ints took 136
and two dicts per mapping as much again (see docs/performance.md, Memory).
The record *is* that array (a subclass with a slot for the container), which
saves an object of 56 bytes per container over a record pointing to its array.
Containers with positions are therefore only ever extended, never reordered or
shrunk, once recorded.

Records are not found by the container's ``id()``: a dict of every record took
74 bytes per container (its entry and the int key), a quarter of the map. The
loader appends each record to one list as its container ends, so a file's
records come in the order their containers end in the text; a record is found
from its parent's record, which holds the container's span, by a binary search
on where it ends (:meth:`SourceMap.child`), and every walk starts at a file's
root or at a container the merge made, the only records kept by ``id()``.
Lookups happen for findings and the merge, not for every container read.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gtmplay.findings import Span

# (file, line, column, end_line, end_column): a span in a form cheap to build
RawSpan = tuple[str, int, int, int, int]

WIDTH = 5  # ints per span
# "I" is 4 bytes on every platform CPython runs on: lines and columns of a
# file of at most 16 MB (loader.Limits) fit
_TYPECODE = "I"
# mappings up to this many keys are searched in order; larger ones get an index
_SCAN = 8


if TYPE_CHECKING:
    _Packed = array[int]
else:  # array is not subscriptable at run time before Python 3.12
    _Packed = array
_new = array.__new__


class MapPos(_Packed):
    """Positions of one mapping, packed: its span, then (key, value) spans per entry."""

    __slots__ = ("_index", "container")

    # key -> entry number, built for large mappings on first lookup
    _index: dict[str, int] | None
    container: dict[str, Any]

    def __new__(cls, container: dict[str, Any], first: Iterable[int]) -> MapPos:
        self = _new(cls, _TYPECODE, first)  # not super(): one object less per container
        self.container = container
        self._index = None
        return self

    def entry(self, key: str) -> int:
        """The number of the entry of ``key`` (its place in the dict), or -1."""
        container = self.container
        if len(container) <= _SCAN:
            for number, have in enumerate(container):
                if have == key:
                    return number
            return -1
        index = self._index
        if index is None or len(index) != len(container):  # the merge extends mappings
            index = self._index = {have: number for number, have in enumerate(container)}
        return index.get(key, -1)


class SeqPos(_Packed):
    """Positions of one sequence, packed: its span, then one span per item."""

    __slots__ = ("container",)

    container: list[Any]

    def __new__(cls, container: list[Any], first: Iterable[int]) -> SeqPos:
        self = _new(cls, _TYPECODE, first)  # not super(): one object less per container
        self.container = container
        return self


Pos = MapPos | SeqPos


def _end(pos: Pos) -> tuple[int, int]:
    return pos[3], pos[4]


class SourceMap:
    """Positions of the containers of one or more documents."""

    def __init__(self) -> None:
        # every record the loader made, each file's in the order its containers
        # end; the loader appends to it directly (no call per container)
        self.records: list[Pos] = []
        # file number -> (first, last + 1) of each parse's records in ``records``
        self._runs: dict[int, list[tuple[int, int]]] = {}
        # id(container) -> record, for the roots of files and the containers
        # the merge made: where walks start, and what no parent's span finds
        self._kept: dict[int, Pos] = {}
        self.files: list[str] = []  # file number -> file name
        self._numbers: dict[str, int] = {}
        # (id(container), key) -> (original YAML text, what YAML 1.1 made of it)
        self.ambiguous: dict[tuple[int, str | int], tuple[str, str]] = {}

    def __len__(self) -> int:
        """The number of records held."""
        return len(self.records) + len(self._kept)

    def file_number(self, file: str) -> int:
        """The number that stands for ``file`` in packed spans."""
        number = self._numbers.get(file)
        if number is None:
            number = self._numbers[file] = len(self.files)
            self.files.append(file)
        return number

    def parsed(self, file: int, first: int, root: Any) -> None:
        """The loader has appended the records of one parse of ``file`` from ``first`` on.

        ``root`` is the document's value; when it is a container its record,
        the last one to end, is kept by identity for walks to start from.
        """
        self._runs.setdefault(file, []).append((first, len(self.records)))
        if len(self.records) > first and self.records[-1].container is root:
            self._kept[id(root)] = self.records[-1]

    def add(self, pos: Pos) -> None:
        """Keep a record made outside the loader (a container the merge made)."""
        self._kept[id(pos.container)] = pos

    def pos(self, container: Any) -> Pos | None:
        """The record of ``container``: a root or a container the merge made at
        once, any other by going through every record (a walk from the root,
        :meth:`find`, is what to use for those)."""
        found = self._kept.get(id(container))
        if found is None:
            found = self._scan(container, 0, len(self.records))
        return found

    def child(self, parent: Pos, offset: int, container: Any) -> Pos | None:
        """The record of ``container``, the value whose span is at ``offset`` of ``parent``."""
        if type(container) is not dict and type(container) is not list:
            return None
        found = self._kept.get(id(container))
        if found is not None:
            return found
        records = self.records
        end = (parent[offset + 3], parent[offset + 4])
        runs = self._runs.get(parent[offset], [])
        for first, stop in reversed(runs):  # the latest parse of the file first
            at = bisect_left(records, end, first, stop, key=_end)
            while at < stop and _end(records[at]) == end:
                if records[at].container is container:
                    return records[at]
                at += 1
        # an alias's value: the span is the alias's, not the container's
        for first, stop in reversed(runs):
            found = self._scan(container, first, stop)
            if found is not None:
                return found
        return self._scan(container, 0, len(records))

    def _scan(self, container: Any, first: int, stop: int) -> Pos | None:
        records = self.records
        for at in range(first, stop):
            if records[at].container is container:
                return records[at]
        return None

    def find(self, doc: Any, path: tuple[str | int, ...]) -> Pos | None:
        """The record of the container at ``path`` in ``doc``, if there is one."""
        pos = self.pos(doc)
        node = doc
        for step in path:
            if pos is None:
                return None
            offset = self._offset(pos, step)
            if offset < 0:
                return None
            node = node[step]
            pos = self.child(pos, offset, node)
        return pos

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
        offset = self._offset(pos, index)
        return None if offset < 0 else self.raw(pos, offset)

    def entry(self, pos: MapPos, key: str, *, of_key: bool = False) -> RawSpan | None:
        """The span of the value at ``key`` of a mapping (of the key, with ``of_key``)."""
        offset = self._offset(pos, key, of_key=of_key)
        return None if offset < 0 else self.raw(pos, offset)

    @staticmethod
    def _offset(pos: Pos, step: str | int, *, of_key: bool = False) -> int:
        """Where the span of ``step`` (a key of a mapping, an index of a sequence)
        starts in ``pos``, or -1."""
        if isinstance(pos, MapPos):
            if not isinstance(step, str):
                return -1
            number = pos.entry(step)
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
            offset = self._offset(pos, step, of_key=key and depth == last)
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
