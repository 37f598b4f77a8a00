"""Whole Salesforce orgs: every real project imports and exports back component by
component, fast and quietly, with the loader's guards; exports are XSD-valid."""

from __future__ import annotations

import copy
import functools
import os
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from gtmplay.crm.imported import MAX_FILE_BYTES, Imported
from gtmplay.crm.salesforce import exporter as salesforce
from gtmplay.crm.salesforce.importer import import_salesforce
from gtmplay.errors import UsageError
from gtmplay.model import build_playbook
from gtmplay.services.import_ import write_playbook

from .sfcompare import EXCEPTIONS, components, differences
from .support import context, hubspot_round_trip, realworld_dir, stage, xsd_errors

SRC = "salesforce/force-app/main/default/"


def orgs() -> list[Path]:
    """Every project of the corpus, whatever it holds today (it grows)."""
    value = os.environ.get("GTMPLAY_REALWORLD_DIR")
    reference = os.environ.get("GTMPLAY_REFERENCE_DIR")
    if value:
        root = Path(value) / "salesforce"
    elif reference:
        root = Path(reference).parent / "realworld" / "salesforce"
    else:
        return []
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


ORGS = orgs()


def cases(paths: list[Path], what: str) -> list[Any]:
    """One case per path, or, with no corpus, one skipped case that says why
    (pytest's own "got empty parameter set" names neither the folder nor the fix)."""
    if paths:
        return [pytest.param(p, id=p.name) for p in paths]
    reason = f"no real-world {what} (set GTMPLAY_REFERENCE_DIR or GTMPLAY_REALWORLD_DIR)"
    return [pytest.param(None, id="no-corpus", marks=pytest.mark.skip(reason=reason))]


def imported_org(org: Path) -> Imported:
    """``import_salesforce`` of a real org: three tests read each org, which is
    imported once per process; each gets a copy of its own to change."""
    return copy.deepcopy(_import_once(org))


@functools.cache
def _import_once(org: Path) -> Imported:
    return import_salesforce([str(org)])


def export(doc: dict[str, Any]) -> dict[str, bytes]:
    return salesforce.render(context(build_playbook(doc)))


def exported_tree(doc: dict[str, Any], tmp: Path) -> Path:
    for rel, data in export(doc).items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_bytes(data)
    return tmp / "salesforce"


def with_managed(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    doc.setdefault("crm", {}).setdefault("salesforce", {})["export_managed"] = True
    return doc


def test_the_corpus_is_there() -> None:
    assert (realworld_dir() / "salesforce").is_dir()
    assert len(ORGS) >= 18


@pytest.mark.parametrize("org", cases(ORGS, "Salesforce orgs"))
def test_every_real_org_round_trips_component_by_component(org: Path, tmp_path: Path) -> None:
    """Value sets, processes, record types and Paths come back field by field, in order.

    The only field left out of the comparison is in sfcompare.EXCEPTIONS."""
    assert set(EXCEPTIONS) == {"RecordType.picklistValues"}
    imported = imported_org(org)
    before = components(org)
    after = components(exported_tree(with_managed(imported.doc), tmp_path))
    assert differences(before, after) == []
    assert before  # the comparison compared something


@pytest.mark.parametrize("org", cases(ORGS, "Salesforce orgs"))
def test_every_real_org_exports_valid_metadata(org: Path, salesforce_xsd: Any) -> None:
    files = export(with_managed(imported_org(org).doc))
    xml = {n: d for n, d in files.items() if n.endswith(".xml")}
    assert {n: xsd_errors(salesforce_xsd, d) for n, d in xml.items()} == {n: [] for n in xml}


def test_managed_package_components_are_listed_but_not_exported(tmp_path: Path) -> None:
    org = realworld_dir() / "salesforce" / "ItaDeloitte__AsutaAshdod"
    doc = import_salesforce([str(org)]).doc
    managed = sorted(
        (kind, item["object"], item["name"])
        for kind, key in (("BusinessProcess", "processes"), ("RecordType", "record_types"))
        for item in doc["crm"]["salesforce"][key]
        if item.get("managed")
    )
    assert managed == [
        ("BusinessProcess", "Lead", "HealthCloudGA__LeadToPatientProcess"),
        ("BusinessProcess", "Lead", "HealthCloudGA__Referral"),
        ("BusinessProcess", "Opportunity", "HealthCloudGA__Patient Referral"),
        ("RecordType", "Lead", "HealthCloudGA__Patient"),
        ("RecordType", "Lead", "HealthCloudGA__PatientReferral"),
        ("RecordType", "Opportunity", "HealthCloudGA__Patient_Referral"),
    ]
    missing = set(components(org)) - set(components(exported_tree(doc, tmp_path)))
    assert sorted(missing) == managed


def test_percent_encoding_is_kept_in_xml_file_names_and_package() -> None:
    gusto = import_salesforce([str(realworld_dir() / "salesforce" / "Gusto__sfdc")]).doc
    files = export(gusto)
    name = SRC + "objects/Opportunity/businessProcesses/Growth%2FExpansion.businessProcess-meta.xml"
    assert b"<fullName>Growth%2FExpansion</fullName>" in files[name]
    assert b"<fullName>Closed Lost</fullName>" in files[name]
    assert (
        b"<members>Opportunity.Growth%2FExpansion</members>"
        in files["salesforce/manifest/package.xml"]
    )
    assert not [n for n in files if "%25" in n]
    cooper = import_salesforce([str(realworld_dir() / "salesforce" / "Cloud-Orca__cooperparry")])
    files = export(cooper.doc)
    process = (
        SRC
        + "objects/Opportunity/businessProcesses/CP Opportunity Process.businessProcess-meta.xml"
    )
    assert b"<fullName>Married %28Closed Won%29</fullName>" in files[process]
    assert (
        b"<fullName>Married (Closed Won)</fullName>"
        in files[SRC + "standardValueSets/OpportunityStage.standardValueSet-meta.xml"]
    )


def test_a_playbook_without_processes_exports_value_sets_only() -> None:
    doc = {
        "gtmplay": 1,
        "name": "T",
        "stages": [stage("open", "Open", 10), stage("won", "Won", 100, "closed", outcome="won")],
        "lifecycle": [{"id": "new", "name": "New"}],
    }
    assert sorted(export(doc)) == [
        "salesforce/README.md",
        SRC + "standardValueSets/LeadStatus.standardValueSet-meta.xml",
        SRC + "standardValueSets/OpportunityStage.standardValueSet-meta.xml",
        "salesforce/manifest/package.xml",
        "salesforce/sfdx-project.json",
    ]


def test_an_org_with_processes_only_gets_no_value_set() -> None:
    org = realworld_dir() / "salesforce" / "ItaDeloitte__AsutaAshdod"
    doc = import_salesforce([str(org)]).doc
    assert doc["crm"]["salesforce"]["value_sets"] == []
    assert not [n for n in export(doc) if "standardValueSets" in n]


VALUE_SET = """<?xml version="1.0" encoding="UTF-8"?>
<StandardValueSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <sorted>false</sorted>
    <standardValue>
        <fullName>Open</fullName>
        <default>true</default>
        <label>Open</label>
        <closed>false</closed>
        <forecastCategory>Pipeline</forecastCategory>
        <won>false</won>
    </standardValue>
    <standardValue>
        <fullName>Won &amp; Done</fullName>
        <default>false</default>
        <label>Won &amp; Done</label>
        <closed>true</closed>
        <forecastCategory>Closed</forecastCategory>
        <probability>100</probability>
        <won>true</won>
    </standardValue>
</StandardValueSet>
"""

CLASSIC_OBJECT = """<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <businessProcesses>
        <fullName>New Business</fullName>
        <description>First deals</description>
        <isActive>true</isActive>
        <values>
            <fullName>Open</fullName>
            <default>true</default>
        </values>
        <values>
            <fullName>Won %26 Done</fullName>
            <default>false</default>
        </values>
    </businessProcesses>
    <businessProcesses>
        <fullName>Old</fullName>
        <isActive>false</isActive>
        <values>
            <fullName>Open</fullName>
            <default>false</default>
        </values>
    </businessProcesses>
    <fields>
        <fullName>Other__c</fullName>
    </fields>
    <recordTypes>
        <fullName>New_Business</fullName>
        <active>true</active>
        <businessProcess>New Business</businessProcess>
        <label>New Business</label>
    </recordTypes>
</CustomObject>
"""


def test_classic_metadata_api_layout(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "standardValueSets").mkdir(parents=True)
    (src / "objects").mkdir()
    (src / "standardValueSets" / "OpportunityStage.standardValueSet").write_text(VALUE_SET)
    (src / "objects" / "Opportunity.object").write_text(CLASSIC_OBJECT)
    (src / "objects" / "Account.object").write_text("<not xml")  # unrelated: never read
    imported = import_salesforce([str(src)])
    assert imported.summary == "2 files read, 1 skipped"
    sf = imported.doc["crm"]["salesforce"]
    assert [(p["name"], p.get("active", True)) for p in sf["processes"]] == [
        ("New Business", True),
        ("Old", False),
    ]
    assert sf["stages"] == {"open": {"omit_probability": True}}  # absent stays absent
    after = components(exported_tree(imported.doc, tmp_path / "out"))
    assert differences(components(src), after) == []


def test_absent_probability_stays_absent(tmp_path: Path) -> None:
    path = tmp_path / "OpportunityStage.standardValueSet-meta.xml"
    path.write_text(VALUE_SET)
    doc = import_salesforce([str(path)]).doc
    data = export(doc)[SRC + "standardValueSets/OpportunityStage.standardValueSet-meta.xml"]
    assert data.decode().count("<probability>") == 1


# -- a whole force-app: fast, quiet, guarded --------------------------------------------


def big_tree(root: Path, org: Path, files: int) -> Path:
    """``org``'s metadata plus unrelated filler up to ``files`` files, as real trees hold."""
    app = root / "force-app" / "main" / "default"
    for path in org.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(org)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    kinds = [
        ("classes", ".cls-meta.xml"),
        ("objects/Account/fields", ".field-meta.xml"),
        ("objects/Account/recordTypes", ".recordType-meta.xml"),
        ("objects/Case/businessProcesses", ".businessProcess-meta.xml"),
        ("layouts", ".layout-meta.xml"),
        ("lwc/widget", ".js"),
        ("standardValueSets", ".standardValueSet-meta.xml"),
        ("pathAssistants", ".pathAssistant-meta.xml"),
    ]
    have = sum(1 for p in root.rglob("*") if p.is_file())
    for folder, _ in kinds:  # once each, not once per file
        (app / folder).mkdir(parents=True, exist_ok=True)
    for i in range(files - have):
        folder, suffix = kinds[i % len(kinds)]
        target = app / folder / f"Filler{i}{suffix}"
        body = b"<Layout xmlns='x'><broken" if i % 997 == 0 else b"<?xml version='1.0'?><X/>"
        if folder == "pathAssistants":
            body = b"<PathAssistant><entityName>Case</entityName><oops"
        target.write_bytes(body)
    return root


@pytest.fixture(scope="module")
def tree_18k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    org = realworld_dir() / "salesforce" / "Gusto__sfdc"
    return big_tree(tmp_path_factory.mktemp("big"), org, 18_000)


def test_an_18000_file_tree_imports_in_under_2_seconds_quietly(tree_18k: Path) -> None:
    org = realworld_dir() / "salesforce" / "Gusto__sfdc"
    # best of three, in CPU time: the limit is about the import, not about
    # what else a shared CI machine runs at the same moment. The first run under
    # the limit ends the loop: the best of three is then under it too, so the
    # assertion is the same, without two more imports of 18,000 files
    elapsed = float("inf")
    for _ in range(3):
        start = time.process_time()
        imported = import_salesforce([str(tree_18k)])
        elapsed = min(elapsed, time.process_time() - start)
        if elapsed < 2.0:
            break
    assert sum(1 for p in tree_18k.rglob("*") if p.is_file()) == 18_000
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    # the filler (malformed XML, Paths on Case, other value sets) is skipped silently
    assert imported.summary == "41 files read, 17959 skipped"
    alone = import_salesforce([str(org)])
    assert imported.doc == alone.doc
    assert imported.warnings == alone.warnings
    assert len(imported.warnings) == 1


def sf_error(paths: list[Path], root: Path) -> str:
    with pytest.raises(UsageError) as info:
        import_salesforce([str(p) for p in paths])
    return str(info.value).replace(str(root) + "/", "")


def test_a_malformed_needed_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "objects" / "Opportunity" / "businessProcesses"
    folder.mkdir(parents=True)
    (folder / "A.businessProcess-meta.xml").write_text("<BusinessProcess>\n  <values>\n</oops>")
    assert sf_error([tmp_path], tmp_path) == (
        "objects/Opportunity/businessProcesses/A.businessProcess-meta.xml:3: not well-formed XML: "
        "mismatched tag at column 3. Fix the file or leave it out."
    )


def test_symlinks_out_of_the_folder_fifos_and_huge_files_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.xml"
    outside.write_text(VALUE_SET)
    org = tmp_path / "org" / "standardValueSets"
    org.mkdir(parents=True)
    link = org / "OpportunityStage.standardValueSet-meta.xml"
    link.symlink_to(outside)
    assert sf_error([tmp_path / "org"], tmp_path) == (
        "org/standardValueSets/OpportunityStage.standardValueSet-meta.xml: this path leads "
        "outside the playbook folder (through a symbolic link). "
        "Keep every playbook file inside the playbook folder."
    )
    link.unlink()
    os.mkfifo(link)
    assert sf_error([tmp_path / "org"], tmp_path) == (
        "org/standardValueSets/OpportunityStage.standardValueSet-meta.xml: this is not a "
        "regular file. Name a YAML file."
    )
    link.unlink()
    with link.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    assert sf_error([tmp_path / "org"], tmp_path) == (
        "org/standardValueSets/OpportunityStage.standardValueSet-meta.xml: the file is "
        "8.0 MiB, over the limit of 8.0 MiB. Split it into included files."
    )


def test_unrelated_symlinks_and_fifos_are_skipped_unread(tmp_path: Path) -> None:
    (tmp_path / "standardValueSets").mkdir()
    (tmp_path / "standardValueSets" / "OpportunityStage.standardValueSet-meta.xml").write_text(
        VALUE_SET
    )
    (tmp_path / "out.cls").symlink_to("/etc/passwd")
    os.mkfifo(tmp_path / "pipe.xml")
    assert import_salesforce([str(tmp_path)]).summary == "1 files read, 2 skipped"


def test_control_characters_in_file_names_cannot_reach_the_yaml(tmp_path: Path) -> None:
    doc = {"gtmplay": 1, "name": "T", "stages": [stage("open", "Open", 10)]}
    source = "/x/evil\nchecks:\n  disable: [GTM101]\u2028#.xml"
    write_playbook(Imported(doc=doc, sources=[source]), tmp_path / "pb")
    text = (tmp_path / "pb" / "playbook.yaml").read_text("utf-8")
    assert yaml.safe_load(text) == doc
    header = text.split("gtmplay: 1")[0]
    assert all(line.startswith("#") for line in header.splitlines())
    assert "#   /x/evil\\u000achecks:\\u000a  disable: [GTM101]\\u2028#.xml\n" in header


# -- HubSpot ---------------------------------------------------------------------

# A file of the corpus the import refuses, and why; the README says it too.
HUBSPOT_EXCEPTIONS = {
    "airbytehq__airbyte__engagements_task_pipelines.json": (
        "a pipeline of tasks, not deals: its stages have no probability, which a deal "
        "pipeline (and the playbook's stages) need"
    ),
}


def hubspot_files() -> list[Path]:
    root = ORGS[0].parent.parent / "hubspot" if ORGS else Path("/nonexistent")
    return sorted(root.glob("*.json")) if root.is_dir() else []


@pytest.mark.parametrize("path", cases(hubspot_files(), "HubSpot pipeline files"))
def test_every_real_hubspot_pipeline_round_trips(path: Path, tmp_path: Path) -> None:
    """Import, then export: each pipeline of the file comes back (label, order,
    each stage's label, order, probability), HubSpot's stage ids are kept, and
    the playbook checks without an error. A file with several pipelines gives a
    motion each, exported as a pipeline each."""
    from gtmplay.crm.hubspot.importer import import_hubspot

    if path.name in HUBSPOT_EXCEPTIONS:
        with pytest.raises(UsageError, match=r"a deal stage needs metadata\.probability"):
            import_hubspot(str(path))
        return
    import json

    hubspot_round_trip(tmp_path, json.loads(path.read_text("utf-8")))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "h.json: JSON nested deeper than 64 levels"),
        (
            '{"results": [' + "9" * 5000 + "]}",
            "h.json: a number of 5000 characters, over the limit of 40",
        ),
    ],
    ids=["deep", "long-number"],
)
def test_hostile_json_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    from gtmplay.crm.hubspot.importer import import_hubspot

    (tmp_path / "h.json").write_text(text)
    with pytest.raises(UsageError) as info:
        import_hubspot(str(tmp_path / "h.json"))
    assert str(info.value).replace(str(tmp_path) + "/", "") == (
        f"{message}. Give the JSON a HubSpot pipelines API call returned."
    )


# -- export safety -----------------------------------------------------------------------


def test_path_guidance_is_sanitised_on_export() -> None:
    hostile = (
        '<p>Call <img src="x" onerror="alert(1)"><a href="javascript:alert(2)">here</a>'
        "<script>alert(3)</script></p>"
    )
    doc = {
        "gtmplay": 1,
        "name": "T",
        "stages": [
            stage("open", "Open", 10, guidance="See [it](javascript:alert(4)) <script>x</script>")
        ],
        "crm": {
            "salesforce": {
                "processes": [{"name": "P", "values": ["open"]}],
                "paths": [
                    {"name": "A", "steps": [{"id": "open"}]},
                    {"name": "B", "steps": [{"id": "open", "html": hostile}]},
                ],
            }
        },
    }
    files = export(doc)
    from gtmplay.crm.salesforce.xmlio import parse

    infos = [
        parse(files[SRC + f"pathAssistants/{n}.pathAssistant-meta.xml"], n)
        .all("pathAssistantSteps")[0]
        .get("info")
        for n in ("A", "B")
    ]
    assert infos == ["<p>See <a>it</a> </p>", '<p>Call <img src="x"><a>here</a></p>']


def test_two_paths_never_overwrite_each_other() -> None:
    doc = {
        "gtmplay": 1,
        "name": "T",
        "stages": [stage("open", "Open", 10)],
        "lifecycle": [{"id": "new", "name": "New"}],
        "crm": {
            "salesforce": {
                "paths": [
                    {"name": "Same", "object": "Opportunity", "steps": []},
                    {"name": "Same", "object": "Lead", "steps": []},
                ],
            }
        },
    }
    ctx = context(build_playbook(doc))
    files = salesforce.render(ctx)
    data = files[SRC + "pathAssistants/Same.pathAssistant-meta.xml"]
    assert b"<entityName>Opportunity</entityName>" in data
    assert ctx.warnings[-1] == (
        "salesforce: Same not written: "
        "pathAssistants/Same.pathAssistant-meta.xml is already written"
    )


def test_each_motion_is_its_own_process_record_type_and_path() -> None:
    from gtmplay.pipeline import check_path

    example = Path(__file__).resolve().parents[2] / "playbooks" / "acme-motions"
    result = check_path(str(example))
    assert result.playbook is not None
    files = salesforce.render(context(result.playbook))
    from gtmplay.crm.salesforce.xmlio import parse

    opp = SRC + "objects/Opportunity/"
    got = {}
    for name in ("Acme New Business", "Acme Expansion"):
        root = parse(files[f"{opp}businessProcesses/{name}.businessProcess-meta.xml"], name)
        got[name] = [(v.get("fullName"), v.get("default")) for v in root.all("values")]
    assert got["Acme Expansion"] == [
        ("Discovery", "true"),
        ("Proposal %26 Pricing", "false"),
        ("Negotiation %26 Procurement", "false"),
        ("Closed Won", "false"),
        ("Closed Lost", "false"),
    ]
    assert len(got["Acme New Business"]) == 7
    rt = parse(files[f"{opp}recordTypes/Expansion.recordType-meta.xml"], "rt")
    assert rt.get("businessProcess") == "Acme Expansion"
    path = parse(files[SRC + "pathAssistants/Expansion_Path.pathAssistant-meta.xml"], "p")
    assert path.get("recordTypeName") == "Expansion"
    assert [s.get("picklistValueName") for s in path.all("pathAssistantSteps")][:2] == [
        "Discovery",
        "Proposal & Pricing",
    ]


# -- Opportunity processes as motions ----------------------------------------------------


def opportunity_processes(org: Path) -> dict[str, list[str]]:
    """The org's own Opportunity processes as written: name -> its values in order."""
    out = {}
    for (kind, obj, name), fields in components(org).items():
        if kind == "BusinessProcess" and obj == "Opportunity" and not name.count("__"):
            out[name] = [written for written, _ in fields.get("values", [])]
    return out


@pytest.mark.parametrize("org", cases(ORGS, "Salesforce orgs"))
def test_every_real_opportunity_process_becomes_a_motion(org: Path, tmp_path: Path) -> None:
    """Each of the org's own Opportunity processes is a motion (its values the
    motion's stages, in order), bound to its process entry; the playbook passes
    the schema and every reference resolves."""
    from gtmplay.pipeline import check_path

    doc = imported_org(org).doc
    processes = opportunity_processes(org)
    motions = {m["id"]: m for m in doc.get("motions", [])}
    bound = {
        p["name"]: motions[p["motion"]]
        for p in doc.get("crm", {}).get("salesforce", {}).get("processes", [])
        if "motion" in p
    }
    assert sorted(bound) == sorted(n for n, values in processes.items() if values)
    assert len(motions) == len(bound)
    for name, motion in bound.items():
        assert len(motion["stages"]) == len(processes[name])
    write_playbook(Imported(doc=doc, sources=[str(org)]), tmp_path / "pb")
    result = check_path(str(tmp_path / "pb"))
    foundation = [f"{f.rule} {f.message}" for f in result.findings if f.rule < "GTM100"]
    assert foundation == []


def test_a_motion_edit_reaches_its_process(tmp_path: Path) -> None:
    """The process comes from the motion: a stage taken out of the motion is
    out of the exported process, and the motion's default is the process's."""
    org = realworld_dir() / "salesforce" / "Cloud-Orca__cooperparry"
    doc = import_salesforce([str(org)]).doc
    renewal = next(m for m in doc["motions"] if m["name"] == "Renewal")
    dropped = renewal["stages"].pop(0)
    renewal["default_stage"] = renewal["stages"][-1]
    after = components(exported_tree(doc, tmp_path))[("BusinessProcess", "Opportunity", "Renewal")]
    before = components(org)[("BusinessProcess", "Opportunity", "Renewal")]
    assert [name for name, _ in after["values"]] == [name for name, _ in before["values"]][1:]
    assert [default for _, default in after["values"]] == ["false"] * (len(after["values"]) - 1) + [
        "true"
    ]
    assert dropped not in renewal["stages"]


def test_a_motion_added_to_an_imported_org_gets_its_own_process(tmp_path: Path) -> None:
    org = realworld_dir() / "salesforce" / "Cloud-Orca__cooperparry"
    doc = import_salesforce([str(org)]).doc
    first = doc["motions"][0]
    doc["motions"].append({"id": "partner", "name": "Partner", "stages": first["stages"][:2]})
    got = components(exported_tree(doc, tmp_path))
    assert ("BusinessProcess", "Opportunity", "Partner") in got
    assert ("RecordType", "Opportunity", "partner") in got
    assert set(components(org)) < set(got)


def test_a_process_without_values_or_motion_is_said() -> None:
    doc = {
        "gtmplay": 1,
        "name": "T",
        "stages": [stage("open", "Open", 10)],
        "motions": [{"id": "direct", "name": "Direct", "stages": ["open"]}],
        "crm": {
            "salesforce": {
                "processes": [
                    {"name": "P", "object": "Opportunity"},
                    {"name": "Q", "object": "Opportunity", "motion": "direct"},
                    {"name": "R", "object": "Opportunity", "motion": "gone"},
                ]
            }
        },
    }
    ctx = context(build_playbook(doc))
    files = salesforce.render(ctx)
    assert [w for w in ctx.warnings if "process" in w] == [
        "salesforce: process P has neither values nor a motion; written without values",
        "salesforce: process R names motion 'gone', which the playbook does not declare; "
        "written without values",
    ]
    q = files[SRC + "objects/Opportunity/businessProcesses/Q.businessProcess-meta.xml"]
    assert b"<fullName>Open</fullName>" in q and b"<default>false</default>" in q
