"""Marketing and sales meet regularly.

Alignment is kept in a recurring meeting where both sides review the funnel,
the SLAs and the rejected leads together. At least one meeting of the
cadence has a marketing team and a sales or SDR team among its owner and
attendees.

Failing:

```yaml
cadence:
  - {id: forecast, name: Forecast call, every: weekly, owner: sales, attendees: [sales]}
```

Passing:

```yaml
cadence:
  - {id: funnel-review, name: Funnel review, every: weekly, owner: revops,
     attendees: [marketing, sales]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM314"
NAME = "coherence.no-joint-meeting"
LEVEL = Level.WARNING
SUMMARY = "No meeting of the cadence brings marketing and sales together."


def check(ctx: RuleContext) -> Iterator[Problem]:
    function = {team.id: team.function for team in ctx.playbook.teams}
    for meeting in ctx.playbook.cadence:
        present = {function.get(t) for t in (meeting.owner, *meeting.attendees) if t}
        if "marketing" in present and present & {"sales", "sdr"}:
            return
    yield ctx.problem(
        ("cadence",),
        "No meeting brings marketing and sales together",
        hint="add a recurring funnel review attended by both teams",
    )
