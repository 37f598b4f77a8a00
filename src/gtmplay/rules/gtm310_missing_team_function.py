"""Both a marketing team and a sales team exist.

Alignment needs two sides. A playbook with no team whose `function` is
`marketing`, or none whose function is `sales`, cannot say who generates
demand or who closes it, and its handoffs have no one to go to.

Failing:

```yaml
teams:
  - {id: marketing, name: Marketing, function: marketing}
```

Passing:

```yaml
teams:
  - {id: marketing, name: Marketing, function: marketing}
  - {id: sales, name: Account executives, function: sales}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM310"
NAME = "coherence.missing-team-function"
LEVEL = Level.ERROR
SUMMARY = "The playbook has no marketing team or no sales team."


def check(ctx: RuleContext) -> Iterator[Problem]:
    functions = {team.function for team in ctx.playbook.teams}
    for function in ("marketing", "sales"):
        if function not in functions:
            yield ctx.problem(
                ("teams",),
                f"The playbook has no {function} team",
                hint=f"add a team with function: {function}",
            )
