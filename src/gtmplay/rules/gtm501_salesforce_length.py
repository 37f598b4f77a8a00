r"""Names and descriptions fit the lengths Salesforce allows.

A deploy fails when a value is longer than its field, after the whole export
was reviewed and merged; the checks cost nothing before. Checked when the
playbook has a `crm.salesforce` section (it exports to Salesforce):

- a stage or lifecycle step's Salesforce name (its `full_name`, else its
  `name`) and label: at most 40 characters, the length of the
  `Opportunity.StageName` and `Lead.Status` picklist fields;
- a stage's `description` and a lead status's `description`: at most 255
  characters (the limit Salesforce documents for a value's description).

Process, record type and Path names, record type labels and descriptions
have their limits in the schema (80 and 255 characters).

Failing:

```yaml
stages:
  - id: discovery
    name: Discovery call with the economic buyer and IT
    probability: 10
    forecast: pipeline
crm:
  salesforce: {}
```

Passing:

```yaml
stages:
  - {id: discovery, name: Discovery, probability: 10, forecast: pipeline}
crm:
  salesforce: {}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from gtmplay.findings import Level
from gtmplay.rules.context import Problem, RuleContext
from gtmplay.rules.salesforce_values import picklist_values, salesforce

ID = "GTM501"
NAME = "crm.salesforce-length"
LEVEL = Level.ERROR
SUMMARY = "A name or description is longer than Salesforce allows."

MAX_VALUE = 40
MAX_DESCRIPTION = 255


# what each section of crm.salesforce names (the messages) and the picklist its values go into
_SECTIONS = {
    "stages": ("Stage", "Opportunity.StageName"),
    "statuses": ("Lifecycle step", "Lead.Status"),
}


def check(ctx: RuleContext) -> Iterator[Problem]:
    sf = salesforce(ctx)
    if sf is None:
        return
    for section, item, extra in picklist_values(ctx, sf):
        kind, field = _SECTIONS[section]
        full = extra.get("full_name")
        for value, path, key in (
            (item.name, item.path, "name"),
            (full, ("crm", "salesforce", section, item.id), "full_name"),
        ):
            if isinstance(value, str) and len(value) > MAX_VALUE:
                yield ctx.problem(
                    path,
                    f'{kind} "{item.id}" has a Salesforce {key} of {len(value)} characters, '
                    f"over the {MAX_VALUE} of the {field} picklist",
                    key=key,
                    hint=f"shorten it, or give a shorter full_name in crm.salesforce.{section}",
                )
        description = item.description if section == "stages" else extra.get("description")
        if isinstance(description, str) and len(description) > MAX_DESCRIPTION:
            path = item.path if section == "stages" else ("crm", "salesforce", section, item.id)
            yield ctx.problem(
                path,
                f'{kind} "{item.id}" has a description of {len(description)} characters, '
                f"over the {MAX_DESCRIPTION} Salesforce allows for a picklist value",
                key="description",
                hint="shorten it; longer explanations belong in guidance",
            )
