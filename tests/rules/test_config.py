"""Configuring rules: levels, off, suppressions, gtmplay.toml, fail_on."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmplay.findings import Level
from gtmplay.pipeline import check_path
from gtmplay.rules.runner import configured_fail_on

BASE = (Path(__file__).parent / "fixtures" / "base.yaml").read_text(encoding="utf-8")
END = len(BASE.splitlines())  # checks: blocks are appended after this line
UNSUPPORTED = ("supports: [discovery, proposal]", "supports: [discovery]")
PROPOSAL_EXIT = "    exit: [Proposal accepted]\n"
GTM101_PROPOSAL = ("playbook.yaml", 26, 5, "GTM101", Level.ERROR)

Row = tuple[str, int, int, str, Level]


def write(
    tmp_path: Path,
    edits: list[tuple[str, str]] = (),  # type: ignore[assignment]
    tail: str = "",
    toml: str | None = None,
) -> Path:
    text = BASE
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "playbook.yaml").write_text(text + tail, encoding="utf-8")
    if toml is not None:
        (tmp_path / "gtmplay.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def rows(folder: Path) -> list[Row]:
    return [
        (Path(f.file).name, f.line, f.column, f.rule, f.level)
        for f in check_path(str(folder)).findings
    ]


def only(folder: Path) -> tuple[str, str, str]:
    (finding,) = check_path(str(folder)).findings
    return finding.rule, finding.message, finding.hint


def test_base_is_clean(tmp_path: Path) -> None:
    assert rows(write(tmp_path)) == []


def test_default_level(tmp_path: Path) -> None:
    assert rows(write(tmp_path, [UNSUPPORTED])) == [GTM101_PROPOSAL]


@pytest.mark.parametrize("key", ["GTM101", "coverage.stage-without-marketing"])
def test_level_override_by_id_or_name(tmp_path: Path, key: str) -> None:
    tail = f"checks:\n  rules:\n    {key}: note\n"
    assert rows(write(tmp_path, [UNSUPPORTED], tail)) == [
        ("playbook.yaml", 26, 5, "GTM101", Level.NOTE)
    ]


@pytest.mark.parametrize("value", ['"off"', "'off'"])
def test_off_drops_the_rule(tmp_path: Path, value: str) -> None:
    tail = f"checks:\n  rules:\n    GTM101: {value}\n"
    assert rows(write(tmp_path, [UNSUPPORTED], tail)) == []


def test_bare_off_must_be_quoted(tmp_path: Path) -> None:
    # YAML 1.1 reads a bare off as false; the schema check says to quote it
    tail = "checks:\n  rules:\n    GTM101: off\n"
    findings = check_path(str(write(tmp_path, [UNSUPPORTED], tail))).findings
    assert [(f.line, f.column, f.rule, f.hint) for f in findings] == [
        (END + 3, 13, "GTM003", 'quote it: "off"'),
        (END + 3, 13, "GTM013", 'quote it: "off" (YAML 1.1 reads it as false)'),
    ]


def test_unknown_rule_in_playbook_is_reported_at_the_key(tmp_path: Path) -> None:
    tail = "checks:\n  rules:\n    GTM199: warning\n"
    folder = write(tmp_path, [], tail)
    assert rows(folder) == [("playbook.yaml", END + 3, 5, "GTM030", Level.ERROR)]
    assert only(folder) == ("GTM030", "unknown rule 'GTM199'", 'did you mean "GTM109"?')
    assert check_path(str(folder)).findings[0].path == "checks.rules.GTM199"


def test_misspelt_rule_name_gets_the_name_suggested(tmp_path: Path) -> None:
    tail = "checks:\n  rules:\n    coverage.unused-assets: 'off'\n"
    assert only(write(tmp_path, [], tail)) == (
        "GTM030",
        "unknown rule 'coverage.unused-assets'",
        'did you mean "coverage.unused-asset"?',
    )


def test_foundation_rules_cannot_be_configured(tmp_path: Path) -> None:
    tail = "checks:\n  rules:\n    GTM020: 'off'\n"
    assert only(write(tmp_path, [], tail)) == (
        "GTM030",
        "rule GTM020 (ref.unresolved) cannot be configured",
        "problems with YAML, the schema and references must be fixed",
    )


def test_suppression_drops_the_finding_on_its_object(tmp_path: Path) -> None:
    suppress = "    suppress:\n      - {rule: GTM101, reason: Partners market this stage}\n"
    edits = [UNSUPPORTED, (PROPOSAL_EXIT, PROPOSAL_EXIT + suppress)]
    assert rows(write(tmp_path, edits)) == []


def test_suppression_by_name_covers_objects_within(tmp_path: Path) -> None:
    # GTM203 is reported on the handoff's sla; the suppression sits on the handoff
    edits = [
        ("attempts: 6, window: 10d", "window: 10d"),
        (
            "    on_reject: nurture\n",
            "    on_reject: nurture\n    suppress:\n"
            "      - rule: handoff.sla-without-attempts\n"
            "        reason: The SDRs work inbound leads until they answer\n",
        ),
    ]
    assert rows(write(tmp_path, edits)) == []


def test_suppression_on_another_object_does_not_apply(tmp_path: Path) -> None:
    suppress = "    suppress:\n      - {rule: GTM101, reason: wrong stage}\n"
    edits = [
        UNSUPPORTED,
        ("    exit: [Pain confirmed]\n", "    exit: [Pain confirmed]\n" + suppress),
    ]
    folder = write(tmp_path, edits)
    assert rows(folder) == [
        ("playbook.yaml", 27, 9, "GTM031", Level.WARNING),
        ("playbook.yaml", 28, 5, "GTM101", Level.ERROR),
    ]
    unused = check_path(str(folder)).findings[0]
    assert unused.message == "Suppression of GTM101 matches no finding here"
    assert unused.path == "stages[discovery].suppress[0]"


def test_suppression_of_an_unknown_rule(tmp_path: Path) -> None:
    suppress = "    suppress:\n      - rule: GTM1011\n        reason: typo\n"
    edits = [UNSUPPORTED, (PROPOSAL_EXIT, PROPOSAL_EXIT + suppress)]
    assert rows(write(tmp_path, edits)) == [
        GTM101_PROPOSAL,
        ("playbook.yaml", 33, 15, "GTM030", Level.ERROR),
    ]


def test_suppression_needs_a_reason(tmp_path: Path) -> None:
    suppress = "    suppress:\n      - rule: GTM101\n"
    edits = [UNSUPPORTED, (PROPOSAL_EXIT, PROPOSAL_EXIT + suppress)]
    findings = check_path(str(write(tmp_path, edits))).findings
    assert [(f.line, f.column, f.rule) for f in findings] == [(33, 9, "GTM010")]
    assert findings[0].message.startswith("missing required field 'reason'")


def test_unused_suppression_of_a_rule_turned_off_is_not_reported(tmp_path: Path) -> None:
    suppress = "    suppress:\n      - {rule: GTM101, reason: covered by partners}\n"
    tail = "checks:\n  rules:\n    GTM101: 'off'\n"
    assert rows(write(tmp_path, [(PROPOSAL_EXIT, PROPOSAL_EXIT + suppress)], tail)) == []


def test_unused_suppression_level_is_configurable(tmp_path: Path) -> None:
    suppress = "    suppress:\n      - {rule: GTM101, reason: covered by partners}\n"
    tail = "checks:\n  rules:\n    config.unused-suppression: note\n"
    assert rows(write(tmp_path, [(PROPOSAL_EXIT, PROPOSAL_EXIT + suppress)], tail)) == [
        ("playbook.yaml", 33, 9, "GTM031", Level.NOTE)
    ]


def test_toml_sets_levels(tmp_path: Path) -> None:
    toml = '[rules]\nGTM101 = "warning"\n"coverage.unused-asset" = "off"\n'
    edits = [UNSUPPORTED, ("assets: [roi]", "assets: []")]
    assert rows(write(tmp_path, edits, toml=toml)) == [
        ("playbook.yaml", 26, 5, "GTM101", Level.WARNING)
    ]


def test_toml_unquoted_dotted_rule_name(tmp_path: Path) -> None:
    toml = "[rules]\ncoverage.stage-without-marketing = 'note'\n"
    assert rows(write(tmp_path, [UNSUPPORTED], toml=toml)) == [
        ("playbook.yaml", 26, 5, "GTM101", Level.NOTE)
    ]


def test_playbook_wins_over_toml(tmp_path: Path) -> None:
    toml = 'fail_on = "note"\n[rules]\nGTM101 = "off"\n'
    tail = "checks:\n  fail_on: warning\n  rules:\n    GTM101: warning\n"
    folder = write(tmp_path, [UNSUPPORTED], tail, toml)
    assert rows(folder) == [("playbook.yaml", 26, 5, "GTM101", Level.WARNING)]
    assert configured_fail_on(check_path(str(folder))) == "warning"


def test_fail_on_from_toml_alone(tmp_path: Path) -> None:
    folder = write(tmp_path, toml='fail_on = "note"\n')
    assert configured_fail_on(check_path(str(folder))) == "note"


def test_no_fail_on_configured(tmp_path: Path) -> None:
    assert configured_fail_on(check_path(str(write(tmp_path)))) is None


def test_unknown_rule_in_toml_is_reported_at_its_line(tmp_path: Path) -> None:
    toml = '# shared settings\n[rules]\n  "coverage.stage-without-marketting" = "off"\n'
    folder = write(tmp_path, toml=toml)
    assert rows(folder) == [("gtmplay.toml", 3, 3, "GTM030", Level.ERROR)]
    assert only(folder)[2] == 'did you mean "coverage.stage-without-marketing"?'


def test_bad_level_in_toml(tmp_path: Path) -> None:
    folder = write(tmp_path, toml='[rules]\nGTM101 = "warn"\n')
    assert rows(folder) == [("gtmplay.toml", 2, 1, "GTM032", Level.ERROR)]
    assert only(folder) == (
        "GTM032",
        "'warn' is not a rule level",
        "use error, warning, note or off",
    )


def test_bad_fail_on_in_toml(tmp_path: Path) -> None:
    folder = write(tmp_path, toml="fail_on = 3\n")
    assert rows(folder) == [("gtmplay.toml", 1, 1, "GTM032", Level.ERROR)]
    assert only(folder)[1] == "fail_on cannot be 3"


def test_invalid_toml_is_reported_at_its_line(tmp_path: Path) -> None:
    folder = write(tmp_path, toml='[rules]\nGTM101 = "warning\n')
    (finding,) = check_path(str(folder)).findings
    assert (Path(finding.file).name, finding.line, finding.rule) == ("gtmplay.toml", 2, "GTM032")
    assert finding.message.startswith("not valid TOML: ")


def test_extension_keys_in_checks_rules_are_ignored(tmp_path: Path) -> None:
    tail = "checks:\n  rules:\n    x-owner: revops\n"
    assert rows(write(tmp_path, [], tail)) == []


def test_unknown_setting_in_toml(tmp_path: Path) -> None:
    folder = write(tmp_path, toml='[rule]\nGTM101 = "off"\n')
    assert rows(folder) == [("gtmplay.toml", 1, 2, "GTM032", Level.ERROR)]
    assert only(folder) == (
        "GTM032",
        "unknown setting 'rule' in gtmplay.toml",
        'did you mean "rules"?',
    )


def _acme_copy(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "acme"
    shutil.copytree(Path(__file__).resolve().parents[2] / "playbooks" / "acme", target)
    return target


def test_suppression_on_the_strategy(tmp_path: Path) -> None:
    acme = _acme_copy(tmp_path)
    strategy = acme / "strategy.yaml"
    text = strategy.read_text(encoding="utf-8")
    text = text.replace("sales_role: trusted-specialist", "sales_role: political-insider")
    strategy.write_text(text, encoding="utf-8")
    assert [r[3] for r in rows(acme)] == ["GTM404"]
    text = text.replace(
        "  sales_role: political-insider\n",
        "  sales_role: political-insider\n  suppress:\n"
        "    - {rule: GTM404, reason: Enterprise deals need executive access}\n",
    )
    strategy.write_text(text, encoding="utf-8")
    assert rows(acme) == []


def test_suppression_on_scoring(tmp_path: Path) -> None:
    acme = _acme_copy(tmp_path)
    scoring = acme / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8").replace("threshold: 60", "threshold: 6000")
    scoring.write_text(text, encoding="utf-8")
    assert [r[3] for r in rows(acme)] == ["GTM307"]
    text = text.replace(
        "threshold: 6000\n",
        "threshold: 6000\n  suppress:\n    - {rule: GTM307, reason: Sales decides by hand}\n",
    )
    scoring.write_text(text, encoding="utf-8")
    assert rows(acme) == []
