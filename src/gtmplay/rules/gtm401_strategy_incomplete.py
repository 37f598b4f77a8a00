"""The strategy makes its choices and names its markets and personas.

Every team aligns to the strategy: which kind of innovation the company
competes on (`innovation`), the value it promises (`value`), what its brand
stands for (`brand`), the role sales plays for the buyer (`sales_role`),
the target markets and the personas. A choice left out is one each team
will make differently.

Failing:

```yaml
strategy:
  innovation: product
  value: low-cost
```

Passing:

```yaml
strategy:
  innovation: product
  value: low-cost
  brand: dependable-purchase
  sales_role: transaction-provider
  markets: [{id: smb, name: Small businesses}]
  personas: [{id: owner, name: Business owner}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM401"
NAME = "strategy.incomplete"
LEVEL = Level.WARNING
SUMMARY = "The strategy is missing, or leaves a choice, its markets or its personas out."

_CHOICES = (
    ("innovation", "innovation focus"),
    ("value", "value proposition"),
    ("brand", "brand promise"),
    ("sales_role", "sales role"),
)


def check(ctx: RuleContext) -> Iterator[Problem]:
    strategy = ctx.playbook.strategy
    if strategy is None:
        yield ctx.problem(
            ("strategy",),
            "The playbook has no strategy",
            hint="add strategy: with innovation, value, brand, sales_role, markets, personas",
        )
        return
    for key, label in _CHOICES:
        if getattr(strategy, key) is None:
            yield ctx.problem(
                strategy.path, f"The strategy does not choose its {label}", hint=f"set {key}:"
            )
    if not strategy.markets:
        yield ctx.problem(strategy.path, "The strategy names no target market", hint="add markets:")
    if not strategy.personas:
        yield ctx.problem(strategy.path, "The strategy names no persona", hint="add personas:")
