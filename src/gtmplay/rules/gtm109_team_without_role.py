"""Every team has a part in the playbook.

A team that owns no lifecycle step, stage, activity, KPI or meeting, sends
and receives no handoff and attends no meeting has nothing in its onboarding
guide. Either the team is missing its responsibilities, or it is not part of
go-to-market and can be removed.

Failing:

```yaml
teams:
  - {id: partners, name: Partner team, function: partnerships}
```

Passing (the team owns an activity):

```yaml
activities:
  - {id: co-marketing, name: Co-marketing, owner: partners, supports: [inquiry]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM109"
NAME = "coverage.team-without-role"
LEVEL = Level.NOTE
SUMMARY = "A team owns nothing and takes part in no handoff or meeting."


def check(ctx: RuleContext) -> Iterator[Problem]:
    p = ctx.playbook
    busy: set[str | None] = set()
    for owned in (p.lifecycle, p.stages, p.activities, p.kpis, p.cadence):
        busy.update(item.owner for item in owned)
    for handoff in p.handoffs:
        busy.update((handoff.from_team, handoff.to_team))
    for meeting in p.cadence:
        busy.update(meeting.attendees)
    if p.liaison:
        busy.add(p.liaison.team)
    for team in p.teams:
        if team.id not in busy:
            yield ctx.problem(
                team.path,
                f'Team "{team.name}" owns nothing in the playbook',
                hint="make it the owner of what it does, or remove it",
            )
