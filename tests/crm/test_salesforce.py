"""Salesforce target: XSD-valid files, exact values, escaping, warnings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown
import pytest

from gtmplay.crm.salesforce import exporter as salesforce
from gtmplay.crm.salesforce.exporter import file_name
from gtmplay.crm.salesforce.xmlio import parse

from .support import EDGE_DOC, context, many_stages, playbook, stage, xsd_errors

SRC = "salesforce/force-app/main/default/"
STAGES = SRC + "standardValueSets/OpportunityStage.standardValueSet-meta.xml"
STATUSES = SRC + "standardValueSets/LeadStatus.standardValueSet-meta.xml"
SALES_PATH = SRC + "pathAssistants/Sales_Path.pathAssistant-meta.xml"

MAPPED: dict[str, Any] = {
    **EDGE_DOC,
    "crm": {
        "salesforce": {
            "api_version": "60.0",
            "sales_process": "Enterprise / Direct",
            "opportunity_record_type": "Enterprise",
            "default_stage": "qualify",
            "default_status": None,
            "fields": {"Amount": "Deal_Size__c"},
            "stages": {
                "proposal": {"full_name": "Proposal/Price Quote", "color": "#00FF00"},
                "negotiation": {"forecast_category": "MostLikely", "active": False},
            },
            "statuses": {"working": {"description": "Being worked"}},
        }
    },
}


def named(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` naming a sales and a lead process, so that they and their Paths are exported."""
    crm = {"salesforce": {"sales_process": "Sales Process", "lead_process": "Lead Process"}}
    return {**doc, "crm": crm}


def render(doc: dict[str, Any]) -> tuple[dict[str, bytes], list[str]]:
    ctx = context(playbook(doc))
    return salesforce.render(ctx), ctx.warnings


@pytest.mark.parametrize(
    "doc", [named(EDGE_DOC), MAPPED, named(many_stages(45))], ids=["edge", "mapped", "45-stages"]
)
def test_every_xml_file_is_valid_against_the_xsd(doc: dict[str, Any], salesforce_xsd: Any) -> None:
    files, _ = render(doc)
    xml = {p: d for p, d in files.items() if p.endswith(".xml")}
    assert len(xml) >= 6
    assert {p: xsd_errors(salesforce_xsd, d) for p, d in xml.items()} == {p: [] for p in xml}


def test_file_set() -> None:
    files, _ = render(MAPPED)
    assert sorted(files) == [
        "salesforce/README.md",
        SRC
        + "objects/Opportunity/businessProcesses/Enterprise %2F Direct.businessProcess-meta.xml",
        SRC + "objects/Opportunity/recordTypes/Enterprise.recordType-meta.xml",
        SRC + "pathAssistants/Enterprise_Path.pathAssistant-meta.xml",
        SRC + "settings/PathAssistant.settings-meta.xml",
        STATUSES,
        STAGES,
        "salesforce/manifest/package.xml",
        "salesforce/sfdx-project.json",
    ]


def test_stage_value_set_exact() -> None:
    doc = {
        "stages": [
            stage("q", "Q & A", 10, description="Fr\u00fch"),
            stage("w", "Won", 100, "closed", outcome="won"),
        ]
    }
    files, _ = render(doc)
    assert files[STAGES].decode("utf-8") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<StandardValueSet xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "    <sorted>false</sorted>\n"
        "    <standardValue>\n"
        "        <fullName>Q &amp; A</fullName>\n"
        "        <default>false</default>\n"
        "        <description>Fr\u00fch</description>\n"
        "        <label>Q &amp; A</label>\n"
        "        <closed>false</closed>\n"
        "        <forecastCategory>Pipeline</forecastCategory>\n"
        "        <probability>10</probability>\n"
        "        <won>false</won>\n"
        "    </standardValue>\n"
        "    <standardValue>\n"
        "        <fullName>Won</fullName>\n"
        "        <default>false</default>\n"
        "        <label>Won</label>\n"
        "        <closed>true</closed>\n"
        "        <forecastCategory>Closed</forecastCategory>\n"
        "        <probability>100</probability>\n"
        "        <won>true</won>\n"
        "    </standardValue>\n"
        "</StandardValueSet>\n"
    )


def values(data: bytes) -> list[dict[str, str]]:
    root = parse(data, "x")
    return [{c.tag: c.text for c in v.children} for v in root.children if v.tag == "standardValue"]


def test_special_characters_survive_exactly() -> None:
    files, _ = render(EDGE_DOC)
    assert [v["label"] for v in values(files[STAGES])] == [s["name"] for s in EDGE_DOC["stages"]]
    assert [v["fullName"] for v in values(files[STATUSES])] == [
        s["name"] for s in EDGE_DOC["lifecycle"]
    ]
    assert "\u4ea4\u6e09".encode() in files[STAGES]


def test_forecast_mapping_and_order_with_lost_not_last() -> None:
    files, _ = render(EDGE_DOC)
    got = [
        (v["label"], v["forecastCategory"], v["closed"], v["won"]) for v in values(files[STAGES])
    ]
    assert [g[1:] for g in got] == [
        ("Pipeline", "false", "false"),
        ("Omitted", "true", "false"),
        ("BestCase", "false", "false"),
        ("Forecast", "false", "false"),
        ("Closed", "true", "true"),
        ("Omitted", "true", "false"),
    ]


def test_mapping_overrides_apply() -> None:
    files, _ = render(MAPPED)
    got = values(files[STAGES])
    assert got[0]["default"] == "true"
    assert (got[2]["fullName"], got[2]["label"], got[2]["color"]) == (
        "Proposal/Price Quote",
        "Proposal & Price 'Quote'",
        "#00FF00",
    )
    assert (got[3]["forecastCategory"], got[3]["isActive"]) == ("MostLikely", "false")
    statuses = values(files[STATUSES])
    assert [s["default"] for s in statuses] == ["false"] * 4
    assert statuses[1]["description"] == "Being worked"
    package = files["salesforce/manifest/package.xml"].decode()
    assert "<members>Opportunity.Enterprise / Direct</members>" in package
    assert "<version>60.0</version>" in package
    path = parse(files[SRC + "pathAssistants/Enterprise_Path.pathAssistant-meta.xml"], "x")
    step = path.all("pathAssistantSteps")[1]
    assert [f.text for f in step.all("fieldNames")] == ["Deal_Size__c"]
    assert step.get("picklistValueName") == "Proposal/Price Quote"


def test_guidance_is_sanitised_html_escaped_in_xml() -> None:
    files, _ = render(named(EDGE_DOC))
    assert (
        b"<info>&lt;p&gt;Ask &lt;em&gt;why&lt;/em&gt; &amp;amp; &lt;/p&gt;</info>"
        in (files[SALES_PATH])
    )
    step = parse(files[SALES_PATH], "x").all("pathAssistantSteps")[0]
    # Markdown's HTML, then the site's sanitiser: the unknown <how> tag goes
    assert markdown.markdown("Ask *why* & <how>") == "<p>Ask <em>why</em> &amp; <how></p>"
    assert step.get("info") == "<p>Ask <em>why</em> &amp; </p>"


def test_default_status_is_first_funnel_step() -> None:
    files, _ = render(EDGE_DOC)
    assert [v["default"] for v in values(files[STATUSES])] == ["true", "false", "false", "false"]
    assert [v["converted"] for v in values(files[STATUSES])] == ["false", "false", "true", "false"]


def test_warnings() -> None:
    doc = {
        "stages": [
            stage("long", "A stage name that is far too long for Salesforce", 10,
                  key_fields=["Amount", "Close Date", "Next Step", "Type", "Budget", "Champion"]),
            stage("ctl", "Bell\x07", 20),
        ]
    }  # fmt: skip
    files, warnings = render(named(doc))
    assert warnings == [
        "salesforce: the playbook has no lifecycle; no lead statuses exported",
        "salesforce: stage ctl has control characters XML cannot hold",
        "salesforce: Path Sales_Path: step 'A stage name that is far too long for Salesforce' "
        "has 6 key fields; a Path step shows at most 5",
        "salesforce: key fields exported as custom fields that must exist: 'Budget' -> Budget__c, "
        "'Champion' -> Champion__c (map them in crm.salesforce.fields)",
    ]
    assert [v["label"] for v in values(files[STAGES])][1] == "Bell"


def test_deterministic() -> None:
    assert render(MAPPED) == render(MAPPED)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Sales Process", "Sales Process"), ("A/B: 50%", "A%2FB%3A 50%"), ("Ünïcode", "Ünïcode")],
)
def test_file_name(name: str, expected: str) -> None:
    assert file_name(name) == expected


def test_example_playbook_is_valid(salesforce_xsd: Any) -> None:
    from .support import EXAMPLE

    if not (EXAMPLE / "playbook.yaml").is_file():
        pytest.skip("playbooks/acme is not there yet")
    from gtmplay.pipeline import check_path

    result = check_path(str(EXAMPLE))
    assert result.playbook is not None
    files = salesforce.render(context(result.playbook))
    for path, data in files.items():
        if path.endswith(".xml"):
            assert xsd_errors(salesforce_xsd, data) == [], path
    assert Path(EXAMPLE).is_dir()
