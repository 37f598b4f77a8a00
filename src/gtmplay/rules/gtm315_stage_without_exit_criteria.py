"""Every open stage says when a deal may leave it.

Exit criteria (a confirmed budget, a mutual action plan, a signed order) are
what makes stages mean the same for every rep, and what the CRM's guided
selling shows. Without them a deal moves when its owner feels like it, and
stage probabilities lose their meaning.

Failing:

```yaml
- {id: discovery, name: Discovery, probability: 20, forecast: pipeline}
```

Passing:

```yaml
- id: discovery
  name: Discovery
  probability: 20
  forecast: pipeline
  exit: [Pain and budget confirmed]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM315"
NAME = "coherence.stage-without-exit-criteria"
LEVEL = Level.NOTE
SUMMARY = "An open stage has no exit criteria."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for stage in ctx.open_stages:
        if not stage.exit:
            yield ctx.problem(
                stage.path,
                f'Stage "{stage.name}" has no exit criteria',
                hint="list what must be true to move on under exit:",
            )
