"""Every asset is used by at least one activity.

Content that no activity uses is invisible to the people who should use it:
the stage pages and onboarding guides list assets through the activities
that use them. Either an activity forgot to list it in `assets:`, or the
asset is retired and should be removed.

Failing:

```yaml
assets:
  - {id: roi-calculator, name: ROI calculator}
activities:
  - {id: demo, name: Demo, owner: marketing, supports: [evaluation]}
```

Passing:

```yaml
activities:
  - {id: demo, name: Demo, owner: marketing, supports: [evaluation], assets: [roi-calculator]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM106"
NAME = "coverage.unused-asset"
LEVEL = Level.WARNING
SUMMARY = "An asset is used by no activity."


def check(ctx: RuleContext) -> Iterator[Problem]:
    used = {asset for activity in ctx.playbook.activities for asset in activity.assets}
    for asset in ctx.playbook.assets:
        if asset.id not in used:
            yield ctx.problem(
                asset.path,
                f'Asset "{asset.name}" is used by no activity',
                hint="list it in the assets of the activities that use it, or remove it",
            )
