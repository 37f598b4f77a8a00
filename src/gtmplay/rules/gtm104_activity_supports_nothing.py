"""Every activity supports at least one sales stage or lifecycle step.

An activity that supports nothing is either missing its `supports:` list or
spending budget outside the funnel. Saying which stage or step it serves is
what lets the coverage checks, the stage pages and the onboarding guides use
it.

Failing:

```yaml
activities:
  - {id: trade-show, name: Trade show, owner: marketing}
```

Passing:

```yaml
activities:
  - {id: trade-show, name: Trade show, owner: marketing, supports: [inquiry]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM104"
NAME = "coverage.activity-supports-nothing"
LEVEL = Level.WARNING
SUMMARY = "An activity supports no sales stage or lifecycle step."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for activity in ctx.playbook.activities:
        if not activity.supports:
            yield ctx.problem(
                activity.path,
                f'Activity "{activity.name}" supports no stage or lifecycle step',
                hint="list the stage or lifecycle step ids it serves under supports:",
            )
