"""Forecast categories do not step back along the open stages.

Deals move from `pipeline` to `best-case` to `commit` as they progress. A
stage in a lower category than the stage before it takes confidence away
from a deal that just moved forward, and makes the forecast roll-up
inconsistent with the probabilities.

Failing:

```yaml
- {id: proposal, name: Proposal, probability: 60, forecast: commit}
- {id: negotiation, name: Negotiation, probability: 80, forecast: best-case}
```

Passing:

```yaml
- {id: proposal, name: Proposal, probability: 60, forecast: best-case}
- {id: negotiation, name: Negotiation, probability: 80, forecast: commit}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM305"
NAME = "coherence.forecast-order"
LEVEL = Level.WARNING
SUMMARY = "An open stage has a lower forecast category than the open stage before it."

_RANK = {"pipeline": 0, "best-case": 1, "commit": 2}


def check(ctx: RuleContext) -> Iterator[Problem]:
    stages = [s for s in ctx.open_stages if s.forecast in _RANK]
    for before, stage in pairwise(stages):
        if _RANK[stage.forecast] < _RANK[before.forecast]:
            yield ctx.problem(
                stage.path,
                f'Stage "{stage.name}" has forecast category "{stage.forecast}", lower than '
                f'"{before.forecast}" at "{before.name}" before it',
                key="forecast",
            )
