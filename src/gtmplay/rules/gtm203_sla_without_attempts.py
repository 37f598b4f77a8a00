"""Every handoff SLA says how many attempts the receiving team makes.

"Respond within 4 hours" is half an SLA: one unanswered call is not a worked
lead. The number of attempts (calls, emails) before a lead may be rejected
as unresponsive is what makes rejections comparable and fair. Handoffs with
no SLA at all are reported by GTM202.

Failing:

```yaml
sla: {respond_within: 4h}
```

Passing:

```yaml
sla: {respond_within: 4h, attempts: 6, window: 10d}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM203"
NAME = "handoff.sla-without-attempts"
LEVEL = Level.WARNING
SUMMARY = "A handoff SLA does not say how many attempts to make."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for handoff in ctx.playbook.handoffs:
        if handoff.sla is not None and handoff.sla.attempts is None:
            yield ctx.problem(
                handoff.sla.path,
                f'Handoff "{handoff.name}" does not say how many attempts to make',
                hint="add attempts: to the sla",
            )
