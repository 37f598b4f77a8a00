"""The ``crm:`` section of a playbook, with the defaults every exporter uses.

The section is optional: it holds only what a CRM needs beyond the playbook
(process, record type and path names, API version, field API names) and the
per-value details an import must keep for an exact round trip (a Salesforce
API name that differs from the label, a HubSpot stage's display order). The
schema has already checked types, so this module only fills defaults.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gtmplay.model import Forecast, Playbook

# playbook forecast -> Salesforce ForecastCategories value, and back
FORECAST_TO_SF: dict[Forecast, str] = {
    "pipeline": "Pipeline",
    "best-case": "BestCase",
    "commit": "Forecast",
    "omitted": "Omitted",
    "closed": "Closed",
}
SF_TO_FORECAST: dict[str, Forecast] = {v: k for k, v in FORECAST_TO_SF.items()}

# Key field labels that name standard fields; anything else becomes a custom field.
STANDARD_FIELDS: dict[str, str] = {
    "amount": "Amount",
    "close date": "CloseDate",
    "next step": "NextStep",
    "probability": "Probability",
    "type": "Type",
    "lead source": "LeadSource",
    "description": "Description",
    "account": "AccountId",
    "account name": "AccountId",
    "contact": "ContactId",
    "campaign": "CampaignId",
    "primary campaign source": "CampaignId",
    "forecast category": "ForecastCategoryName",
    "expected revenue": "ExpectedRevenue",
    "quantity": "TotalOpportunityQuantity",
    "owner": "OwnerId",
    "stage": "StageName",
    "name": "Name",
    "opportunity name": "Name",
}

# Labels for the standard fields a Path usually shows (the import names key fields so).
FIELD_LABELS = {
    "Amount": "Amount",
    "CloseDate": "Close Date",
    "NextStep": "Next Step",
    "Probability": "Probability",
    "Type": "Type",
    "LeadSource": "Lead Source",
    "Description": "Description",
    "AccountId": "Account",
    "ContactId": "Contact",
    "CampaignId": "Campaign",
    "ForecastCategoryName": "Forecast Category",
    "ExpectedRevenue": "Expected Revenue",
    "TotalOpportunityQuantity": "Quantity",
    "OwnerId": "Owner",
    "StageName": "Stage",
    "Name": "Name",
}


def _section(playbook: Playbook, name: str) -> Mapping[str, Any]:
    value = playbook.crm.get(name)
    return value if isinstance(value, Mapping) else {}


def _str(raw: Mapping[str, Any], key: str, default: str) -> str:
    value = raw.get(key)
    return value if isinstance(value, str) and value else default


def _overrides(raw: Mapping[str, Any], key: str) -> dict[str, Mapping[str, Any]]:
    value = raw.get(key)
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, Mapping)}


def custom_field_name(label: str) -> str:
    """A custom field API name for a label: ``Budget confirmed`` -> ``Budget_confirmed__c``.

    Salesforce API names are letters, digits and single underscores, start
    with a letter and do not end with an underscore.
    """
    words = re.findall(r"[A-Za-z0-9]+", label)
    name = "_".join(words) or "Field"
    if not name[0].isalpha():
        name = "X" + name
    return name[:40] + "__c"


@dataclass(frozen=True, slots=True)
class HubspotSettings:
    pipeline: str
    pipeline_id: str | None
    display_order: int
    lead_status_property: str
    stages: Mapping[str, Mapping[str, Any]]
    statuses: Mapping[str, Mapping[str, Any]]


def hubspot(playbook: Playbook) -> HubspotSettings:
    raw = _section(playbook, "hubspot")
    order = raw.get("display_order")
    return HubspotSettings(
        pipeline=_str(raw, "pipeline_label", f"{playbook.name} Pipeline"),
        pipeline_id=raw.get("pipeline_id") or None,
        display_order=order if isinstance(order, int) else 0,
        lead_status_property=_str(raw, "lead_status_property", "hs_lead_status"),
        stages=_overrides(raw, "stages"),
        statuses=_overrides(raw, "statuses"),
    )


@dataclass(frozen=True, slots=True)
class PipedriveSettings:
    pipeline: str
    deal_probability: bool
    rotten_days: bool


def pipedrive(playbook: Playbook) -> PipedriveSettings:
    raw = _section(playbook, "pipedrive")
    return PipedriveSettings(
        pipeline=_str(raw, "pipeline_name", playbook.name),
        deal_probability=bool(raw.get("deal_probability", True)),
        rotten_days=bool(raw.get("rotten_days", True)),
    )


def option_value(step_id: str) -> str:
    """A HubSpot option value for a lifecycle step id: ``sales-accepted`` -> ``SALES_ACCEPTED``."""
    return re.sub(r"[^A-Za-z0-9]+", "_", step_id).strip("_").upper() or "STATUS"
