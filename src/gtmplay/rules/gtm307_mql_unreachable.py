"""The MQL threshold can be reached by the positive scoring signals.

Add up what the positive signals can give (a signal's `max` when it caps
repeats, its `points` otherwise). If that is below `scoring.threshold`, no
lead can ever become an MQL, and marketing passes nothing to sales however
well it does.

Failing:

```yaml
scoring:
  threshold: 100
  signals:
    - {id: demo-request, points: 50}
    - {id: pricing-visit, points: 10, max: 30}
```

Passing:

```yaml
scoring:
  threshold: 70
  signals:
    - {id: demo-request, points: 50}
    - {id: pricing-visit, points: 10, max: 30}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM307"
NAME = "coherence.mql-unreachable"
LEVEL = Level.ERROR
SUMMARY = "The MQL threshold is higher than all positive scoring signals together."


def check(ctx: RuleContext) -> Iterator[Problem]:
    scoring = ctx.playbook.scoring
    if scoring is None:
        return
    reachable = sum(
        signal.max if signal.max is not None else signal.points
        for signal in scoring.signals
        if signal.points > 0
    )
    if reachable < scoring.threshold:
        yield ctx.problem(
            scoring.path,
            f"MQL threshold {scoring.threshold} cannot be reached: the positive signals add "
            f"up to at most {reachable} points",
            key="threshold",
            hint="lower the threshold or add positive signals",
        )
