"""Win probability does not decrease along the open stages.

Stages are listed in the order deals move through them, and each step
forward should make a win at least as likely. A probability lower than the
stage before it makes weighted pipeline shrink when a deal progresses, which
no forecast should do; usually two stages are swapped or a number is a typo.

Failing:

```yaml
stages:
  - {id: proposal, name: Proposal, probability: 60, forecast: best-case}
  - {id: negotiation, name: Negotiation, probability: 40, forecast: commit}
```

Passing:

```yaml
stages:
  - {id: proposal, name: Proposal, probability: 60, forecast: best-case}
  - {id: negotiation, name: Negotiation, probability: 80, forecast: commit}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM301"
NAME = "coherence.probability-decreases"
LEVEL = Level.ERROR
SUMMARY = "An open stage has a lower probability than the open stage before it."


def check(ctx: RuleContext) -> Iterator[Problem]:
    stages = ctx.open_stages
    for before, stage in pairwise(stages):
        if stage.probability < before.probability:
            yield ctx.problem(
                stage.path,
                f'Stage "{stage.name}" has probability {stage.probability}, lower than '
                f'{before.probability} at "{before.name}" before it',
                key="probability",
            )
