"""Where each value of a loaded document came from.

The loader records, for every mapping and sequence it builds, the span of each
key and value. Lookups go by the container's identity, so the map holds a
strong reference to every container it describes (an id must never be reused
while the map is alive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gtmplay.findings import Span

# (file, line, column, end_line, end_column); plain tuples because the loader
# makes one per node and NamedTuple construction is measurably slower.
RawSpan = tuple[str, int, int, int, int]


@dataclass(slots=True)
class MapPos:
    span: RawSpan
    keys: dict[str, RawSpan] = field(default_factory=dict)
    values: dict[str, RawSpan] = field(default_factory=dict)


@dataclass(slots=True)
class SeqPos:
    span: RawSpan
    items: list[RawSpan] = field(default_factory=list)


Pos = MapPos | SeqPos


class SourceMap:
    """Positions of the containers of one or more documents."""

    def __init__(self) -> None:
        self._pos: dict[int, tuple[Any, Pos]] = {}
        # (id(container), key) -> (original YAML text, what YAML 1.1 made of it)
        self.ambiguous: dict[tuple[int, str | int], tuple[str, str]] = {}

    def add(self, container: Any, pos: Pos) -> None:
        self._pos[id(container)] = (container, pos)

    def pos(self, container: Any) -> Pos | None:
        entry = self._pos.get(id(container))
        return entry[1] if entry else None

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
                raw = (pos.keys if key and depth == last else pos.values).get(step)
            elif isinstance(pos, SeqPos) and isinstance(step, int) and 0 <= step < len(pos.items):
                raw = pos.items[step]
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
        file = pos.span[0]
        return Span(file, 1, 1, 1, 1)
