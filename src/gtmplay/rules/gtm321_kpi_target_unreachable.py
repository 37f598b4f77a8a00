"""A volume KPI's target can be reached from the volume KPI before it.

Volume KPIs count what enters a step or stage (`kind: volume`, `unit: count`,
`to:` the step or stage), for example MQLs per month or won deals per
quarter. Along a motion's funnel line (the lifecycle's funnel steps up to the
`converted` one, the open stages, the won stage) the playbook declares how
records convert: `conversion` KPIs between steps and each stage's win
probability (from a stage with 20% to the next with 40%, half the deals move
on; from the last open stage, its probability wins). When a volume KPI
further down the line asks for more than the volume KPI before it yields at
those rates, both targets cannot be met: one of them, or a conversion, is
wrong, and the teams behind them are measured against each other.

Targets are compared per month through each KPI's `frequency`. Where a rate
between the two KPIs is not declared the rule says nothing: `gtmplay plan`
shows which rate is missing.

Failing (450 MQLs a month at 22% to SQL, every SQL a deal, 10% of deals won:
29.7 won deals a quarter, not 40):

```yaml
lifecycle:
  - {id: mql, name: MQL}
  - {id: sql, name: SQL, converted: true}
stages:
  - {id: discovery, name: Discovery, probability: 10, forecast: pipeline}
  - {id: won, name: Won, probability: 100, forecast: closed, outcome: won}
kpis:
  - {id: mqls, name: MQLs, kind: volume, unit: count, to: mql, target: 450, frequency: monthly}
  - {id: m2s, name: MQL to SQL, kind: conversion, unit: percent, from: mql, to: sql, target: 22}
  - {id: wins, name: Wins, kind: volume, unit: count, to: won, target: 40, frequency: quarterly}
```

Passing (the same funnel, 29 won deals a quarter):

```yaml
kpis:
  - {id: wins, name: Wins, kind: volume, unit: count, to: won, target: 29, frequency: quarterly}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.funnel import FREQUENCY_MONTHS, chain, kpi_per_period
from gtmplay.model import Kpi
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM321"
NAME = "coherence.kpi-target-unreachable"
LEVEL = Level.WARNING
SUMMARY = "A volume KPI asks for more than the volume KPI before it yields at the declared rates."

_PER = {"daily": "a day", "weekly": "a week", "monthly": "a month", "quarterly": "a quarter"}


def _volume(kpi: Kpi) -> str | None:
    if kpi.kind != "volume" or kpi.unit != "count" or not kpi.target or kpi.target <= 0:
        return None
    return kpi.to_step or kpi.stage


def _per(kpi: Kpi) -> str:
    return _PER.get(kpi.frequency, "a period")


def check(ctx: RuleContext) -> Iterator[Problem]:
    reported: set[str] = set()
    for motion in ctx.playbook.sales_motions:
        line = chain(ctx.playbook, motion)
        placed = []
        for kpi in ctx.playbook.kpis:
            node = _volume(kpi)
            index = line.index(node) if node is not None else None
            if index is not None:
                placed.append((index, kpi))
        placed.sort(key=lambda pair: pair[0])
        for pos, (j, down) in enumerate(placed):
            if down.id in reported:
                continue
            # the nearest KPI before it that the declared rates connect to it
            for i, up in reversed(placed[:pos]):
                rate = line.rate(i, j) if i < j else None
                if rate is None:
                    continue
                months = FREQUENCY_MONTHS.get(down.frequency, 1.0)
                reach = kpi_per_period(up, "month") * rate * months
                assert down.target is not None and up.target is not None
                if reach < down.target * (1 - 1e-9):
                    reported.add(down.id)
                    yield ctx.problem(
                        down.path,
                        f'KPI "{down.name}" asks for {down.target:g} {_per(down)}, but the '
                        f'{up.target:g} {_per(up)} of KPI "{up.name}" yield at most '
                        f"{reach:.1f} {_per(down)} at the declared rates "
                        f"({100 * rate:.3g}% from {line.nodes[i].id} to {line.nodes[j].id})",
                        key="target",
                        hint="lower this target, or raise the one before it or the conversions "
                        "between them; gtmplay plan shows the volume each step needs",
                    )
                break
