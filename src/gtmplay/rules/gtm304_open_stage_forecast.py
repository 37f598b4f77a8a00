"""Open stages use an open forecast category.

`closed` is the category of won deals and `omitted` that of lost ones. An
open stage in `closed` counts unwon deals as booked revenue; one in
`omitted` hides live deals from the forecast. Open stages use `pipeline`,
`best-case` or `commit`.

Failing:

```yaml
- {id: negotiation, name: Negotiation, probability: 90, forecast: closed}
```

Passing:

```yaml
- {id: negotiation, name: Negotiation, probability: 90, forecast: commit}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM304"
NAME = "coherence.open-stage-forecast"
LEVEL = Level.ERROR
SUMMARY = "An open stage has the forecast category of won or lost deals."

_MEANT_FOR = {"closed": "won", "omitted": "lost"}


def check(ctx: RuleContext) -> Iterator[Problem]:
    for stage in ctx.open_stages:
        meant_for = _MEANT_FOR.get(stage.forecast)
        if meant_for:
            yield ctx.problem(
                stage.path,
                f'Open stage "{stage.name}" has forecast category "{stage.forecast}", '
                f"which is for {meant_for} deals",
                key="forecast",
                hint="use pipeline, best-case or commit",
            )
