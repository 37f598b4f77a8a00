"""Every open sales stage is supported by at least one marketing activity.

An activity supports a stage when the stage's id is in its `supports:` list.
Won and lost stages need no support. A stage nobody supports is where sales
works alone: no content for the proposal, no webinar for the evaluation, and
the first place a deal stalls.

Failing:

```yaml
stages:
  - {id: proposal, name: Proposal, probability: 60, forecast: best-case}
activities:
  - {id: webinar, name: Webinar, owner: marketing, supports: [mql]}
```

Passing:

```yaml
stages:
  - {id: proposal, name: Proposal, probability: 60, forecast: best-case}
activities:
  - {id: roi-calculator, name: ROI calculator, owner: marketing, supports: [proposal]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM101"
NAME = "coverage.stage-without-marketing"
LEVEL = Level.ERROR
SUMMARY = "An open sales stage has no marketing activity supporting it."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for stage in ctx.open_stages:
        if not ctx.coverage.count(stage.id):
            yield ctx.problem(
                stage.path,
                f'Stage "{stage.name}" has no marketing activity supporting it',
                hint=f"add {stage.id} to the supports of an activity",
            )
