"""Every KPI is reviewed in a meeting of the cadence.

A KPI that no meeting looks at is tracked by nobody. When the playbook has a
cadence, each KPI appears in the `kpis:` of at least one meeting.

Failing:

```yaml
kpis:
  - {id: win-rate, name: Win rate, target: 25, owner: sales}
cadence:
  - {id: pipeline-review, name: Pipeline review, every: weekly, kpis: []}
```

Passing:

```yaml
cadence:
  - {id: pipeline-review, name: Pipeline review, every: weekly, kpis: [win-rate]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM313"
NAME = "coherence.kpi-not-reviewed"
LEVEL = Level.NOTE
SUMMARY = "A KPI is reviewed in no meeting of the cadence."


def check(ctx: RuleContext) -> Iterator[Problem]:
    if not ctx.playbook.cadence:
        return
    reviewed = {kpi for meeting in ctx.playbook.cadence for kpi in meeting.kpis}
    for kpi in ctx.playbook.kpis:
        if kpi.id not in reviewed:
            yield ctx.problem(
                kpi.path,
                f'KPI "{kpi.name}" is reviewed in no meeting',
                hint="add it to the kpis of a meeting in cadence:",
            )
