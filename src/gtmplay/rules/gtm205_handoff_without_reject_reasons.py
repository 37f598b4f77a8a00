"""Every handoff lists the reasons a lead may be rejected for.

A fixed list of reject reasons (not our ICP, no budget, unresponsive after
all attempts) turns rejections into data marketing can act on; free-text
rejections cannot be counted.

Failing:

```yaml
handoffs:
  - {id: mql-to-sdr, from: marketing, to: sdr, at: sal, on_reject: nurture}
```

Passing:

```yaml
handoffs:
  - id: mql-to-sdr
    from: marketing
    to: sdr
    at: sal
    reject_reasons: [Not our ICP, Unresponsive after 6 attempts]
    on_reject: nurture
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM205"
NAME = "handoff.without-reject-reasons"
LEVEL = Level.WARNING
SUMMARY = "A handoff lists no reasons for rejecting a lead."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for handoff in ctx.playbook.handoffs:
        if not handoff.reject_reasons:
            yield ctx.problem(
                handoff.path,
                f'Handoff "{handoff.name}" has no reject reasons',
                hint="list the allowed reasons under reject_reasons:",
            )
