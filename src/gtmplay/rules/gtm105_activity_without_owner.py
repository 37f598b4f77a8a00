"""Every activity is owned by a team.

An activity without an owner does not get run, measured or cut. The owner is
the id of a team of the playbook; an owner naming a team that does not exist
is reported by GTM020 (ref.unresolved), so this rule reports only activities
that name no owner at all.

Failing:

```yaml
activities:
  - {id: webinar, name: Webinar, supports: [discovery]}
```

Passing:

```yaml
activities:
  - {id: webinar, name: Webinar, owner: marketing, supports: [discovery]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM105"
NAME = "coverage.activity-without-owner"
LEVEL = Level.WARNING
SUMMARY = "An activity is owned by no team."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for activity in ctx.playbook.activities:
        if not activity.owner:
            yield ctx.problem(
                activity.path,
                f'Activity "{activity.name}" is owned by no team',
                hint="set owner: to the id of the team that runs it",
            )
