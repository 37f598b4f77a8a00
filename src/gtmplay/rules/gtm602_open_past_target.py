"""Open deals are already older than their stage's `target_days` (measured).

Deals still open in a stage, on the date of the data, that have been there
longer than the stage's `target_days` are stalled or forgotten: the pipeline
overstates what will close. The finding sits on the stage's `target_days`
and counts them when more than `measure.tolerance` (10 %) of the open deals
in the stage are past the target and at least `measure.min_sample` (30)
deals are open there.

Failing (1,571 of 1,589 open deals in Engaging are older than 30 days):

```yaml
stages:
  - {id: engaging, name: Engaging, probability: 60, forecast: best-case, target_days: 30}
```

Passing (the target says how long the stage really takes; or the stalled deals are
closed as lost):

```yaml
stages:
  - {id: engaging, name: Engaging, probability: 60, forecast: best-case, target_days: 120}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.measure.settings import settings
from gtmplay.measure.wording import count
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM602"
NAME = "measure.open-past-target"
LEVEL = Level.WARNING
SUMMARY = "Many open deals have been in a stage longer than its target_days."


def check(ctx: RuleContext) -> Iterator[Problem]:
    m = ctx.measurement
    if m is None:
        return
    cfg = settings(ctx.playbook)
    as_of = (m.as_of or "")[:10]
    for fig in m.stage_time:
        stage = ctx.stages.get(fig.stage)
        if stage is None or stage.target_days is None or fig.open < cfg.min_sample:
            continue
        if fig.open_past_target > fig.open * cfg.tolerance:
            yield ctx.problem(
                stage.path,
                f'{count(fig.open_past_target)} of {count(fig.open)} open deals in "{stage.name}" '
                f"have been there longer than its {stage.target_days}-day target "
                f"(data as of {as_of})",
                key="target_days",
                hint="review or close the stalled deals, or set the target the stage needs",
            )
