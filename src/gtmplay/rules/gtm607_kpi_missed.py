"""A KPI the data can compute misses its target.

`gtmplay measure` computes the KPIs of kind `win-rate`, `conversion`,
`sales-cycle`, `time-in-stage`, `response-time`, `revenue`, `volume`,
`pipeline` and `velocity` from the history (docs/measure.md defines each).
When a value misses the target by more than `measure.tolerance` of it
(10 %), in the KPI's `direction`, the finding sits on the KPI's `target`.
A revenue or volume KPI is judged on the last complete period of its
`frequency`, which the message names. Judged from `measure.min_sample` (30)
records.

Failing (the sales cycle measured 57 days):

```yaml
kpis:
  - {id: cycle, name: Sales cycle, kind: sales-cycle, unit: days, target: 40, direction: lower}
```

Passing:

```yaml
kpis:
  - {id: cycle, name: Sales cycle, kind: sales-cycle, unit: days, target: 60, direction: lower}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.measure.settings import settings
from gtmplay.measure.wording import kpi_value, period_label, plural
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM607"
NAME = "measure.kpi-missed"
LEVEL = Level.WARNING
SUMMARY = "A KPI computed from the data misses its target."


def check(ctx: RuleContext) -> Iterator[Problem]:
    m = ctx.measurement
    if m is None:
        return
    cfg = settings(ctx.playbook)
    kpis = {k.id: k for k in ctx.playbook.kpis}
    for fig in m.kpis:
        kpi = kpis.get(fig.kpi)
        if kpi is None or fig.value is None or fig.target is None:
            continue
        if fig.sample < cfg.min_sample:
            continue
        if fig.direction == "higher":
            missed = fig.value < fig.target * (1 - cfg.tolerance)
        else:
            missed = fig.value > fig.target * (1 + cfg.tolerance)
        if missed:
            bound = "or more" if fig.direction == "higher" else "or less"
            when = f" in {period_label(fig.grain, fig.period)}" if fig.period else ""
            yield ctx.problem(
                kpi.path,
                f'KPI "{kpi.name}" measured {kpi_value(fig.value, fig.unit, fig.kind)}{when} '
                f"over {plural(fig.sample, 'record')}; its target is "
                f"{kpi_value(fig.target, fig.unit, fig.kind)} {bound}",
                key="target",
                hint="act on the gap, or set a target the process can reach",
            )
