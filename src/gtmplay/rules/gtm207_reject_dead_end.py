"""Rejected leads go to a step that is not a dead end.

The destination of rejected leads (`on_reject`) must give them a way back:
a `disqualified` step is the end of the road, and a recycle (nurture) step
that no activity supports is one in name only. Send rejected leads to a
recycle step with a nurture activity, or back to an earlier funnel step.
A destination that does not exist is reported by GTM020.

Failing:

```yaml
lifecycle:
  - {id: disqualified, name: Disqualified, owner: marketing, kind: disqualified}
handoffs:
  - {id: mql-to-sdr, from: marketing, to: sdr, at: sal, on_reject: disqualified}
```

Passing:

```yaml
lifecycle:
  - {id: nurture, name: Nurture, owner: marketing, kind: recycle}
activities:
  - {id: newsletter, name: Newsletter, owner: marketing, supports: [nurture]}
handoffs:
  - {id: mql-to-sdr, from: marketing, to: sdr, at: sal, on_reject: nurture}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM207"
NAME = "handoff.reject-dead-end"
LEVEL = Level.ERROR
SUMMARY = "A handoff sends rejected leads to a dead end."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for handoff in ctx.playbook.handoffs:
        step = ctx.steps.get(handoff.on_reject or "")
        if step is None:
            continue
        if step.kind == "disqualified":
            yield ctx.problem(
                handoff.path,
                f'Handoff "{handoff.name}" sends rejected leads to "{step.name}", a dead end',
                key="on_reject",
                hint="send them to a recycle (nurture) step instead",
            )
        elif step.kind == "recycle" and not ctx.coverage.count(step.id):
            yield ctx.problem(
                handoff.path,
                f'Handoff "{handoff.name}" sends rejected leads to "{step.name}", '
                "which no activity works",
                key="on_reject",
                hint=f"add a nurture activity that supports {step.id}",
            )
