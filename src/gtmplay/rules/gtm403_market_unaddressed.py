"""Every target market is addressed by at least one activity.

A market counts as addressed when an activity names it in `markets:`, or
names a persona that belongs to it. A target market nothing is aimed at is
a market in the strategy deck only.

Failing:

```yaml
strategy:
  markets: [{id: nordics, name: Nordics}]
activities:
  - {id: demo, name: Demo, owner: marketing, supports: [evaluation]}
```

Passing:

```yaml
activities:
  - {id: demo, name: Demo, owner: marketing, supports: [evaluation], markets: [nordics]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM403"
NAME = "strategy.market-unaddressed"
LEVEL = Level.WARNING
SUMMARY = "A target market is addressed by no activity."


def check(ctx: RuleContext) -> Iterator[Problem]:
    persona_markets = {p.id: p.markets for p in ctx.playbook.personas}
    addressed: set[str] = set()
    for activity in ctx.playbook.activities:
        addressed.update(activity.markets)
        for persona in activity.personas:
            addressed.update(persona_markets.get(persona, ()))
    for market in ctx.playbook.markets:
        if market.id not in addressed:
            yield ctx.problem(
                market.path,
                f'Market "{market.name}" is addressed by no activity',
                hint=f"name {market.id} in the markets of the activities aimed at it",
            )
