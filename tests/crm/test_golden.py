"""Golden CRM exports of the example playbook (regenerate: scripts/regen_golden_crm.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from .support import EXAMPLE, ROOT, xsd_errors

GOLDEN = ROOT / "tests" / "golden" / "crm"


def _render(example: Path = EXAMPLE) -> dict[str, bytes]:
    spec = importlib.util.spec_from_file_location("regen", ROOT / "scripts" / "regen_golden_crm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    files: dict[str, bytes] = module.render_crm(example)
    return files


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    if not (EXAMPLE / "playbook.yaml").is_file():
        pytest.skip("the example playbooks/acme is not there")
    return _render()


def test_exports_match_golden_files(rendered: dict[str, bytes]) -> None:
    golden = _tree(GOLDEN)
    assert sorted(rendered) == sorted(golden), "run scripts/regen_golden_crm.py and review"
    for name, data in rendered.items():
        assert data == golden[name], f"{name} differs: run scripts/regen_golden_crm.py and review"


def test_exports_are_deterministic(rendered: dict[str, bytes]) -> None:
    assert _render() == rendered


def test_every_example_salesforce_file_is_valid(
    rendered: dict[str, bytes], salesforce_xsd: Any
) -> None:
    xml = {p: d for p, d in rendered.items() if p.startswith("salesforce/") and p.endswith(".xml")}
    assert len(xml) == 10
    assert {p: xsd_errors(salesforce_xsd, d) for p, d in xml.items()} == {p: [] for p in xml}


def test_example_round_trips_through_import(rendered: dict[str, bytes], tmp_path: Path) -> None:
    from gtmplay.crm.salesforce import exporter as salesforce
    from gtmplay.crm.salesforce.importer import import_salesforce
    from gtmplay.model import build_playbook
    from gtmplay.render import BuildContext

    for rel, data in rendered.items():
        if rel.startswith("salesforce/"):
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_bytes(data)
    imported = import_salesforce([str(tmp_path / "salesforce")])
    ctx = BuildContext(playbook=build_playbook(imported.doc), result=None)  # type: ignore[arg-type]
    again = salesforce.render(ctx)
    first = {k: v for k, v in rendered.items() if k.startswith("salesforce/")}
    assert sorted(again) == sorted(first)
    for name in first:
        assert again[name] == first[name], name


def test_example_hubspot_payloads_pass_the_official_models(rendered: dict[str, bytes]) -> None:
    import json

    pytest.importorskip("hubspot", reason="hubspot-api-client is a test dependency")
    from hubspot.crm import pipelines, properties

    from .test_hubspot import accepted

    deal = json.loads(rendered["hubspot/deal-pipeline.json"])
    assert accepted(pipelines, "PipelineInput", deal) == deal
    lead = json.loads(rendered["hubspot/lead-status.json"])
    assert accepted(properties, "PropertyUpdate", lead) == lead


# -- the example with two sales motions -------------------------------------------------

MOTIONS_EXAMPLE = ROOT / "playbooks" / "acme-motions"
MOTIONS_GOLDEN = ROOT / "tests" / "golden" / "crm-motions"


@pytest.fixture(scope="module")
def motions_rendered() -> dict[str, bytes]:
    if not (MOTIONS_EXAMPLE / "playbook.yaml").is_file():
        pytest.skip("the example playbooks/acme-motions is not there")
    return _render(MOTIONS_EXAMPLE)


def test_motion_exports_match_golden_files(motions_rendered: dict[str, bytes]) -> None:
    golden = _tree(MOTIONS_GOLDEN)
    assert sorted(motions_rendered) == sorted(golden), "run scripts/regen_golden_crm.py"
    for name, data in motions_rendered.items():
        assert data == golden[name], f"{name} differs: run scripts/regen_golden_crm.py and review"
    assert _render(MOTIONS_EXAMPLE) == motions_rendered


def test_motion_hubspot_payloads_pass_the_official_models(
    motions_rendered: dict[str, bytes],
) -> None:
    import json

    pytest.importorskip("hubspot", reason="hubspot-api-client is a test dependency")
    from hubspot.crm import pipelines

    from .test_hubspot import accepted

    names = [n for n in motions_rendered if n.startswith("hubspot/deal-pipeline-")]
    assert names == [
        "hubspot/deal-pipeline-expansion.json",
        "hubspot/deal-pipeline-new-business.json",
    ]
    for name in names:
        deal = json.loads(motions_rendered[name])
        assert accepted(pipelines, "PipelineInput", deal) == deal
