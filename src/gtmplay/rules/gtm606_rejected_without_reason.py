"""Handoffs are rejected without a reason.

Marketing can only tune scoring and targeting when every rejected lead says
why. A record that moved from a handoff's `at` step to its `on_reject` step
with no `reason` on either stay is counted; one is enough to report, once the
handoff had `measure.min_sample` (30) arrivals.

Failing (in the history: an MQL moved to nurture with an empty `reason`):

```csv
record_id,kind,crm_stage,entered_at,exited_at,reason
l2,lead,mql,2024-01-20 00:00:00,2024-01-20 02:00:00,
l2,lead,nurture,2024-01-20 02:00:00,,
```

Passing (the rejection says why, in words of the handoff's `reject_reasons`):

```csv
l2,lead,nurture,2024-01-20 02:00:00,,Not a fit
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.measure.settings import judged_handoffs
from gtmplay.measure.wording import count
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM606"
NAME = "measure.rejected-without-reason"
LEVEL = Level.WARNING
SUMMARY = "Records were rejected at a handoff without a reason."


def check(ctx: RuleContext) -> Iterator[Problem]:
    m = ctx.measurement
    if m is None:
        return
    for handoff, fig, _ in judged_handoffs(ctx.playbook, m):
        if fig.rejected_without_reason == 0:
            continue
        yield ctx.problem(
            handoff.path,
            f"{count(fig.rejected_without_reason)} of {count(fig.rejected)} rejections at "
            f'handoff "{handoff.name}" give no reason',
            key="on_reject",
            hint="make the reason required in the CRM when a record is rejected",
        )
