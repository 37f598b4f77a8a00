"""The sales process ends in a won stage and a lost stage.

Without a won stage no deal can be booked; without a lost stage lost deals
stay open forever, inflating pipeline and win-rate denominators. CRMs need
both to close opportunities.

Failing:

```yaml
stages:
  - {id: proposal, name: Proposal, probability: 60, forecast: best-case}
  - {id: won, name: Closed won, outcome: won, probability: 100, forecast: closed}
```

Passing:

```yaml
stages:
  - {id: proposal, name: Proposal, probability: 60, forecast: best-case}
  - {id: won, name: Closed won, outcome: won, probability: 100, forecast: closed}
  - {id: lost, name: Closed lost, outcome: lost, probability: 0, forecast: omitted}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM311"
NAME = "coherence.missing-closed-stages"
LEVEL = Level.WARNING
SUMMARY = "The sales process has no won stage or no lost stage."


def check(ctx: RuleContext) -> Iterator[Problem]:
    if not ctx.playbook.stages:
        return
    outcomes = {stage.outcome for stage in ctx.playbook.stages}
    for outcome in ("won", "lost"):
        if outcome not in outcomes:
            yield ctx.problem(
                ("stages",),
                f"The sales process has no {outcome} stage",
                hint=f"add a stage with outcome: {outcome}",
            )
