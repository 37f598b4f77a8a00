"""What a closed stage's outcome implies for its probability and forecast
category: the one check behind GTM302 (won) and GTM303 (lost). Not a rule
itself; each rule module keeps its id, level and documentation."""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.rules.context import Problem, RuleContext


def closed_stage_problems(
    ctx: RuleContext, *, outcome: str, probability: int, forecast: str
) -> Iterator[Problem]:
    """A problem on each stage with ``outcome`` whose probability or forecast
    category is not the one that outcome implies."""
    label = outcome.capitalize()
    for stage in ctx.playbook.stages:
        if stage.outcome != outcome:
            continue
        if stage.probability != probability:
            yield ctx.problem(
                stage.path,
                f'{label} stage "{stage.name}" has probability {stage.probability}, '
                f"not {probability}",
                key="probability",
            )
        if stage.forecast != forecast:
            yield ctx.problem(
                stage.path,
                f'{label} stage "{stage.name}" has forecast category "{stage.forecast}", '
                f'not "{forecast}"',
                key="forecast",
            )
