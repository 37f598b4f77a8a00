"""Every handoff has acceptance criteria.

The receiving team accepts a lead when it meets the criteria both teams
agreed on (contact data complete, company in the ICP, a stated need).
Without them every rejection is an argument, and the sending team cannot
tell a good lead from a bad one before it hands it over.

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
    accept: [Business email and phone, Company of 50+ employees]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM204"
NAME = "handoff.without-acceptance-criteria"
LEVEL = Level.ERROR
SUMMARY = "A handoff has no acceptance criteria."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for handoff in ctx.playbook.handoffs:
        if not handoff.accept:
            yield ctx.problem(
                handoff.path,
                f'Handoff "{handoff.name}" has no acceptance criteria',
                hint="list what a lead must meet to be accepted under accept:",
            )
