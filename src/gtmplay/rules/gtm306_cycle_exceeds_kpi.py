"""The target days of the open stages fit the sales-cycle KPI.

When stages set `target_days` and a KPI of kind `sales-cycle` (in days) sets
a target, a deal that spends its target time in every open stage must still
close within the sales-cycle target. Otherwise one of the two numbers is
wrong, and the team is measured against a cycle its own process cannot meet.

Failing:

```yaml
stages:
  - {id: discovery, name: Discovery, probability: 20, forecast: pipeline, target_days: 30}
  - {id: proposal, name: Proposal, probability: 60, forecast: best-case, target_days: 45}
kpis:
  - {id: cycle, name: Sales cycle, kind: sales-cycle, unit: days, target: 60, owner: sales}
```

Passing:

```yaml
kpis:
  - {id: cycle, name: Sales cycle, kind: sales-cycle, unit: days, target: 90, owner: sales}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM306"
NAME = "coherence.cycle-exceeds-kpi"
LEVEL = Level.WARNING
SUMMARY = "The open stages' target days add up to more than the sales-cycle KPI target."


def check(ctx: RuleContext) -> Iterator[Problem]:
    days = [s.target_days for s in ctx.open_stages if s.target_days is not None]
    if not days:
        return
    total = sum(days)
    for kpi in ctx.playbook.kpis:
        if kpi.kind != "sales-cycle" or kpi.unit != "days" or kpi.target is None:
            continue
        if total > kpi.target:
            yield ctx.problem(
                kpi.path,
                f"Open stages add up to {total} target days, more than the "
                f'{kpi.target:g}-day target of KPI "{kpi.name}"',
                key="target",
                hint="shorten the stages' target_days or raise the KPI target",
            )
