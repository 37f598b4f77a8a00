"""A handoff's teams match the owners of the steps it connects.

A handoff `at` a lifecycle step passes leads to the team that owns that
step, from the team that owns the funnel step before it. When they differ,
the handoff describes a process the lifecycle does not follow: the SLA binds
a team that never receives the leads.

Failing (SQL is owned by the SDRs, not by sales):

```yaml
lifecycle:
  - {id: sal, name: SAL, owner: sdr}
  - {id: sql, name: SQL, owner: sdr}
handoffs:
  - {id: sdr-to-ae, from: sdr, to: sales, at: sql}
```

Passing:

```yaml
lifecycle:
  - {id: sal, name: SAL, owner: sdr}
  - {id: sql, name: SQL, owner: sales}
handoffs:
  - {id: sdr-to-ae, from: sdr, to: sales, at: sql}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM208"
NAME = "handoff.team-mismatch"
LEVEL = Level.WARNING
SUMMARY = "A handoff's teams differ from the owners of the lifecycle steps it connects."


def check(ctx: RuleContext) -> Iterator[Problem]:
    previous = {step.id: before for before, step in pairwise(ctx.funnel)}
    for handoff in ctx.playbook.handoffs:
        step = ctx.steps.get(handoff.at)
        if step is None:
            continue
        if step.owner and handoff.to_team != step.owner:
            yield ctx.problem(
                handoff.path,
                f'Handoff "{handoff.name}" goes to "{ctx.team_name(handoff.to_team)}", '
                f'but lifecycle step "{step.name}" is owned by "{ctx.team_name(step.owner)}"',
                key="to",
            )
        before = previous.get(step.id)
        if before is not None and before.owner and handoff.from_team != before.owner:
            yield ctx.problem(
                handoff.path,
                f'Handoff "{handoff.name}" comes from "{ctx.team_name(handoff.from_team)}", '
                f'but lifecycle step "{before.name}" before it is owned by '
                f'"{ctx.team_name(before.owner)}"',
                key="from",
            )
