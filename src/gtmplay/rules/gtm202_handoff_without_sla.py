"""Every handoff has an SLA with a response time.

A handoff without a service level is a hope, not an agreement. Response time
is what decides whether a lead converts: a lead called within the hour is far
more likely to be reached than one called the next day. The SLA says how
fast the receiving team responds (`respond_within`, a duration like `4h`).

Failing:

```yaml
handoffs:
  - {id: mql-to-sdr, from: marketing, to: sdr, at: sal}
```

Passing:

```yaml
handoffs:
  - id: mql-to-sdr
    from: marketing
    to: sdr
    at: sal
    sla: {respond_within: 4h, attempts: 6}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM202"
NAME = "handoff.without-sla"
LEVEL = Level.ERROR
SUMMARY = "A handoff has no SLA, or its SLA sets no response time."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for handoff in ctx.playbook.handoffs:
        if handoff.sla is None:
            yield ctx.problem(
                handoff.path,
                f'Handoff "{handoff.name}" has no SLA',
                hint="add sla: with respond_within and attempts",
            )
        elif handoff.sla.respond_within is None:
            yield ctx.problem(
                handoff.sla.path,
                f'Handoff "{handoff.name}" has no response time in its SLA',
                hint="add respond_within: (for example 4h) to the sla",
            )
