"""The Salesforce picklist values a playbook's stages and lifecycle steps
become, with what ``crm.salesforce`` says of each: read the one way for
GTM501 (lengths) and GTM502 (duplicate names). Not a rule itself.

The rules read the raw ``crm.salesforce`` mapping (the schema checks its
shape; a rule must still not fail on a shape it did not expect), not the
exporter's settings, which the rules layer does not import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gtmplay.model import LifecycleStep, Stage
from gtmplay.rules.context import RuleContext


def mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def salesforce(ctx: RuleContext) -> dict[str, Any] | None:
    """The playbook's ``crm.salesforce`` mapping; None when it targets no Salesforce."""
    sf = ctx.playbook.crm.get("salesforce")
    return sf if isinstance(sf, dict) else None


def picklist_values(
    ctx: RuleContext, sf: dict[str, Any]
) -> Iterator[tuple[str, Stage | LifecycleStep, dict[str, Any]]]:
    """(section of ``crm.salesforce``, stage or step, its entry there) for every
    stage (``stages``: Opportunity.StageName), then every lifecycle step
    (``statuses``: Lead.Status)."""
    sections: tuple[tuple[str, tuple[Stage, ...] | tuple[LifecycleStep, ...]], ...] = (
        ("stages", ctx.playbook.stages),
        ("statuses", ctx.playbook.lifecycle),
    )
    for section, items in sections:
        extras = mapping(sf.get(section))
        for item in items:
            yield section, item, mapping(extras.get(item.id))
