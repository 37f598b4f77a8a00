"""Which activities support which stage and lifecycle step, per persona.

The alignment rules, the Markdown report and the HTML heat map all read this
one computation, so they can never disagree about what is covered.
"""

from __future__ import annotations

from dataclasses import dataclass

from gtmplay.model import Activity, Playbook


@dataclass(frozen=True, slots=True)
class Coverage:
    """Support of every stage and lifecycle step (keyed by id).

    ``by_target[id]`` lists the activities that name the id in ``supports``,
    in playbook order. ``by_persona[(id, persona)]`` lists those of them that
    serve the persona; an activity naming no persona serves none in
    particular, so it does not count for a persona.
    """

    by_target: dict[str, tuple[Activity, ...]]
    by_persona: dict[tuple[str, str], tuple[Activity, ...]]

    def count(self, target: str, persona: str | None = None) -> int:
        if persona is None:
            return len(self.by_target.get(target, ()))
        return len(self.by_persona.get((target, persona), ()))


def coverage(playbook: Playbook) -> Coverage:
    by_target: dict[str, list[Activity]] = {}
    by_persona: dict[tuple[str, str], list[Activity]] = {}
    for activity in playbook.activities:
        for target in dict.fromkeys(activity.supports):
            by_target.setdefault(target, []).append(activity)
            for persona in dict.fromkeys(activity.personas):
                by_persona.setdefault((target, persona), []).append(activity)
    return Coverage(
        by_target={k: tuple(v) for k, v in by_target.items()},
        by_persona={k: tuple(v) for k, v in by_persona.items()},
    )
