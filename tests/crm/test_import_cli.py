"""`gtmplay import`: exit statuses, messages, the written playbook and its check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gtmplay.cli import main
from gtmplay.crm.salesforce import exporter as salesforce
from gtmplay.pipeline import check_path

from .support import EDGE_DOC, context, playbook, realworld_dir
from .test_salesforce import MAPPED

SCHEMA_RULES = {"GTM010", "GTM011", "GTM012", "GTM013"}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def schema_errors(folder: Path) -> list[str]:
    result = check_path(str(folder))
    assert result.usable
    return [f.text() for f in result.findings if f.rule in SCHEMA_RULES or f.fatal]


def test_import_realworld(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = realworld_dir() / "salesforce" / "opportunity-stage"
    out = tmp_path / "pb"
    code, stdout, err = run(["import", "salesforce", str(src), "-o", str(out)], capsys)
    assert (code, err) == (0, "")
    assert stdout == (
        "1 files read, 0 skipped\n"
        f"wrote {out}/playbook.yaml: 6 stages, 0 lifecycle steps\n"
        "to fill in for sales and marketing to align:\n"
        "  - stages without marketing or enablement activities: prospecting, qualification, "
        "proposal-price-quote, negotiation-review\n"
        "  - stages without an owning team, entry and exit criteria (owner, entry, exit)\n"
        "  - no lifecycle (demand waterfall): add the lead statuses marketing works\n"
        "  - no teams: add marketing, SDR and sales teams (teams:)\n"
        "  - no handoffs: add the marketing-to-sales handoffs with their SLAs (handoffs:)\n"
        "  - no lead scoring, KPIs or cadence (scoring:, kpis:, cadence:)\n"
        "  - no strategy: markets, ideal customer profile and personas (strategy:)\n"
        f"then run: gtmplay check {out}\n"
    )
    text = (out / "playbook.yaml").read_text("utf-8")
    assert text.startswith("# Imported by `gtmplay import` from:\n#   ")
    assert "- id: proposal-price-quote\n  name: Proposal/Price Quote\n  probability: 75\n" in text
    assert sorted(p.name for p in out.iterdir()) == ["playbook.yaml"]
    assert schema_errors(out) == []


@pytest.mark.parametrize("doc", [EDGE_DOC, MAPPED], ids=["edge", "mapped"])
def test_imported_dx_project_checks_without_schema_errors(
    doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for rel, data in salesforce.render(context(playbook(doc))).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    out = tmp_path / "pb"
    code, _, err = run(
        ["import", "salesforce", str(tmp_path / "salesforce"), "-o", str(out)], capsys
    )
    assert (code, err) == (0, "")
    assert schema_errors(out) == []


def test_import_hubspot_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api = {"id": "7", "label": "Sales & Renewals", "displayOrder": 1, "stages": [
        {"id": "a", "label": "Discovery", "displayOrder": 0, "metadata": {"probability": "0.1"}},
        {"id": "b", "label": "Won", "displayOrder": 1,
         "metadata": {"probability": "1.0", "isClosed": "true"}},
    ]}  # fmt: skip
    src = tmp_path / "p.json"
    src.write_text(json.dumps(api), encoding="utf-8")
    out = tmp_path / "pb"
    code, stdout, err = run(["import", "hubspot", str(src), "-o", str(out)], capsys)
    assert (code, err) == (0, "")
    assert stdout.startswith(f"wrote {out}/playbook.yaml: 2 stages, 0 lifecycle steps\n")
    assert schema_errors(out) == []


def test_errors_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<StandardValueSet>\n<oops</StandardValueSet>", encoding="utf-8")
    code, out, err = run(["import", "salesforce", str(bad), "-o", str(tmp_path / "o")], capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"gtmplay: error: {bad}:2: not well-formed XML: not well-formed (invalid token) "
        "at column 6. Fix the file or leave it out.\n"
    )
    assert not (tmp_path / "o").exists()
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("x", encoding="utf-8")
    src = str(realworld_dir() / "salesforce")
    code, out, err = run(["import", "salesforce", src, "-o", str(full)], capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"gtmplay: error: {full} already exists and is not an empty folder. "
        "Choose a new folder with -o, the import never overwrites a playbook.\n"
    )
    assert sorted(p.name for p in full.iterdir()) == ["keep.txt"]
    code, out, err = run(["import", "hubspot", str(tmp_path / "none.json")], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"gtmplay: error: cannot read {tmp_path}/none.json: ")


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["import", "--help"], capsys)
    assert code == 0
    assert "salesforce  Import Salesforce metadata" in out
    assert "hubspot     Import HubSpot deal pipelines" in out
