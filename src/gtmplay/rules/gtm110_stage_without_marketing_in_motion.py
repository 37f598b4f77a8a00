"""Every open stage of a sales motion is supported in that motion.

An activity supports a stage in every motion unless its `motions:` list
names some: then only in those. A stage can be covered for new business and
bare for expansion, where a different buyer (an existing customer) needs
different content. Checked only when the playbook declares `motions:`;
a stage no activity supports at all is GTM101's finding, not this one's.

Failing:

```yaml
motions:
  - {id: new-business, name: New business, stages: [proposal, won]}
  - {id: expansion, name: Expansion, stages: [proposal, won]}
activities:
  - {id: roi, name: ROI calculator, supports: [proposal], motions: [new-business]}
```

Passing:

```yaml
activities:
  - {id: roi, name: ROI calculator, supports: [proposal]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM110"
NAME = "coverage.motion-stage-unsupported"
LEVEL = Level.WARNING
SUMMARY = "An open stage of a sales motion has no activity supporting it in that motion."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for motion in ctx.playbook.motions:
        for i, stage_id in enumerate(motion.stages):
            stage = ctx.stages.get(stage_id)
            if stage is None or stage.closed:
                continue
            supporting = ctx.coverage.by_target.get(stage_id, ())
            if not supporting:
                continue  # GTM101
            if any(not a.motions or motion.id in a.motions for a in supporting):
                continue
            yield ctx.problem(
                (*motion.path, "stages", i),
                f'Stage "{stage.name}" has no activity supporting it in motion "{motion.name}"',
                hint=f"add {motion.id} to the motions of an activity supporting {stage_id}",
            )
