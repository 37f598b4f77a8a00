"""The demand waterfall has a step where leads become opportunities.

The lifecycle and the sales stages meet where a lead converts (`converted:
true`, often the SQL or "opportunity" step). Without it the two halves of
the funnel are not connected: lead-to-opportunity conversion cannot be
measured and the CRM does not know which lead status converts.

Failing:

```yaml
lifecycle:
  - {id: mql, name: MQL, owner: marketing}
  - {id: sql, name: SQL, owner: sales}
```

Passing:

```yaml
lifecycle:
  - {id: mql, name: MQL, owner: marketing}
  - {id: sql, name: SQL, owner: sales, converted: true}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM312"
NAME = "coherence.no-converted-step"
LEVEL = Level.WARNING
SUMMARY = "No lifecycle step converts leads into opportunities."


def check(ctx: RuleContext) -> Iterator[Problem]:
    lifecycle = ctx.playbook.lifecycle
    if lifecycle and not any(step.converted for step in lifecycle):
        yield ctx.problem(
            ("lifecycle",),
            "No lifecycle step converts leads into opportunities",
            hint="set converted: true on the step where a lead becomes an opportunity",
        )
