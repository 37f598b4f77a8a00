"""Which top-level sections of the playbook a rule reads, seen as it runs.

When some sections failed the schema, the pipeline leaves them out and still
runs the rules, so that one ``check`` shows everything a person can fix at
once. A rule that reads a left-out section could then report what is only
missing because it was left out ("no activity supports this stage"), so its
findings are dropped; a rule that never touched those sections found what it
would find on the whole playbook. Reads are noted through thin stand-ins for
the playbook, the index and the coverage: no rule declares anything, and a
new rule is covered as it is written. Any name these stand-ins do not know
counts as reading everything, which can only drop findings, never invent one.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from gtmplay.coverage import Coverage, coverage
from gtmplay.model import KINDS, Playbook
from gtmplay.resolve import Index

EVERYTHING = "*"

# the model's fields are its top-level sections (``version`` is ``gtmplay:``)
_FIELDS = {f.name: frozenset({f.name}) for f in fields(Playbook)}
_FIELDS["version"] = frozenset({"gtmplay"})
_PLAYBOOK_READS: dict[str, frozenset[str]] = {
    **_FIELDS,
    "personas": frozenset({"strategy"}),
    "markets": frozenset({"strategy"}),
    "sales_motions": frozenset({"motions", "stages", "name"}),
    "motions_of": frozenset({"motions", "stages", "name"}),
    "team": frozenset({"teams"}),
    "stage": frozenset({"stages"}),
}
_INDEX_READS: dict[str, frozenset[str]] = {
    **{kind.key: frozenset({kind.top}) for kind in KINDS},
    "teams": frozenset({"teams"}),
    "markets": frozenset({"strategy"}),
    "personas": frozenset({"strategy"}),
    "steps": frozenset({"lifecycle"}),
    "stages": frozenset({"stages"}),
    "assets": frozenset({"assets"}),
    "activities": frozenset({"activities"}),
    "kpis": frozenset({"kpis"}),
}
_ALL = frozenset({EVERYTHING})


class _Watched:
    """``real`` for reading, noting in ``reads`` the sections each name it gives out reads."""

    __slots__ = ("_map", "_reads", "_real")

    def __init__(self, real: Any, reads: set[str], names: dict[str, frozenset[str]]) -> None:
        object.__setattr__(self, "_real", real)
        object.__setattr__(self, "_reads", reads)
        object.__setattr__(self, "_map", names)

    def __getattr__(self, name: str) -> Any:
        self._reads.update(self._map.get(name, _ALL))
        return getattr(self._real, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"rules read the playbook, they do not change it ({name})")


class _WatchedCoverage:
    """The coverage: reading any of it reads what it was computed from."""

    __slots__ = ("_from", "_reads", "_real")

    def __init__(self, real: Coverage, reads: set[str], read_from: frozenset[str]) -> None:
        self._real, self._reads, self._from = real, reads, read_from

    def __getattr__(self, name: str) -> Any:
        self._reads.update(self._from)
        return getattr(self._real, name)


class Watch:
    """Stand-ins for one playbook, shared by every rule; :meth:`reads` is per rule."""

    def __init__(self, playbook: Playbook, index: Index) -> None:
        self._playbook, self._index = playbook, index
        self._reads: set[str] = set()
        computed_from: set[str] = set()
        self._coverage = coverage(self._as(playbook, computed_from, _PLAYBOOK_READS))
        self._coverage_from = frozenset(computed_from)

    @staticmethod
    def _as(real: Any, reads: set[str], names: dict[str, frozenset[str]]) -> Any:
        return _Watched(real, reads, names)

    def start(self) -> tuple[Any, Any, Any]:
        """Playbook, index and coverage stand-ins for the next rule, its reads emptied."""
        self._reads = set()
        return (
            self._as(self._playbook, self._reads, _PLAYBOOK_READS),
            self._as(self._index, self._reads, _INDEX_READS),
            _WatchedCoverage(self._coverage, self._reads, self._coverage_from),
        )

    def touched(self, left_out: frozenset[str]) -> bool:
        """Whether the rule since :meth:`start` read a section in ``left_out``."""
        return EVERYTHING in self._reads or not self._reads.isdisjoint(left_out)
