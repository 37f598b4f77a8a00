r"""No two Salesforce names differ only by case, Unicode form or trailing spaces.

Salesforce compares picklist values and component names without regard to
case, and trims trailing spaces: `Closed Won` and `closed won `, or `Café`
written with a combining accent and with `é`, are one value to it (or two
values that look the same to a person). A deploy then fails, or one value
silently replaces the other; two Paths or processes with one name would be
one file. Checked when the playbook has a `crm.salesforce` section:

- the Salesforce names of the stages, and of the lifecycle steps;
- the processes and record types of each object, and all Paths, by name.

Failing:

```yaml
stages:
  - {id: won, name: Closed Won, probability: 100, forecast: closed, outcome: won}
  - {id: won-2, name: "closed won ", probability: 100, forecast: closed, outcome: won}
crm:
  salesforce: {}
```

Passing:

```yaml
stages:
  - {id: won, name: Closed Won, probability: 100, forecast: closed, outcome: won}
crm:
  salesforce: {}
```
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from gtmplay.findings import Level
from gtmplay.model import JsonPath
from gtmplay.rules.context import Problem, RuleContext
from gtmplay.rules.salesforce_values import picklist_values, salesforce

ID = "GTM502"
NAME = "crm.salesforce-duplicate-name"
LEVEL = Level.ERROR
SUMMARY = "Two Salesforce names differ only by case, Unicode form or trailing spaces."


def same(name: str) -> str:
    """The form Salesforce compares: Unicode NFC, case folded, trailing spaces trimmed."""
    return unicodedata.normalize("NFC", name).rstrip().casefold()


def _duplicates(
    ctx: RuleContext, what: str, named: Iterable[tuple[str, JsonPath, str]]
) -> Iterator[Problem]:
    # by position, not by identity: equal names may be one string (the loader
    # interns short values, and an alias repeats its anchor's value)
    seen: dict[str, tuple[int, str]] = {}
    for number, (name, path, key) in enumerate(named):
        place, first = seen.setdefault(same(name), (number, name))
        if place != number:
            said = (
                "is there twice"
                if first == name
                else f"is the same name to Salesforce as {first!r}"
            )
            yield ctx.problem(
                path,
                f"{what} {name!r} {said}",
                key=key,
                hint="rename one: Salesforce ignores case, Unicode form and trailing spaces",
            )


def _list(sf: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    value = sf.get(key)
    if not isinstance(value, list):
        return []
    return [
        (i, v)
        for i, v in enumerate(value)
        if isinstance(v, dict) and isinstance(v.get("name"), str)
    ]


# what each section of crm.salesforce names, in the messages
_WHAT = {"stages": "Stage", "statuses": "Lead status"}


def check(ctx: RuleContext) -> Iterator[Problem]:
    sf = salesforce(ctx)
    if sf is None:
        return
    # stages, then lifecycle steps: each section's names are compared among themselves
    for section, values in groupby(picklist_values(ctx, sf), key=itemgetter(0)):
        named: list[tuple[str, JsonPath, str]] = []
        for _, item, extra in values:
            full = extra.get("full_name")
            if isinstance(full, str):
                named.append((full, ("crm", "salesforce", section, item.id), "full_name"))
            else:
                named.append((item.name, item.path, "name"))
        yield from _duplicates(ctx, _WHAT[section], named)
    for key, what in (("processes", "Process"), ("record_types", "Record type")):
        for obj in ("Opportunity", "Lead"):
            entries = [(i, v) for i, v in _list(sf, key) if v.get("object", "Opportunity") == obj]
            named = [(v["name"], ("crm", "salesforce", key, i), "name") for i, v in entries]
            yield from _duplicates(ctx, f"{obj} {what.lower()}", named)
    paths = [(v["name"], ("crm", "salesforce", "paths", i), "name") for i, v in _list(sf, "paths")]
    yield from _duplicates(ctx, "Path", paths)
