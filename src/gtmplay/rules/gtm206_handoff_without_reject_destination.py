"""Every handoff says where rejected leads go.

"No lead left behind": a lead the receiving team rejects must land in a
lifecycle step someone works, usually a nurture (recycle) pool owned by
marketing. A handoff without `on_reject` leaves rejected leads in limbo.

Failing:

```yaml
handoffs:
  - {id: mql-to-sdr, from: marketing, to: sdr, at: sal}
```

Passing:

```yaml
handoffs:
  - {id: mql-to-sdr, from: marketing, to: sdr, at: sal, on_reject: nurture}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM206"
NAME = "handoff.without-reject-destination"
LEVEL = Level.ERROR
SUMMARY = "A handoff does not say where rejected leads go."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for handoff in ctx.playbook.handoffs:
        if not handoff.on_reject:
            yield ctx.problem(
                handoff.path,
                f'Handoff "{handoff.name}" does not say where rejected leads go',
                hint="set on_reject: to a lifecycle step, usually a nurture (recycle) step",
            )
