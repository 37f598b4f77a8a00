"""The MQL threshold can be reached by the positive scoring signals.

Add up the most each positive signal can give: a `fit` signal (something
the lead is) counts once, a `behavior` signal (something the lead does) as
often as it repeats, up to its `max`. If that is below `scoring.threshold`,
no lead can ever become an MQL, and marketing passes nothing to sales however
well it does. A behavior signal with no `max` can add any number of points,
so the threshold is then always reachable.

Failing (at most 50 + 30 + 15 = 95 points):

```yaml
scoring:
  threshold: 100
  signals:
    - {id: demo-request, points: 50, max: 50}
    - {id: pricing-visit, points: 10, max: 30}
    - {id: vp-title, type: fit, points: 15}
```

Passing:

```yaml
scoring:
  threshold: 80
  signals:
    - {id: demo-request, points: 50, max: 50}
    - {id: pricing-visit, points: 10, max: 30}
    - {id: vp-title, type: fit, points: 15}
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
    reachable = 0
    for signal in scoring.signals:
        if signal.points <= 0:
            continue
        if signal.type == "fit":
            reachable += min(signal.points, signal.max or signal.points)
        elif signal.max is None:
            return  # repeats without a cap: any threshold can be reached
        else:
            reachable += signal.max
    if reachable < scoring.threshold:
        yield ctx.problem(
            scoring.path,
            f"MQL threshold {scoring.threshold} cannot be reached: the positive signals add "
            f"up to at most {reachable} points",
            key="threshold",
            hint="lower the threshold or add positive signals",
        )
