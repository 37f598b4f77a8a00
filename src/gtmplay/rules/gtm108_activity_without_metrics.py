"""Every activity says how it is measured.

An activity with no `metrics:` cannot be compared with the others when the
budget is set: nobody knows whether the webinar or the ebook moved more
leads. One metric (registrations, MQLs sourced, pipeline influenced) is
enough.

Failing:

```yaml
activities:
  - {id: webinar, name: Webinar, owner: marketing, supports: [mql]}
```

Passing:

```yaml
activities:
  - {id: webinar, name: Webinar, owner: marketing, supports: [mql], metrics: [registrations]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM108"
NAME = "coverage.activity-without-metrics"
LEVEL = Level.NOTE
SUMMARY = "An activity has no metrics to measure it by."


def check(ctx: RuleContext) -> Iterator[Problem]:
    for activity in ctx.playbook.activities:
        if not activity.metrics:
            yield ctx.problem(
                activity.path,
                f'Activity "{activity.name}" has no metrics',
                hint="list what it is measured by under metrics:",
            )
