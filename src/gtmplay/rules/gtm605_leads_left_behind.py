"""Records wait at a handoff longer than its `sla.window`.

A record that arrived at a handoff's `at` step and had neither moved on nor
been rejected when the `window` ran out is left behind: nobody owns it any
more. Reported when at least one record is left behind and the handoff had
`measure.min_sample` (30) arrivals.

Failing (177 of 360 leads were still at "lead" after 7 days):

```yaml
handoffs:
  - {id: assignment, name: Assignment, from: senior, to: junior, at: lead,
     sla: {respond_within: 12h, window: 7d}}
```

Passing (every lead is accepted or rejected within the window, so the history
shows each one leaving "lead" within 7 days):

```csv
record_id,kind,crm_stage,entered_at,exited_at
L1,lead,lead,2022-01-01,2022-01-03
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.measure.settings import judged_handoffs
from gtmplay.measure.wording import count
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM605"
NAME = "measure.left-behind"
LEVEL = Level.WARNING
SUMMARY = "Records stayed at a handoff step past its SLA window."


def check(ctx: RuleContext) -> Iterator[Problem]:
    m = ctx.measurement
    if m is None:
        return
    for handoff, fig, _ in judged_handoffs(ctx.playbook, m):
        if handoff.sla is None or handoff.sla.window is None or fig.left_behind == 0:
            continue
        yield ctx.problem(
            (*handoff.path, "sla"),
            f'{count(fig.left_behind)} of {count(fig.arrivals)} arrivals at "{fig.step}" were '
            f'still there after the {handoff.sla.window} window of handoff "{handoff.name}"',
            key="window",
            hint="accept or reject every record within the window",
        )
