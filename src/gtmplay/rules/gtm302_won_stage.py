"""Won stages have probability 100 and forecast category `closed`.

A won deal is certain and belongs to closed revenue; anything else makes the
forecast count it twice or not at all, and CRMs (Salesforce's Closed
forecast category, for one) expect exactly this.

Failing:

```yaml
- {id: won, name: Closed won, outcome: won, probability: 90, forecast: commit}
```

Passing:

```yaml
- {id: won, name: Closed won, outcome: won, probability: 100, forecast: closed}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM302"
NAME = "coherence.won-stage"
LEVEL = Level.ERROR
SUMMARY = "A won stage does not have probability 100 and forecast category closed."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for stage in ctx.playbook.stages:
        if stage.outcome != "won":
            continue
        if stage.probability != 100:
            yield ctx.problem(
                stage.path,
                f'Won stage "{stage.name}" has probability {stage.probability}, not 100',
                key="probability",
            )
        if stage.forecast != "closed":
            yield ctx.problem(
                stage.path,
                f'Won stage "{stage.name}" has forecast category "{stage.forecast}", not "closed"',
                key="forecast",
            )
