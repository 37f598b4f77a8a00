"""Rule configuration: level overrides, ``off``, and ``fail_on``.

Two places configure the rules of a playbook:

* ``checks:`` in the playbook itself (``checks.rules``: rule id or name ->
  ``error`` / ``warning`` / ``note`` / ``off``; ``checks.fail_on``);
* ``gtmplay.toml`` beside the root playbook file (a ``[rules]`` table of the
  same shape, and a top-level ``fail_on``), for settings a repository shares.

The playbook wins where both set the same rule: it is the more specific of
the two and is reviewed together with the content it configures.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmplay.didyoumean import suggest
from gtmplay.findings import Finding, Level, Span, at
from gtmplay.model import Checks
from gtmplay.paths import semantic_path
from gtmplay.result import Result
from gtmplay.ruleids import CONFIG_INVALID, CONFIG_UNKNOWN_RULE
from gtmplay.rules.info import RuleInfo
from gtmplay.rules.registry import find_rule, suggest_rule

TOML_NAME = "gtmplay.toml"
_LEVELS = ("error", "warning", "note", "off")


@dataclass(slots=True)
class Config:
    """The effective configuration: rule id -> level (None: off)."""

    levels: dict[str, Level | None] = field(default_factory=dict)
    fail_on: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def level(self, info: RuleInfo) -> Level | None:
        return self.levels.get(info.id, info.level)


def unknown_rule(key: str, span: Span, path: str) -> Finding:
    """GTM030 for ``key``, which names no rule or one that cannot be configured."""
    info = find_rule(key)
    if info is not None:
        message = f"rule {info.id} ({info.name}) cannot be configured"
        hint = "problems with YAML, the schema and references must be fixed"
    else:
        message = f"unknown rule {key!r}"
        hint = suggest_rule(key) or "see gtmplay rules for the list"
    return at(span, CONFIG_UNKNOWN_RULE, message, path=path, hint=hint)


def _invalid(span: Span, message: str, hint: str = "", path: str = "") -> Finding:
    return at(span, CONFIG_INVALID, message, path=path, hint=hint)


def _parse_level(value: Any) -> str | None:
    # YAML 1.1 reads a plain `off` as false; take it as meant
    if value is False:
        return "off"
    return value.lower() if isinstance(value, str) and value.lower() in _LEVELS else None


def _apply(config: Config, key: str, level: str) -> None:
    info = find_rule(key)
    assert info is not None
    config.levels[info.id] = None if level == "off" else Level.parse(level)


def load(result: Result) -> Config:
    """The configuration of the playbook of ``result``."""
    config = Config()
    toml_path = _toml_path(result)
    if toml_path is not None:
        _load_toml(config, toml_path)
    checks = result.playbook.checks if result.playbook else Checks()
    if checks.rules:
        for key, value in checks.rules.items():
            if str(key).startswith("x-"):
                continue  # extension keys are the user's own (the schema allows them)
            path = ("checks", "rules", key)
            spath = semantic_path(result.doc, path)
            info = find_rule(str(key))
            if info is None or not info.configurable:
                span = result.smap.locate(result.doc, path, key=True)
                config.findings.append(unknown_rule(str(key), span, spath))
                continue
            level = _parse_level(value)
            if level is None:
                span = result.smap.locate(result.doc, path)
                config.findings.append(
                    _invalid(span, f"{value!r} is not a rule level", _LEVEL_HINT, spath)
                )
                continue
            _apply(config, str(key), level)
    if checks.fail_on is not None:
        config.fail_on = checks.fail_on
    return config


_LEVEL_HINT = "use error, warning, note or off"


def _toml_path(result: Result) -> str | None:
    if not result.files:
        return None
    path = os.path.join(os.path.dirname(result.files[0]), TOML_NAME)
    return Path(path).as_posix() if os.path.isfile(path) else None


def _load_toml(config: Config, path: str) -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    whole = Span(path, 1, 1, 1, 1)
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        config.findings.append(_invalid(whole, f"cannot read {TOML_NAME}: {exc}"))
        return
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        span = whole
        if where:
            line, column = int(where[1]), int(where[2])
            span = Span(path, line, column, line, column + 1)
        message = re.sub(r"\s*\(at .*\)$", "", str(exc))
        config.findings.append(_invalid(span, f"not valid TOML: {message}", "fix the syntax"))
        return
    lines = dict(_key_lines(text))
    for key in data:
        if key not in ("rules", "fail_on") and not key.startswith("x-"):
            line, column = lines.get(((), key), lines.get((key, ""), (1, 1)))
            config.findings.append(
                _invalid(
                    Span(path, line, column, line, column + len(key)),
                    f"unknown setting {key!r} in {TOML_NAME}",
                    suggest(key, ("rules", "fail_on")) or "it holds [rules] and fail_on",
                    key,
                )
            )
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        config.findings.append(_invalid(whole, "[rules] must be a table", _LEVEL_HINT))
        rules = {}
    for key, value in _flat(rules):
        line, column = lines.get(("rules", key), (1, 1))
        span = Span(path, line, column, line, column + len(key))
        spath = f"rules.{key}"
        info = find_rule(key)
        if info is None or not info.configurable:
            config.findings.append(unknown_rule(key, span, spath))
            continue
        level = _parse_level(value)
        if level is None:
            config.findings.append(
                _invalid(span, f"{value!r} is not a rule level", _LEVEL_HINT, spath)
            )
            continue
        _apply(config, key, level)
    fail_on = data.get("fail_on")
    if fail_on is not None:
        if isinstance(fail_on, str) and fail_on.lower() in _LEVELS[:3]:
            config.fail_on = fail_on.lower()
        else:
            line, column = lines.get(((), "fail_on"), (1, 1))
            config.findings.append(
                _invalid(
                    Span(path, line, column, line, column + 7),
                    f"fail_on cannot be {fail_on!r}",
                    "use error, warning or note",
                    "fail_on",
                )
            )


def _flat(table: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    # an unquoted rule name is a dotted key to TOML: coverage.unused-asset = "off"
    # makes {"coverage": {"unused-asset": "off"}}; join it back
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


_TABLE = re.compile(r"\s*\[([^\[\]]+)\]\s*(?:#.*)?$")
_KEY = re.compile(r"(\s*)(\"([^\"]+)\"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=")


def _key_lines(text: str) -> Iterator[tuple[tuple[Any, str], tuple[int, int]]]:
    """Where each key of the simple tables we read is written: (table, key) -> (line, col).

    tomllib keeps no positions; a line scan is enough for the flat tables
    this file holds, and a key it cannot place is reported at line 1.
    """
    table: Any = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            table = header[1].strip()
            yield (table, ""), (number, line.index("[") + 2)
            continue
        key = _KEY.match(line)
        if key:
            name = key[3] or key[4] or key[5]
            yield (table, name), (number, len(key[1]) + 1)
