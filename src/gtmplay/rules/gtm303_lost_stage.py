"""Lost stages have probability 0 and forecast category `omitted`.

A lost deal will not close; a probability above 0 keeps it in weighted
pipeline, and any forecast category but `omitted` keeps it in the forecast.

Failing:

```yaml
- {id: lost, name: Closed lost, outcome: lost, probability: 10, forecast: pipeline}
```

Passing:

```yaml
- {id: lost, name: Closed lost, outcome: lost, probability: 0, forecast: omitted}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.closed_stage import closed_stage_problems
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM303"
NAME = "coherence.lost-stage"
LEVEL = Level.ERROR
SUMMARY = "A lost stage does not have probability 0 and forecast category omitted."


def check(ctx: RuleContext) -> Iterator[Problem]:
    return closed_stage_problems(ctx, outcome="lost", probability=0, forecast="omitted")
