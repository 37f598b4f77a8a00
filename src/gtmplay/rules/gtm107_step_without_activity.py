"""Every lead-stage step of the funnel is supported by an activity.

The funnel steps before conversion (inquiry, MQL, SAL, SQL, ...) are where
marketing and SDRs generate and qualify demand. A step with no activity that
supports it has no planned way of moving leads into or through it. Steps
where leads convert, recycle pools and disqualified steps are not checked
(nurture pools are checked by GTM207 when a handoff rejects leads into them).

Failing:

```yaml
lifecycle:
  - {id: inquiry, name: Inquiry, owner: marketing}
activities:
  - {id: demo, name: Demo, owner: marketing, supports: [discovery]}
```

Passing:

```yaml
activities:
  - {id: ebook, name: Ebook, owner: marketing, supports: [inquiry]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM107"
NAME = "coverage.step-without-activity"
LEVEL = Level.NOTE
SUMMARY = "A funnel step before conversion has no activity supporting it."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for step in ctx.funnel:
        if not step.converted and not ctx.coverage.count(step.id):
            yield ctx.problem(
                step.path,
                f'Lifecycle step "{step.name}" has no activity supporting it',
                hint=f"add {step.id} to the supports of an activity",
            )
