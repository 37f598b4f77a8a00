"""The default name mapping: ``measure.names`` > the ``crm:`` section's names > ids and names."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest

from gtmplay.cli import main
from gtmplay.measure import figures as fig
from gtmplay.services.measure import parse_json

# every real org of the corpus, whatever it holds today (it grows)
# the same folder tests/crm reads: GTMPLAY_REALWORLD_DIR, else beside the reference files
_ORG_ROOT = (
    Path(os.environ["GTMPLAY_REALWORLD_DIR"])
    if os.environ.get("GTMPLAY_REALWORLD_DIR")
    else Path(os.environ.get("GTMPLAY_REFERENCE_DIR", "/nonexistent")).parent / "realworld"
)
ORGS = sorted(p for p in (_ORG_ROOT / "salesforce").glob("*") if p.is_dir())
# with no corpus, one skipped case that says why (an empty parameter set says nothing useful)
_ORG_CASES = [pytest.param(o, id=o.name) for o in ORGS] or [
    pytest.param(
        None,
        id="no-corpus",
        marks=pytest.mark.skip(
            reason=f"no real-world Salesforce orgs at {_ORG_ROOT / 'salesforce'} "
            "(set GTMPLAY_REFERENCE_DIR or GTMPLAY_REALWORLD_DIR)"
        ),
    )
]

PLAYBOOK = """\
gtmplay: 1
name: T
lifecycle:
  - {id: mql, name: MQL}
  - {id: sql, name: SQL}
stages:
  - {id: qualify, name: Qualify, probability: 10, forecast: pipeline, target_days: 5}
  - {id: propose, name: Propose, probability: 50, forecast: pipeline, target_days: 9}
  - {id: won, name: Won, probability: 100, forecast: closed, outcome: won}
crm:
  salesforce:
    stages:
      qualify: {full_name: Qualification (SDR)}
      propose: {full_name: Proposal/Price Quote}
      won: {full_name: Closed Won}
    statuses:
      mql: {full_name: Open - Not Contacted}
  hubspot:
    stages:
      propose: {id: presentationscheduled}
measure:
  min_sample: 1
"""

EVENTS = """\
record_id,kind,crm_stage,entered_at,exited_at
d1,deal,Qualification (SDR),2024-01-01,2024-01-05
d1,deal,Proposal/Price Quote,2024-01-05,2024-01-15
d1,deal,Closed Won,2024-01-15,
d2,deal,qualification  (sdr),2024-01-01,2024-01-11
d2,deal,PresentationScheduled,2024-01-11,
l1,lead,Open - Not Contacted,2024-01-01,2024-01-03
l1,lead,SQL,2024-01-03,
"""


def measured(
    tmp_path: Path, playbook: str, events: str, capsys: pytest.CaptureFixture[str]
) -> fig.Measurement:
    (tmp_path / "p.yaml").write_text(playbook, encoding="utf-8")
    (tmp_path / "e.csv").write_text(events, encoding="utf-8")
    args = ["measure", str(tmp_path / "p.yaml"), str(tmp_path / "e.csv"), "--format", "json"]
    assert main([*args, "--fail-on", "error"]) == 0
    return parse_json(capsys.readouterr().out)


def test_salesforce_and_hubspot_names_of_the_crm_section_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    m = measured(tmp_path, PLAYBOOK, EVENTS, capsys)
    assert m.unmapped == ()
    stays = {(s.stage, s.stays, s.completed, s.median_days) for s in m.stage_time}
    # qualify: 4 and 10 days; propose: 10 days, and d2's open stay
    assert ("qualify", 2, 2, 7.0) in stays
    assert ("propose", 2, 1, 10.0) in stays
    assert [(s.stage, s.completed, s.median_days) for s in m.step_time if s.completed] == [
        ("mql", 1, 2.0)
    ]
    assert (m.deals, m.leads) == (2, 1)


def test_measure_names_win_over_the_crm_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    playbook = PLAYBOOK.replace(
        "min_sample: 1", "min_sample: 1\n  names:\n    Qualification (SDR): propose"
    )
    m = measured(tmp_path, playbook, EVENTS, capsys)
    # every stay went to propose: d1 4 + 10 days, d2 10 days, d2's open stay
    assert [(s.stage, s.stays, s.completed, s.median_days) for s in m.stage_time if s.stays] == [
        ("propose", 4, 3, 10.0)
    ]
    assert m.unmapped == ()


def test_a_crm_name_of_two_stages_is_an_error_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    playbook = PLAYBOOK.replace(
        "won: {full_name: Closed Won}", "won: {full_name: proposal/price  quote}"
    )
    (tmp_path / "p.yaml").write_text(playbook, encoding="utf-8")
    (tmp_path / "e.csv").write_text(EVENTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["measure", "p.yaml", "e.csv"]) == 2
    assert capsys.readouterr().err == (
        "gtmplay: error: p.yaml:14:28: the deal name 'Proposal/Price Quote' maps to 'propose' "
        "here and to 'won' at p.yaml:15:24. Rename one of them, or say which id it is in "
        "measure.names.\n"
    )


def _values(path: Path) -> list[str]:
    """The value names of a value set or business process file, as Salesforce stores them."""
    out: list[str] = []
    for el in ElementTree.parse(path).getroot().iter():
        if re.sub(r"\{.*\}", "", el.tag) in ("standardValue", "values"):
            for child in el:
                if re.sub(r"\{.*\}", "", child.tag) == "fullName" and child.text:
                    out.append(unquote(child.text))
    return out


def _org_history(org: Path) -> list[tuple[str, str, str]]:
    """(kind, motion, stage) rows of one record per business process walking its values,
    read from the org's XML; where an object has no process, one record per value of its
    value set (a record with a process can only take that process's values). A managed
    package's process (``Namespace__Name``) is left out: import lists it but models it
    as no motion, so its records' stages are rightly listed as outside every motion."""
    rows: list[tuple[str, str, str]] = []
    for obj, kind, value_set in (
        ("Opportunity", "deal", "OpportunityStage"),
        ("Lead", "lead", "LeadStatus"),
    ):
        processes = sorted(org.rglob(f"objects/{obj}/businessProcesses/*.businessProcess-meta.xml"))
        for path in processes:
            name = path.name.removesuffix(".businessProcess-meta.xml")
            if re.match(r"[A-Za-z0-9]+__", name):
                continue
            rows += [(kind, unquote(name), v) for v in _values(path)]
        if not processes:
            for path in sorted(org.rglob(f"{value_set}.standardValueSet-meta.xml")):
                rows += [(kind, "", v) for v in _values(path)]
    return rows


@pytest.mark.parametrize("org", _ORG_CASES)
def test_an_imported_real_org_maps_every_stage_name_of_its_history(
    org: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    playbook = tmp_path / "org.yaml"
    assert main(["import", "salesforce", str(org), "-o", str(playbook)]) == 0
    rows = _org_history(org)
    if not rows:
        pytest.skip("the org holds no stage or lead status")
    with (tmp_path / "h.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["record_id", "kind", "motion", "crm_stage", "entered_at", "exited_at"])
        for i, (kind, motion, name) in enumerate(rows):
            record = f"{kind}-{motion}" if motion else f"{kind}-{i}"
            w.writerow([record, kind, motion, name, f"2024-01-{i % 28 + 1:02d}", ""])
    capsys.readouterr()
    args = ["measure", str(playbook), str(tmp_path / "h.csv"), "--format", "json"]
    code = main([*args, "--fail-on", "error"])
    out = capsys.readouterr()
    assert code == 0, out.err
    m = parse_json(out.out)
    assert m.unmapped == ()
    assert m.rows == len(rows)
