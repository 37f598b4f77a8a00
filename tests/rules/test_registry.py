"""The registry knows every rule, once, with complete documentation."""

from __future__ import annotations

import importlib
import re

import pytest

from gtmplay import ruleids
from gtmplay.findings import Level
from gtmplay.rules import RULE_MODULES
from gtmplay.rules.builtin import BUILTIN
from gtmplay.rules.registry import all_rules, find_rule, rule_keys

_NAME = re.compile(r"[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def test_every_foundation_rule_is_documented_under_its_constant() -> None:
    declared = {v.id: v.name for v in vars(ruleids).values() if isinstance(v, ruleids.RuleId)}
    documented = {info.id: info.name for info in BUILTIN}
    assert documented == declared
    assert len(declared) == 16


def test_ids_are_in_order_and_names_unique() -> None:
    rules = all_rules()
    assert list(rules) == sorted(rules)
    names = [info.name for info in rules.values()]
    assert len(names) == len(set(names))
    assert len(rules) == 16 + len(RULE_MODULES)


@pytest.mark.parametrize("module_name", RULE_MODULES)
def test_rule_module_is_complete(module_name: str) -> None:
    module = importlib.import_module(module_name)
    number = module.ID[3:]
    assert module_name.rsplit(".", 1)[1].startswith(f"gtm{number}_")
    area = {
        "1": "coverage",
        "2": "handoff",
        "3": "coherence",
        "4": "strategy",
        "5": "crm",
        "6": "measure",
    }[number[0]]
    assert module.NAME.startswith(f"{area}.") and _NAME.match(module.NAME)
    assert isinstance(module.LEVEL, Level)
    assert module.SUMMARY.endswith(".") and "\n" not in module.SUMMARY
    doc = all_rules()[module.ID].doc
    assert "Failing" in doc and "Passing" in doc and doc.count("```") >= 4


def test_every_doc_has_failing_and_passing_examples() -> None:
    for info in all_rules().values():
        assert "Failing" in info.doc and "Passing" in info.doc, info.id
        assert not info.doc.startswith((" ", "\n")), info.id


def test_find_rule_by_id_any_case_or_by_name() -> None:
    assert find_rule("gtm101") is find_rule("GTM101")
    info = find_rule("coverage.stage-without-marketing")
    assert info is not None and info.id == "GTM101" and info.level is Level.ERROR
    assert find_rule("GTM999") is None
    assert find_rule("coverage.nothing") is None


def test_configurable_rules() -> None:
    rules = all_rules()
    configurable = {rule_id for rule_id, info in rules.items() if info.configurable}
    # of the foundation's rules only the unused-suppression warning may be configured
    assert configurable == {"GTM031", *(r for r in rules if r >= "GTM100")}
    assert not rules["GTM010"].configurable
    assert not rules["GTM030"].configurable


def test_rule_keys_list_ids_then_names() -> None:
    keys = rule_keys()
    assert keys[0] == "GTM001" and "yaml.syntax" in keys and "GTM404" in keys
