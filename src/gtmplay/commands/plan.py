"""``gtmplay plan``: options only; the work is in :mod:`gtmplay.services.plan`."""

from __future__ import annotations

import click

from gtmplay.commands import options
from gtmplay.services.plan import FORMATS


@click.command(name="plan")
@click.argument("path")
@click.argument("data", nargs=-1)
@click.option(
    "--target",
    metavar="N|KPI",
    help="Won deals per period, or the id of a revenue KPI or a KPI counting won deals "
    "[default: the first such KPI].",
)
@click.option("--revenue", type=float, metavar="AMOUNT", help="Revenue per period to plan for.")
@click.option(
    "--deal-size",
    type=float,
    metavar="AMOUNT",
    help="Average amount of a won deal, to turn revenue into won deals.",
)
@click.option(
    "--period",
    type=click.Choice(("month", "quarter")),
    default="month",
    show_default=True,
    help="The period the volumes are counted in.",
)
@click.option("--motion", metavar="ID", help="Sales motion to plan [default: the first].")
@click.option(
    "--rate",
    "rates",
    multiple=True,
    metavar="FROM:TO=PERCENT",
    help="A conversion rate to use instead of the declared one (repeatable).",
)
@click.option(
    "--rates",
    "source",
    type=click.Choice(("declared", "measured")),
    default="declared",
    show_default=True,
    help="Conversion rates and days in stage: as the playbook declares them, or as "
    "measured in DATA (the files gtmplay measure reads).",
)
@click.option("--encoding", metavar="NAME", help="Encoding of DATA [default: detected].")
@options.text_format(FORMATS)
@options.output_path("the plan")
def command(
    path: str, data: tuple[str, ...], target: str | None, revenue: float | None,
    deal_size: float | None, period: str, motion: str | None, rates: tuple[str, ...],
    source: str, encoding: str | None, fmt: str, output: str | None,
) -> int:  # fmt: skip
    """Reverse waterfall: what must enter each step and stage to hit a target.

    From a target in won deals (or revenue and a deal size) per period and the
    playbook's declared conversions (stage probabilities, conversion KPIs),
    the volume each lifecycle step and stage needs per period, and how many
    days before the close it must enter (the stages' target_days). With
    --rates measured, the rates and the median days in each stage come from
    the CRM data DATA instead, as gtmplay measure reads it. Examples:

    \b
      gtmplay plan playbooks/acme --target 12
      gtmplay plan playbooks/acme --target new-arr --deal-size 40000 --period quarter
      gtmplay plan playbooks/acme --target 12 --rate sql:opportunity=80 --format json
      gtmplay plan playbook/ export/OpportunityHistory.csv --rates measured --target 12

    Exit status: 0, or 2 when the playbook has errors or an option cannot be used.
    """
    from gtmplay.services.plan import PlanOptions, run_plan

    options = PlanOptions(
        path=path, target=target, revenue=revenue, deal_size=deal_size, period=period,
        motion=motion, rates=rates, source=source, data=data, encoding=encoding, format=fmt,
        output=output,
    )  # fmt: skip
    click.echo(run_plan(options), nl=False)
    return 0
