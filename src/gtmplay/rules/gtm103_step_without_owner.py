"""Every lifecycle step has an owning team.

A lead sitting in a step that nobody owns is nobody's job: it is not called,
not nurtured and not reported on. Every step of the demand waterfall, the
recycle and disqualified pools included, names the team responsible for the
leads in it.

Failing:

```yaml
lifecycle:
  - {id: mql, name: MQL}
```

Passing:

```yaml
lifecycle:
  - {id: mql, name: MQL, owner: marketing}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM103"
NAME = "coverage.step-without-owner"
LEVEL = Level.ERROR
SUMMARY = "A lifecycle step has no owning team."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for step in ctx.playbook.lifecycle:
        if not step.owner:
            yield ctx.problem(
                step.path,
                f'Lifecycle step "{step.name}" has no owner',
                hint="set owner: to the id of the team responsible for leads in this step",
            )
