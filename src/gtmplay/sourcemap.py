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
"""

from __future__ import annotations

from array import array
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


class SourceMap:
    """Positions of the containers of one or more documents."""

    def __init__(self) -> None:
        self._pos: dict[int, Pos] = {}
        self.files: list[str] = []  # file number -> file name
        self._numbers: dict[str, int] = {}
        # (id(container), key) -> (original YAML text, what YAML 1.1 made of it)
        self.ambiguous: dict[tuple[int, str | int], tuple[str, str]] = {}

    def file_number(self, file: str) -> int:
        """The number that stands for ``file`` in packed spans."""
        number = self._numbers.get(file)
        if number is None:
            number = self._numbers[file] = len(self.files)
            self.files.append(file)
        return number

    def add(self, pos: Pos) -> None:
        self._pos[id(pos.container)] = pos

    def pos(self, container: Any) -> Pos | None:
        return self._pos.get(id(container))

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
        offset = WIDTH * (index + 1)
        if index < 0 or offset + WIDTH > len(pos):
            return None
        return self.raw(pos, offset)

    def entry(self, pos: MapPos, key: str, *, of_key: bool = False) -> RawSpan | None:
        """The span of the value at ``key`` of a mapping (of the key, with ``of_key``)."""
        number = pos.entry(key)
        offset = WIDTH * (2 * number + (1 if of_key else 2))
        if number < 0 or offset + WIDTH > len(pos):
            return None
        return self.raw(pos, offset)

    def locate(self, doc: Any, path: tuple[str | int, ...], *, key: bool = False) -> Span:
        """Span of the value at ``path`` in ``doc`` (of its key, with ``key=True``).

        Walks as deep as the document allows and returns the deepest span
        found, so a path into a missing key points at its parent.
        """
        node = doc
        best = self._root_span(doc)
        last = len(path) - 1
        for depth, step in enumerate(path):
            pos = self.pos(node)
            if pos is None:
                break
            raw: RawSpan | None = None
            if isinstance(pos, MapPos) and isinstance(step, str):
                raw = self.entry(pos, step, of_key=key and depth == last)
            elif isinstance(pos, SeqPos) and isinstance(step, int):
                raw = self.item(pos, step)
            if raw is None:
                break
            best = Span(*raw)
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                break
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

    def _root_span(self, doc: Any) -> Span:
        pos = self.pos(doc)
        if pos is None:
            return Span("<unknown>", 1, 1, 1, 1)
        return Span(self.files[pos[0]], 1, 1, 1, 1)
