"""Build target ``hubspot``: request bodies for HubSpot's CRM v3 APIs.

``deal-pipeline.json`` is the body of ``POST /crm/v3/pipelines/deals``
(PipelineInput); a playbook with motions gets one such body per motion
instead, ``deal-pipeline-<motion id>.json``, holding the motion's stages in
its order; ``lead-status.json`` the body of
``PATCH /crm/v3/properties/contacts/hs_lead_status`` (PropertyUpdate). HubSpot
takes a deal stage's probability as a string from 0.0 to 1.0 in steps of 0.1
and treats 0.0 as closed lost and 1.0 as closed won; where the playbook says
something else, the payload says what HubSpot can hold and a warning says
what changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gtmplay.crm.hubspot.settings import HubspotSettings, PipelineExtra, hubspot, option_value
from gtmplay.textio import json_text

if TYPE_CHECKING:
    from gtmplay.model import Motion, Playbook, Stage
    from gtmplay.render import BuildContext

MAX_STAGES = 100


def probability(percent: int) -> str:
    """``25`` -> ``"0.3"``: the nearest tenth, halves rounded up."""
    tenths = min(10, max(0, (percent + 5) // 10))
    return f"{tenths / 10:.1f}"


def stage_probability(stage: Stage, warnings: list[str]) -> str:
    """The stage's probability as HubSpot holds it, with a warning for each change."""
    forced = {"won": "1.0", "lost": "0.0"}.get(stage.outcome)
    if forced is not None:
        if stage.probability != int(float(forced)) * 100:
            warnings.append(
                f"hubspot: {stage.outcome} stage {stage.id} has probability {stage.probability}%; "
                f"exported as {forced}, the only probability of a closed {stage.outcome} stage"
            )
        return forced
    value = probability(stage.probability)
    if value in ("0.0", "1.0"):
        kind = "lost" if value == "0.0" else "won"
        warnings.append(
            f"hubspot: open stage {stage.id} has probability {stage.probability}%; "
            f"HubSpot treats {value} as closed {kind}"
        )
    if round(float(value) * 100) != stage.probability:
        warnings.append(
            f"hubspot: stage {stage.id} probability {stage.probability}% exported as {value} "
            "(HubSpot takes 0.0 to 1.0 in steps of 0.1)"
        )
    return value


def _pipeline_stages(playbook: Playbook, motion: Motion) -> list[Stage]:
    by_id = {s.id: s for s in playbook.stages}
    return [by_id[sid] for sid in motion.stages if sid in by_id]


def deal_pipeline(
    playbook: Playbook, settings: HubspotSettings, warnings: list[str], motion: Motion
) -> Any:
    """The PipelineInput of ``motion`` (the implicit one: the playbook's pipeline)."""
    stages = _pipeline_stages(playbook, motion)
    where = "hubspot" if motion.implicit else f"hubspot: motion {motion.id}"
    if len(stages) > MAX_STAGES:
        warnings.append(
            f"{where}: {len(stages)} stages; a deal pipeline holds at most {MAX_STAGES}"
        )
    labels = [s.name for s in stages]
    for label in sorted({x for x in labels if labels.count(x) > 1}):
        warnings.append(
            f"{where}: stage label {label!r} is used twice; HubSpot needs unique labels"
        )
    if motion.implicit:
        label, order, extras = settings.label(playbook.name), settings.order, settings.stages
    else:
        extra = settings.motions.get(motion.id, PipelineExtra())
        label = motion.crm.hubspot_pipeline or motion.name
        # without a position of its own, a motion's pipeline keeps the playbook's order
        position = playbook.motions.index(motion)
        order = (
            extra.display_order if extra.display_order is not None else settings.order + position
        )
        extras = extra.stages
    body = []
    for i, stage in enumerate(stages):
        stage_order = extras[stage.id].display_order if stage.id in extras else None
        body.append(
            {
                "label": stage.name,
                "displayOrder": stage_order if stage_order is not None else i,
                "metadata": {"probability": stage_probability(stage, warnings)},
            }
        )
    return {"label": label, "displayOrder": order, "stages": body}


def lead_status(playbook: Playbook, settings: HubspotSettings) -> Any:
    options = []
    for i, step in enumerate(playbook.lifecycle):
        extra = settings.status(step.id)
        option: dict[str, Any] = {
            "label": step.name,
            "value": extra.value or option_value(step.id),
            "displayOrder": extra.display_order if extra.display_order is not None else i,
            "hidden": extra.hidden,
        }
        if step.description:
            option["description"] = step.description
        options.append(option)
    return {"options": options}


def _json(value: Any) -> bytes:
    return json_text(value).encode("utf-8")


def pipeline_file(motion: Motion) -> str:
    """The file of ``motion``'s deal pipeline, under ``hubspot/``."""
    return "deal-pipeline.json" if motion.implicit else f"deal-pipeline-{motion.id}.json"


def _pipeline_call(file: str, pipeline_id: str | None) -> str:
    if pipeline_id:
        return (
            f"# replace the existing deal pipeline {pipeline_id}\n"
            f"curl -X PUT https://api.hubapi.com/crm/v3/pipelines/deals/{pipeline_id} \\\n"
            '  -H "Authorization: Bearer $HUBSPOT_TOKEN" -H "Content-Type: application/json" \\\n'
            f"  --data @{file}\n"
        )
    return (
        "# create the deal pipeline (PUT /crm/v3/pipelines/deals/<id> replaces one)\n"
        "curl -X POST https://api.hubapi.com/crm/v3/pipelines/deals \\\n"
        '  -H "Authorization: Bearer $HUBSPOT_TOKEN" -H "Content-Type: application/json" \\\n'
        f"  --data @{file}\n"
    )


def _readme(settings: HubspotSettings, calls: list[str]) -> str:
    prop = settings.status_property
    return (
        "# HubSpot configuration\n\n"
        "Generated by gtmplay from the playbook; edit the playbook, not these files.\n"
        "Send them with a private app token that has the `crm.schemas.deals.write` and\n"
        "`crm.schemas.contacts.write` scopes:\n\n"
        "```sh\n"
        "export HUBSPOT_TOKEN=...\n"
        + "".join(calls)
        + "# set the lead status options (replaces the existing options)\n"
        f"curl -X PATCH https://api.hubapi.com/crm/v3/properties/contacts/{prop} \\\n"
        '  -H "Authorization: Bearer $HUBSPOT_TOKEN" -H "Content-Type: application/json" \\\n'
        "  --data @lead-status.json\n"
        "```\n"
    )


def render(ctx: BuildContext) -> dict[str, bytes]:
    playbook = ctx.playbook
    settings = hubspot(playbook)
    files: dict[str, bytes] = {}
    calls: list[str] = []
    if playbook.stages:
        # a playbook with motions gets one pipeline per motion, none of its own
        for motion in playbook.sales_motions:
            name = pipeline_file(motion)
            files[f"hubspot/{name}"] = _json(
                deal_pipeline(playbook, settings, ctx.warnings, motion)
            )
            pid = settings.pipeline_id if motion.implicit else motion.crm.hubspot_pipeline_id
            calls.append(_pipeline_call(name, pid))
    else:
        ctx.warnings.append("hubspot: the playbook has no stages; no deal pipeline exported")
    if playbook.lifecycle:
        files["hubspot/lead-status.json"] = _json(lead_status(playbook, settings))
    files["hubspot/README.md"] = _readme(settings, calls).encode("utf-8")
    return dict(sorted(files.items()))
