"""The rule registry: one place that knows every rule and its documentation.

``gtmplay rules``, ``gtmplay explain``, the SARIF rule metadata and
``docs/rules.md`` all read from here. The foundation's rules (loader, schema,
references) and the configuration rules are documented in
:mod:`gtmplay.rules.builtin`; each alignment rule documents itself in its own
module (constants and docstring), so the text lives next to the code it
describes.
"""

from __future__ import annotations

import importlib
import inspect
import re
from functools import cache

from gtmplay.rules import RULE_MODULES
from gtmplay.rules.builtin import BUILTIN
from gtmplay.rules.info import RuleInfo


@cache
def all_rules() -> dict[str, RuleInfo]:
    """Every rule by id, in id order: the foundation's, configuration's, alignment's."""
    rules = {info.id: info for info in BUILTIN}
    for name in RULE_MODULES:
        module = importlib.import_module(name)
        info = RuleInfo(
            id=module.ID,
            name=module.NAME,
            level=module.LEVEL,
            summary=module.SUMMARY,
            doc=inspect.cleandoc(module.__doc__ or ""),
            configurable=True,
        )
        if info.id in rules:  # pragma: no cover - guarded by tests/rules/test_registry.py
            raise RuntimeError(f"rule id {info.id} is defined twice")
        rules[info.id] = info
    return dict(sorted(rules.items()))


@cache
def _by_name() -> dict[str, RuleInfo]:
    return {info.name: info for info in all_rules().values()}


def find_rule(key: str) -> RuleInfo | None:
    """The rule with id ``key`` (any case) or name ``key``, or None."""
    return all_rules().get(key.strip().upper()) or _by_name().get(key.strip().lower())


def suggest_rule(key: str) -> str:
    """``did you mean "GTM101"?`` for a mistyped rule id or name, or nothing."""
    from gtmplay.didyoumean import suggest

    text = key.strip()
    if text[:3].upper() == "GTM":
        # ids are typed from memory: a letter for a digit, or one digit off
        wanted = "GTM" + text[3:].upper().translate(str.maketrans("OIL", "011"))
        ids = [r for r in all_rules() if len(r) == len(wanted)]
        off = {r: sum(a != b for a, b in zip(r, wanted, strict=True)) for r in ids}
        best = min(ids, key=lambda r: off[r], default=None)
        return f'did you mean "{best}"?' if best is not None and off[best] <= 1 else ""
    return suggest(text, rule_keys())


def rules_by_words(key: str) -> list[RuleInfo]:
    """The rules whose name has the words of ``key`` in the same order, each word of
    ``key`` the start of one of the name's (``coverage.stage-without`` names
    ``coverage.stage-without-marketing``; ``stage-mark`` does too)."""
    wanted = _words(key)
    if not wanted:
        return []
    return [info for info in all_rules().values() if _in_order(wanted, _words(info.name))]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", text.strip().lower()) if w]


def _in_order(wanted: list[str], words: list[str]) -> bool:
    remaining = iter(words)
    return all(any(word.startswith(w) for word in remaining) for w in wanted)


def rule_keys() -> list[str]:
    """Every id and name, for "did you mean" suggestions."""
    rules = all_rules()
    return [*rules, *(info.name for info in rules.values())]
