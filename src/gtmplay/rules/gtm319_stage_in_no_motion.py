"""Every stage is used by at least one sales motion.

When a playbook declares `motions:`, the CRM exports build each motion's
process from its own stages; a stage no motion lists is in the value set but
in no process, so no deal can ever reach it. Remove the stage or add it to
the motions that use it. Playbooks without motions are not checked.

Failing:

```yaml
stages:
  - {id: discovery, name: Discovery, probability: 10, forecast: pipeline}
  - {id: pilot, name: Pilot, probability: 50, forecast: best-case}
motions:
  - {id: new-business, name: New business, stages: [discovery, won, lost]}
```

Passing:

```yaml
motions:
  - {id: new-business, name: New business, stages: [discovery, pilot, won, lost]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM319"
NAME = "coherence.stage-in-no-motion"
LEVEL = Level.WARNING
SUMMARY = "A stage is in none of the sales motions."


def check(ctx: RuleContext) -> Iterator[Problem]:
    motions = ctx.playbook.motions
    if not motions:
        return
    used = {s for motion in motions for s in motion.stages}
    for stage in ctx.playbook.stages:
        if stage.id not in used:
            yield ctx.problem(
                stage.path,
                f'Stage "{stage.name}" is in none of the sales motions',
                hint=f"add {stage.id} to the stages of the motions that use it, or remove it",
            )
