"""The example playbook with sales motions exports valid Salesforce metadata.

Whatever the export writes for ``playbooks/acme-motions`` (value sets today;
each motion's business process, record type and Path once the per-motion
export lands) must pass the Salesforce metadata XSD.
"""

from __future__ import annotations

from typing import Any

from gtmplay.crm.salesforce import exporter as salesforce
from gtmplay.pipeline import check_path

from .support import ROOT, context, xsd_errors

EXAMPLE = ROOT / "playbooks" / "acme-motions"


def test_acme_motions_salesforce_export_is_valid_against_the_xsd(salesforce_xsd: Any) -> None:
    result = check_path(str(EXAMPLE))
    assert result.findings == []
    assert result.playbook is not None
    files = salesforce.render(context(result.playbook))
    xml = {p: d for p, d in files.items() if p.endswith(".xml")}
    assert any(p.endswith(".standardValueSet-meta.xml") for p in xml)
    assert {p: xsd_errors(salesforce_xsd, d) for p, d in xml.items()} == {p: [] for p in xml}
