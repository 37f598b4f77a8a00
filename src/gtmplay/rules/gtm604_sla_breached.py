"""Fewer handoffs are answered within `sla.respond_within` than the SLA expects.

For each handoff, `gtmplay measure` counts the records that arrived at its
`at` step and those answered (`responded_at`) within `respond_within`. When
the share is below `measure.sla_share` (90 %), the written SLA is not what
happens: leads cool down while they wait. Judged from `measure.min_sample`
(30) arrivals.

Failing (211 of 360 leads were called within 12 hours):

```yaml
handoffs:
  - {id: assignment, name: Assignment, from: senior, to: junior, at: lead,
     sla: {respond_within: 12h}}
```

Passing (the SLA the team keeps):

```yaml
handoffs:
  - {id: assignment, name: Assignment, from: senior, to: junior, at: lead,
     sla: {respond_within: 5d}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.measure.settings import judged_handoffs
from gtmplay.measure.wording import count, number, share
from gtmplay.rules.context import Problem, RuleContext

ID = "GTM604"
NAME = "measure.sla-breached"
LEVEL = Level.WARNING
SUMMARY = "The share of handoffs answered within respond_within is below measure.sla_share."


def check(ctx: RuleContext) -> Iterator[Problem]:
    m = ctx.measurement
    if m is None:
        return
    for handoff, fig, cfg in judged_handoffs(ctx.playbook, m):
        if handoff.sla is None or handoff.sla.respond_within is None:
            continue
        if fig.share_within_sla is None:
            continue
        if fig.share_within_sla * 100 < cfg.sla_share:
            yield ctx.problem(
                (*handoff.path, "sla"),
                f"{count(fig.within_sla)} of {count(fig.arrivals)} arrivals at "
                f'"{fig.step}" ({share(fig.share_within_sla)}) were answered within '
                f"{handoff.sla.respond_within} (median {number(fig.median_response_hours)} h); "
                f'handoff "{handoff.name}" expects {number(cfg.sla_share)}%',
                key="respond_within",
                hint="staff the handoff to its SLA, or write the response time it can keep",
            )
