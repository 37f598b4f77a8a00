"""Every KPI has a target.

A KPI without a target is a number to look at, not a goal: nobody can say
whether 18% MQL-to-SQL conversion is good. The target is what the cadence
meetings review the actual value against.

Failing:

```yaml
kpis:
  - {id: win-rate, name: Win rate, unit: percent, owner: sales}
```

Passing:

```yaml
kpis:
  - {id: win-rate, name: Win rate, unit: percent, owner: sales, target: 25}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM308"
NAME = "coherence.kpi-without-target"
LEVEL = Level.WARNING
SUMMARY = "A KPI has no target."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for kpi in ctx.playbook.kpis:
        if kpi.target is None:
            yield ctx.problem(kpi.path, f'KPI "{kpi.name}" has no target', hint="set target:")
