"""One pass shows everything a person can fix at once: a section that fails the schema is
left out and the rest is still resolved and checked, without a finding the whole playbook
would not have."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from gtmplay.findings import Finding
from gtmplay.pipeline import check_path
from gtmplay.ruleids import SCHEMA_REQUIRED, SCHEMA_TYPE, SCHEMA_UNKNOWN_FIELD, SCHEMA_VALUE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "playbooks" / "acme", ROOT / "playbooks" / "acme-motions"]
SCHEMA_RULES = {r.id for r in (SCHEMA_REQUIRED, SCHEMA_UNKNOWN_FIELD, SCHEMA_TYPE, SCHEMA_VALUE)}


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.rule, f.path, f.message)


def _sections(folder: Path) -> list[tuple[str, str]]:
    """(file, top-level section) of every section in the example's files."""
    found = []
    for path in sorted(folder.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict):
            rel = path.relative_to(folder).as_posix()
            found += [(rel, k) for k in doc if k not in ("gtmplay", "name", "include")]
    return found


def _break(value: Any) -> Any:
    """``value`` with a field the schema does not know, in its first object."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [{**value[0], "not_a_field": 1}, *value[1:]]
    if isinstance(value, dict):
        return {**value, "not_a_field": 1}
    return {"not_a_field": 1}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_a_section_left_out_adds_no_finding_the_whole_playbook_lacks(
    example: Path, tmp_path: Path
) -> None:
    whole = {_key(f) for f in check_path(str(example)).findings}
    checked = 0
    for rel, section in _sections(example):
        copy = tmp_path / f"{section}-{rel.replace('/', '-')}"
        shutil.copytree(example, copy)
        doc = yaml.safe_load((copy / rel).read_text(encoding="utf-8"))
        doc[section] = _break(doc[section])
        (copy / rel).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        result = check_path(str(copy))
        errors = [f for f in result.findings if f.rule in SCHEMA_RULES]
        assert errors and all(f.path.startswith(section) for f in errors), (rel, section)
        assert result.playbook is None and not result.valid  # not a model to build from
        extra = [
            f.text() for f in result.findings if f.rule not in SCHEMA_RULES and _key(f) not in whole
        ]
        assert extra == [], (rel, section)
        checked += 1
    assert checked >= 10


def test_a_schema_error_no_longer_hides_reference_and_rule_findings(tmp_path: Path) -> None:
    (tmp_path / "playbook.yaml").write_text(
        "gtmplay: 1\n"
        "name: Acme\n"
        "teams:\n"
        "  - {id: marketing, name: Marketing, function: marketing}\n"
        "stages:\n"
        "  - {id: proposal, name: Proposal, probability: 60, forecast: bestcase}\n"
        "activities:\n"
        "  - {id: webinar, name: Webinar, kind: webinar, owner: markting, supports: [proposal]}\n",
        encoding="utf-8",
    )
    found = [f.text() for f in check_path(str(tmp_path / "playbook.yaml")).findings]
    text = "\n".join(found)
    assert "playbook.yaml:6:63: error[GTM013] 'forecast' cannot be \"bestcase\"" in text
    # the owner is checked in the same pass; the stage, left out with its section, is not
    assert "playbook.yaml:8:56: error[GTM020] unknown team 'markting'" in text
    assert "unknown stage" not in text
    # a rule reading only the teams still speaks; one reading the stages does not
    assert "error[GTM310] The playbook has no sales team" in text
    assert "[GTM101]" not in text


@pytest.mark.parametrize(
    ("first_lines", "why"),
    [
        ("gtmplay: 2\nname: Acme\n", "the format version"),
        ("gtmplay: 1\nname: [Acme]\n", "the name"),
    ],
)
def test_an_error_in_what_everything_depends_on_still_stops_the_check(
    first_lines: str, why: str, tmp_path: Path
) -> None:
    teams = "teams: [{id: marketing, name: Marketing, function: marketing}]\n"
    (tmp_path / "playbook.yaml").write_text(first_lines + teams, encoding="utf-8")
    rules = {f.rule for f in check_path(str(tmp_path)).findings}
    assert len(rules) == 1 and rules <= SCHEMA_RULES, why
    # with that line right, the rules speak (no sales team...)
    (tmp_path / "playbook.yaml").write_text("gtmplay: 1\nname: Acme\n" + teams, encoding="utf-8")
    assert "GTM310" in {f.rule for f in check_path(str(tmp_path)).findings}
