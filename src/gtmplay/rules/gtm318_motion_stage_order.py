"""A sales motion lists its open stages in rising probability.

The playbook's stages are in order of probability (GTM301); a motion that
takes a subset in another order sends its deals backwards: the forecast
drops as the deal advances, and the CRM Path shows the steps out of order.
Closed stages may come anywhere.

Failing:

```yaml
stages:
  - {id: discovery, name: Discovery, probability: 10, forecast: pipeline}
  - {id: proposal, name: Proposal, probability: 60, forecast: best-case}
motions:
  - {id: expansion, name: Expansion, stages: [proposal, discovery, won]}
```

Passing:

```yaml
motions:
  - {id: expansion, name: Expansion, stages: [discovery, proposal, won]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.model import Stage
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM318"
NAME = "coherence.motion-stage-order"
LEVEL = Level.ERROR
SUMMARY = "A sales motion puts an open stage after one with a higher probability."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for motion in ctx.playbook.motions:
        previous: Stage | None = None
        for i, stage_id in enumerate(motion.stages):
            stage = ctx.stages.get(stage_id)
            if stage is None or stage.closed:
                continue
            if previous is not None and stage.probability < previous.probability:
                yield ctx.problem(
                    (*motion.path, "stages", i),
                    f'Motion "{motion.name}" puts stage "{stage.name}" ({stage.probability}%) '
                    f'after "{previous.name}" ({previous.probability}%)',
                    hint="list the motion's stages in the order of the playbook's stages",
                )
            previous = stage
