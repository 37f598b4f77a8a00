"""Every KPI has an owning team.

A KPI that belongs to nobody is not acted on when it slips. The owner is the
team answerable for it in the cadence meetings.

Failing:

```yaml
kpis:
  - {id: win-rate, name: Win rate, unit: percent, target: 25}
```

Passing:

```yaml
kpis:
  - {id: win-rate, name: Win rate, unit: percent, target: 25, owner: sales}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM309"
NAME = "coherence.kpi-without-owner"
LEVEL = Level.WARNING
SUMMARY = "A KPI has no owning team."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for kpi in ctx.playbook.kpis:
        if not kpi.owner:
            yield ctx.problem(
                kpi.path,
                f'KPI "{kpi.name}" has no owner',
                hint="set owner: to the id of the team answerable for it",
            )
