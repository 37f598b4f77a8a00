"""Every persona is reached by at least one activity.

A persona that no activity names in its `personas:` list is a buyer the
strategy cares about and marketing never speaks to.

Failing:

```yaml
strategy:
  personas: [{id: cfo, name: CFO}]
activities:
  - {id: demo, name: Demo, owner: marketing, supports: [evaluation]}
```

Passing:

```yaml
activities:
  - {id: demo, name: Demo, owner: marketing, supports: [evaluation], personas: [cfo]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM402"
NAME = "strategy.persona-unreached"
LEVEL = Level.WARNING
SUMMARY = "A persona is reached by no activity."


def check(ctx: RuleContext) -> Iterator[Problem]:
    reached = {p for activity in ctx.playbook.activities for p in activity.personas}
    for persona in ctx.playbook.personas:
        if persona.id not in reached:
            yield ctx.problem(
                persona.path,
                f'Persona "{persona.name}" is reached by no activity',
                hint=f"name {persona.id} in the personas of the activities meant for it",
            )
