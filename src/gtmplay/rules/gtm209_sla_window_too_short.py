"""An SLA's working window is not shorter than its response time.

`window` is how long the receiving team keeps working a lead (all its
attempts) before it may reject it as unresponsive; `respond_within` is the
time to the first response. A window shorter than the response time cannot
be met: the lead would expire before the first call is due.

Failing:

```yaml
sla: {respond_within: 2d, attempts: 6, window: 1d}
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

ID = "GTM209"
NAME = "handoff.sla-window-too-short"
LEVEL = Level.WARNING
SUMMARY = "A handoff SLA's window is shorter than its response time."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for handoff in ctx.playbook.handoffs:
        sla = handoff.sla
        if sla is None or sla.window_hours is None or sla.respond_within_hours is None:
            continue
        if sla.window_hours < sla.respond_within_hours:
            yield ctx.problem(
                sla.path,
                f'Handoff "{handoff.name}" has an SLA window ({sla.window}) shorter than '
                f"its response time ({sla.respond_within})",
                key="window",
            )
