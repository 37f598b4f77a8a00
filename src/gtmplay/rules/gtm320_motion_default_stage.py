"""A sales motion's default stage is one of its own stages.

New deals of the motion start in the default stage (Salesforce's default
value of the business process, the first stage of a HubSpot pipeline); one
that the motion does not list starts every deal outside its own process.

Failing:

```yaml
motions:
  - {id: expansion, name: Expansion, stages: [proposal, won, lost], default_stage: discovery}
```

Passing:

```yaml
motions:
  - {id: expansion, name: Expansion, stages: [proposal, won, lost], default_stage: proposal}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM320"
NAME = "coherence.motion-default-stage"
LEVEL = Level.ERROR
SUMMARY = "A sales motion's default stage is not one of its stages."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for motion in ctx.playbook.motions:
        default = motion.default_stage
        if default is None or default in motion.stages:
            continue
        yield ctx.problem(
            motion.path,
            f'Motion "{motion.name}" starts in stage "{default}", which is not one of its stages',
            key="default_stage",
            hint=f"pick one of: {', '.join(motion.stages)}",
        )
