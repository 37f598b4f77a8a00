"""A stage's declared `probability` differs from the win rate measured from it.

Of the closed deals that reached a stage, the share that was won is the
stage's real probability. When it differs from the declared `probability` by
more than `measure.probability_tolerance` percentage points (15), the
weighted forecast built on it is wrong. Judged only when at least
`measure.min_sample` (30) deals that reached the stage are closed.

Failing (63.2 % of the closed deals that reached Prospecting were won):

```yaml
stages:
  - {id: prospecting, name: Prospecting, probability: 10, forecast: pipeline}
```

Passing:

```yaml
stages:
  - {id: prospecting, name: Prospecting, probability: 60, forecast: pipeline}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.measure.settings import settings
from gtmplay.measure.wording import count, share
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM603"
NAME = "measure.probability-miscalibrated"
LEVEL = Level.WARNING
SUMMARY = "The measured win rate from a stage differs from its declared probability."


def check(ctx: RuleContext) -> Iterator[Problem]:
    m = ctx.measurement
    if m is None:
        return
    cfg = settings(ctx.playbook)
    for fig in m.stage_conversion:
        stage = ctx.stages.get(fig.stage)
        if stage is None or fig.win_rate is None or fig.closed < cfg.min_sample:
            continue
        if abs(fig.win_rate * 100 - stage.probability) > cfg.probability_tolerance:
            yield ctx.problem(
                stage.path,
                f"{share(fig.win_rate)} of the {count(fig.closed)} closed deals that reached "
                f'"{stage.name}" were won; it declares a probability of {stage.probability}%',
                key="probability",
                hint="set the probability to the measured win rate, or find why it differs",
            )
