"""Property tests of the whole pipeline: check, build (every target) and import.

Run longer with ``HYPOTHESIS_PROFILE=long python -m pytest tests/fuzz``.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.mutations import mutate
from fuzz.strategies import playbooks
from gtmplay.services.build import TARGETS

from .support import Outcome, assert_position, cli, inside_tmp, read_tree, write_tree

EXAMPLE = Path(__file__).resolve().parents[2] / "playbooks" / "acme"
ALL_TARGETS = ",".join(TARGETS)
# the build is the slow part: a third of the profile's examples
BUILD_EXAMPLES = max(5, settings.default.max_examples // 3)
FAST = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_json(target: Path) -> tuple[Outcome, list[dict[str, object]]]:
    outcome = cli("check", str(target), "--format", "json", "--fail-on", "error")
    report = json.loads(outcome.out) if outcome.out else {"findings": []}
    findings: list[dict[str, object]] = report["findings"]
    for f in findings:
        assert_position(str(f["file"]), int(str(f["line"])), int(str(f["column"])))
    return outcome, findings


@FAST
@given(playbooks())
def test_valid_playbooks_check_with_valid_positions_deterministically(
    files: dict[str, str],
) -> None:
    with inside_tmp():
        root = write_tree(Path("pb"), dict(files))
        first, findings = check_json(root)
        assert first.code in (0, 1)
        # generated playbooks are valid: only alignment rules may speak (GTM1xx and up)
        assert all(str(f["rule"]) >= "GTM100" for f in findings), findings
        assert cli("check", str(root), "--format", "json", "--fail-on", "error") == first


@settings(FAST, max_examples=BUILD_EXAMPLES)
@given(playbooks())
def test_valid_playbooks_build_every_target_byte_identically(files: dict[str, str]) -> None:
    with inside_tmp():
        root = write_tree(Path("pb"), dict(files))
        builds = []
        for out in ("out1", "out2"):
            outcome = cli("build", str(root), "-o", out, "--only", ALL_TARGETS, "--force")
            assert outcome.code == 0, outcome.err
            builds.append(read_tree(Path(out)))
        assert builds[0] == builds[1]
        assert {name.split("/")[0] for name in builds[0]} >= set(TARGETS)
        # what the CRM exports wrote, the importers read back
        for args in (
            ("hubspot", "out1/hubspot/deal-pipeline.json"),
            ("salesforce", "out1/salesforce/force-app"),
        ):
            imported = cli("import", *args, "-o", f"imported-{args[0]}")
            assert imported.code in (0, 2), imported.err
            if imported.code == 0:
                again, _ = check_json(Path(f"imported-{args[0]}"))
                assert again.code in (0, 1)


@FAST
@given(playbooks(), st.data())
def test_mutated_playbooks_never_crash(files: dict[str, str], data: st.DataObject) -> None:
    with inside_tmp():
        name = data.draw(st.sampled_from(sorted(files)))
        mutated: dict[str, str | bytes] = dict(files)
        mutated[name] = data.draw(mutate(files[name].encode("utf-8")))
        root = write_tree(Path("pb"), mutated)
        outcome, _ = check_json(root)
        if outcome.code != 2:
            built = cli("build", str(root), "-o", "out", "--only", ALL_TARGETS, "--force")
            assert built.code in (0, 1, 2)


@FAST
@given(st.data())
def test_mutated_example_never_crashes(data: st.DataObject) -> None:
    with inside_tmp():
        root = Path("pb")
        shutil.copytree(EXAMPLE, root)
        files = sorted(p for p in root.rglob("*.yaml"))
        for path in data.draw(st.lists(st.sampled_from(files), min_size=1, max_size=3)):
            path.write_bytes(data.draw(mutate(path.read_bytes())))
        check_json(root)


@functools.cache
def crm_exports() -> dict[str, bytes]:
    """The example's HubSpot and Salesforce exports, built once per process (a build
    is byte-identical each time): each example below mutates its own copy."""
    with inside_tmp():
        assert cli("build", str(EXAMPLE), "-o", "out", "--only", "hubspot,salesforce").code == 0
        return read_tree(Path("out"))


@FAST
@given(st.data())
def test_mutated_crm_files_import_or_fail_cleanly(data: st.DataObject) -> None:
    with inside_tmp():
        write_tree(Path("out"), dict(crm_exports()))
        deal = Path("out/hubspot/deal-pipeline.json")
        deal.write_bytes(data.draw(mutate(deal.read_bytes())))
        assert cli("import", "hubspot", str(deal), "-o", "imp-h").code in (0, 2)
        xml = sorted(Path("out/salesforce").rglob("*.xml"))
        victim = data.draw(st.sampled_from(xml))
        victim.write_bytes(data.draw(mutate(victim.read_bytes())))
        assert cli("import", "salesforce", "out/salesforce", "-o", "imp-s").code in (0, 2)
