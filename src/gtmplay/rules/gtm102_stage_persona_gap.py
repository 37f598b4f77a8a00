"""Where personas are declared, every open stage is covered for every persona.

A stage counts as covered for a persona when an activity that supports the
stage names the persona in its `personas:` list. Buyers in one deal need
different things at the same stage: the champion wants a demo, the economic
buyer an ROI case. A gap is reported once per stage and persona. Stages with
no activity at all are left to GTM101, which already reports them.

Failing (nothing at the proposal stage speaks to the CFO):

```yaml
strategy:
  personas:
    - {id: cfo, name: CFO}
    - {id: ops, name: Head of operations}
activities:
  - {id: demo, name: Demo, owner: marketing, supports: [proposal], personas: [ops]}
```

Passing:

```yaml
activities:
  - {id: demo, name: Demo, owner: marketing, supports: [proposal], personas: [ops]}
  - {id: roi, name: ROI calculator, owner: marketing, supports: [proposal], personas: [cfo]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM102"
NAME = "coverage.stage-persona-gap"
LEVEL = Level.WARNING
SUMMARY = "An open sales stage has no activity for one of the declared personas."


def check(ctx: RuleContext) -> Iterator[Problem]:
    personas = ctx.playbook.personas
    if not personas:
        return
    for stage in ctx.open_stages:
        if not ctx.coverage.count(stage.id):
            continue
        for persona in personas:
            if not ctx.coverage.count(stage.id, persona.id):
                yield ctx.problem(
                    stage.path,
                    f'Stage "{stage.name}" has no activity for persona "{persona.name}"',
                    hint=f"name {persona.id} in the personas of an activity supporting {stage.id}",
                )
