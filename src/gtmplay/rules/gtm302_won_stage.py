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
from gtmplay.rules.closed_stage import closed_stage_problems
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM302"
NAME = "coherence.won-stage"
LEVEL = Level.ERROR
SUMMARY = "A won stage does not have probability 100 and forecast category closed."


def check(ctx: RuleContext) -> Iterator[Problem]:
    return closed_stage_problems(ctx, outcome="won", probability=100, forecast="closed")
