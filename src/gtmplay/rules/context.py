"""What a rule sees (:class:`RuleContext`) and what it reports (:class:`Problem`).

Rules never build findings or look up lines themselves: they yield a
:class:`Problem` naming the object concerned by its JSON path (and, where the
problem is one value, that value's key); the runner turns it into a finding
at the right file, line and column, with the rule's configured level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from gtmplay.coverage import Coverage
from gtmplay.model import JsonPath, LifecycleStep, Playbook, Stage, Team
from gtmplay.resolve import Index

if TYPE_CHECKING:
    from gtmplay.measure.figures import Measurement


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found by a rule, on the object at ``path``.

    With ``key`` the finding points at that field's value (or at the object
    when the field is absent); the semantic path includes the key either way.
    """

    path: JsonPath
    message: str
    key: str | None = None
    hint: str = ""


class RuleContext:
    """The playbook and everything computed once for all rules."""

    def __init__(
        self,
        playbook: Playbook,
        index: Index,
        coverage: Coverage,
        measurement: Measurement | None = None,
    ) -> None:
        self.playbook = playbook
        self.index = index
        self.coverage = coverage
        # what `gtmplay measure` measured; None under `check` (the GTM6xx rules then rest)
        self.measurement = measurement

    @property
    def teams(self) -> Mapping[str, Team]:
        return self.index.teams

    @property
    def steps(self) -> Mapping[str, LifecycleStep]:
        return self.index.steps

    @property
    def stages(self) -> Mapping[str, Stage]:
        return self.index.stages

    @cached_property
    def open_stages(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.playbook.stages if not s.closed)

    @cached_property
    def funnel(self) -> tuple[LifecycleStep, ...]:
        """The main line of the demand waterfall, in order."""
        return tuple(s for s in self.playbook.lifecycle if s.kind == "funnel")

    def team_name(self, team_id: str | None) -> str:
        """How to name a team in a message: its name, or its id when unknown."""
        team = self.teams.get(team_id or "")
        return team.name if team else (team_id or "nobody")

    def problem(
        self, path: JsonPath, message: str, *, key: str | None = None, hint: str = ""
    ) -> Problem:
        return Problem(path=path, message=message, key=key, hint=hint)
