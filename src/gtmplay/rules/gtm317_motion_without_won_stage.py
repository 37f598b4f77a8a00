"""Every sales motion ends in a won stage.

A motion lists the stages its deals go through; without a won stage none of
its deals can close as revenue, and the CRM process exported from it has no
way to win (Salesforce refuses a business process without a won value).

Failing:

```yaml
motions:
  - {id: expansion, name: Expansion, stages: [discovery, proposal, lost]}
```

Passing:

```yaml
motions:
  - {id: expansion, name: Expansion, stages: [discovery, proposal, won, lost]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM317"
NAME = "coherence.motion-without-won-stage"
LEVEL = Level.ERROR
SUMMARY = "A sales motion has no won stage."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for motion in ctx.playbook.motions:
        stages = [ctx.stages.get(s) for s in motion.stages]
        if any(s is None for s in stages):
            continue  # an unknown stage is GTM020's; it may be the won one
        if not any(s is not None and s.won for s in stages):
            yield ctx.problem(
                motion.path,
                f'Motion "{motion.name}" has no won stage',
                key="stages",
                hint="add the won stage to its stages",
            )
