"""Deals stay in a stage longer than its `target_days` (measured).

`gtmplay measure` computes how long deals really stayed in each open stage.
When the median of the completed stays exceeds the stage's `target_days` by
more than `measure.tolerance` (10 % by default), either the target is
wishful or deals stall there: both undermine the forecast and the cycle the
teams plan against. The finding sits on the stage's `target_days` and gives
the median, the 90th percentile and the number of stays. Stages with fewer
completed stays than `measure.min_sample` (30) are not judged.

Failing (deals took a median of 45 days in Engaging):

```yaml
stages:
  - {id: engaging, name: Engaging, probability: 60, forecast: best-case, target_days: 30}
```

Passing:

```yaml
stages:
  - {id: engaging, name: Engaging, probability: 60, forecast: best-case, target_days: 45}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.measure.settings import settings
from gtmplay.measure.wording import count, number
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM601"
NAME = "measure.stage-over-target"
LEVEL = Level.WARNING
SUMMARY = "The measured median time in a stage exceeds its target_days."


def check(ctx: RuleContext) -> Iterator[Problem]:
    m = ctx.measurement
    if m is None:
        return
    cfg = settings(ctx.playbook)
    for fig in m.stage_time:
        stage = ctx.stages.get(fig.stage)
        if stage is None or stage.target_days is None or fig.median_days is None:
            continue
        if fig.completed < cfg.min_sample:
            continue
        if fig.median_days > stage.target_days * (1 + cfg.tolerance):
            motion = f" of motion {fig.motion!r}" if fig.motion else ""
            yield ctx.problem(
                stage.path,
                f"Deals{motion} spent a median of {number(fig.median_days)} days in "
                f'"{stage.name}" (p90 {number(fig.p90_days)} days, {count(fig.completed)} '
                f"stays), over its {stage.target_days}-day target",
                key="target_days",
                hint="raise target_days to what deals need, or find why they stall here",
            )
