"""The four strategy choices belong together.

The choices line up in three coherent strategies:

| innovation | value | brand | sales_role |
|---|---|---|---|
| product | low-cost | dependable-purchase | transaction-provider |
| process | total-solution | fixes-operational-problems | trusted-specialist |
| business-impact | guaranteed-results | business-advisor | political-insider |

Mixing rows sends mixed messages: a low-cost offer sold by political
insiders costs more to sell than it earns, and a business-advisor brand
cannot be delivered by transaction providers. Each choice that does not fit
the innovation focus is reported.

Failing:

```yaml
strategy:
  innovation: product
  value: guaranteed-results
```

Passing:

```yaml
strategy:
  innovation: product
  value: low-cost
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM404"
NAME = "strategy.inconsistent-choices"
LEVEL = Level.WARNING
SUMMARY = "A strategy choice does not fit the innovation focus."

_ROWS: dict[str, tuple[str, str, str, str]] = {
    "innovation": ("product", "process", "business-impact", ""),
    "value": ("low-cost", "total-solution", "guaranteed-results", "value proposition"),
    "brand": (
        "dependable-purchase",
        "fixes-operational-problems",
        "business-advisor",
        "brand promise",
    ),
    "sales_role": ("transaction-provider", "trusted-specialist", "political-insider", "sales role"),
}


def check(ctx: RuleContext) -> Iterator[Problem]:
    strategy = ctx.playbook.strategy
    if strategy is None or strategy.innovation not in _ROWS["innovation"][:3]:
        return
    row = _ROWS["innovation"].index(strategy.innovation)
    for key in ("value", "brand", "sales_role"):
        chosen = getattr(strategy, key)
        expected = _ROWS[key][row]
        if chosen is not None and chosen != expected:
            yield ctx.problem(
                strategy.path,
                f'The {_ROWS[key][3]} "{chosen}" does not fit the innovation focus '
                f'"{strategy.innovation}"',
                key=key,
                hint=f'with {strategy.innovation} innovation, {key} is usually "{expected}"',
            )
