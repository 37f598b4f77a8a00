"""The stage and status names the ``crm:`` section declares, for ``gtmplay measure``.

What import wrote and export writes, read from the typed settings: a
Salesforce stage's or lead status's value name (``full_name``), a
Salesforce process's value as written in it (``value_names``, %-decoded: the
data holds the plain name), the HubSpot internal id of a deal stage (in the
playbook's pipeline and in each motion's) and the HubSpot lead status option
value. A sales process's values belong to its motion (the process's
``motion``, else the motion whose ``crm.salesforce_process`` names it) and a
motion pipeline's stage ids to that motion: two processes may give one value
name to two different stages. HubSpot stage labels and Pipedrive stage names are the stages' names,
which :mod:`gtmplay.measure.mapping` knows already.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from urllib.parse import unquote

from gtmplay.crm.hubspot.settings import hubspot
from gtmplay.crm.salesforce.settings import SalesforceSettings
from gtmplay.measure.mapping import CRM, Declared
from gtmplay.model import JsonPath, Playbook


def _salesforce(playbook: Playbook) -> SalesforceSettings:
    raw = playbook.crm.get("salesforce") if isinstance(playbook.crm, Mapping) else None
    return SalesforceSettings.from_raw(raw if isinstance(raw, Mapping) else {})


def crm_names(playbook: Playbook) -> Iterator[Declared]:
    """The names ``crm:`` declares for stages and lifecycle steps (see the module)."""
    stages = {s.id for s in playbook.stages}
    steps = {s.id for s in playbook.lifecycle}
    sf = _salesforce(playbook)
    base: JsonPath = ("crm", "salesforce")
    if isinstance(playbook.crm, Mapping) and isinstance(playbook.crm.get("salesforce"), Mapping):
        # the value Salesforce stores is the full_name, else the name: as a value
        # it beats another item's label (an imported org may have one value's
        # label equal to another value's name)
        for kind, items, extras, key in (
            ("deal", playbook.stages, sf.stages, "stages"),
            ("lead", playbook.lifecycle, sf.statuses, "statuses"),
        ):
            for item in items:
                extra = extras.get(item.id)
                if extra is not None and extra.full_name:
                    path: JsonPath = (*base, key, item.id, "full_name")
                    yield Declared(kind, extra.full_name, item.id, CRM, path)
                else:
                    yield Declared(kind, item.name, item.id, CRM, (*item.path, "name"))
    by_process = {
        unquote(m.crm.salesforce_process): m.id
        for m in playbook.sales_motions
        if m.crm.salesforce_process and not m.implicit
    }
    for i, process in enumerate(sf.processes):
        kind, ids = ("deal", stages) if process.object == "Opportunity" else ("lead", steps)
        motion = (
            "" if kind == "lead" else process.motion or by_process.get(unquote(process.name), "")
        )
        # a process bound to a motion keeps only the values written unlike usual
        written = (
            process.value_names.items()
            if process.motion
            else ((v.id, v.full_name) for v in process.values)
        )
        for sid, full_name in written:
            if full_name and sid in ids:
                # written %-encoded inside a process; the data holds the plain name
                path = (*base, "processes", i, "value_names", sid)
                yield Declared(kind, unquote(full_name), sid, CRM, path, motion)
    hs = hubspot(playbook)
    base = ("crm", "hubspot")
    pipelines = [((*base, "stages"), hs.stages, "")] + [
        ((*base, "motions", motion, "stages"), extra.stages, motion)
        for motion, extra in hs.motions.items()
    ]
    for where, hs_stages, motion in pipelines:
        for sid, stage in hs_stages.items():
            if stage.id and sid in stages:
                yield Declared("deal", stage.id, sid, CRM, (*where, sid, "id"), motion)
    for sid, status in hs.statuses.items():
        if status.value and sid in steps:
            yield Declared("lead", status.value, sid, CRM, (*base, "statuses", sid, "value"))
