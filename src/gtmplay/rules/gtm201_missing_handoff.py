"""Every change of owning team along the funnel has a handoff.

Where one funnel step is owned by one team and the next step by another
(marketing owns MQL, the SDRs own SAL), leads change hands. Without a
handoff at the second step there is no agreement on what is passed, how
fast it is worked and what happens to rejected leads: this is where leads
get left behind. Recycle and disqualified steps are not part of the funnel
order and are not checked here.

Failing:

```yaml
lifecycle:
  - {id: mql, name: MQL, owner: marketing}
  - {id: sal, name: SAL, owner: sdr}
handoffs: []
```

Passing:

```yaml
handoffs:
  - id: mql-to-sdr
    from: marketing
    to: sdr
    at: sal
    accept: [Contact data complete]
    sla: {respond_within: 4h, attempts: 6}
    reject_reasons: [Not our ICP]
    on_reject: nurture
```
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM201"
NAME = "handoff.missing"
LEVEL = Level.ERROR
SUMMARY = "Consecutive funnel steps are owned by different teams, with no handoff between them."


def check(ctx: RuleContext) -> Iterator[Problem]:
    handed = {handoff.at for handoff in ctx.playbook.handoffs}
    funnel = ctx.funnel
    for before, step in pairwise(funnel):
        if not before.owner or not step.owner or before.owner == step.owner:
            continue
        if step.id not in handed:
            yield ctx.problem(
                step.path,
                f'No handoff from "{ctx.team_name(before.owner)}" to '
                f'"{ctx.team_name(step.owner)}" at lifecycle step "{step.name}"',
                key="owner",
                hint=f"add a handoff with at: {step.id}",
            )
