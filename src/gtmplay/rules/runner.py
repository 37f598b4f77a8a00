"""Running the rules: problems to findings, configuration, suppressions.

Kept out of ``rules/__init__.py`` so that importing the package (which the
registry does) stays cheap; the pipeline calls :func:`run`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gtmplay.coverage import coverage
from gtmplay.findings import Finding, Level, at
from gtmplay.model import KINDS, Playbook, Suppression
from gtmplay.paths import semantic_path
from gtmplay.result import Result
from gtmplay.ruleids import CONFIG_UNUSED_SUPPRESSION
from gtmplay.rules import RULE_MODULES, config
from gtmplay.rules.context import Problem, RuleContext
from gtmplay.rules.info import RuleInfo
from gtmplay.rules.reads import Watch
from gtmplay.rules.registry import all_rules, find_rule

if TYPE_CHECKING:
    from gtmplay.measure.figures import Measurement


def run(
    result: Result,
    left_out: frozenset[str] = frozenset(),
    measurement: Measurement | None = None,
) -> list[Finding]:
    """The findings of ``result`` plus those of the rules, configured and suppressed.

    ``left_out``: top-level sections the pipeline left out because they failed
    the schema. A rule that reads one of them is not heard (see
    :mod:`gtmplay.rules.reads`); without ``checks`` no rule runs, since its
    levels and suppressions are unknown. With ``measurement`` (from
    ``gtmplay measure``) the GTM6xx rules compare it with the playbook;
    without it they find nothing.
    """
    playbook, index = result.playbook, result.index
    findings = list(result.findings)
    if playbook is None or index is None or "checks" in left_out:
        return findings
    cfg = config.load(result)
    findings.extend(cfg.findings)
    rules = all_rules()
    watch = Watch(playbook, index) if left_out else None
    ctx = None
    if watch is None:  # the pipeline's coverage when it has one (the docs read it too)
        cov = result.coverage if result.coverage is not None else coverage(playbook)
        ctx = RuleContext(playbook, index, cov, measurement)
    raised: list[Finding] = []
    for module_name in RULE_MODULES:
        module: Any = importlib.import_module(module_name)
        info = rules[module.ID]
        level = cfg.level(info)
        if level is None:
            continue
        if watch is None:
            problems = list(module.check(ctx))
        else:
            problems = list(module.check(RuleContext(*watch.start())))
            if watch.touched(left_out):
                continue
        raised.extend(_finding(result, info, level, p) for p in problems)
    kept, unused, bad = _suppress(result, raised, playbook)
    findings.extend(kept)
    findings.extend(bad)
    unused_info = rules[CONFIG_UNUSED_SUPPRESSION.id]
    unused_level = cfg.level(unused_info)
    # with sections left out, a suppression may be unused only because its rule was not heard
    if unused_level is not None and not left_out:
        for supp in unused:
            if cfg.level(rules[_rule_id(supp)]) is None:
                continue  # the rule is off: its suppressions wait for it to return
            findings.append(
                _finding(
                    result,
                    unused_info,
                    unused_level,
                    Problem(
                        supp.path,
                        f"Suppression of {supp.rule} matches no finding here",
                        hint="remove it: the problem it silenced is gone",
                    ),
                )
            )
    return findings


def configured_fail_on(result: Result) -> str | None:
    """``fail_on`` as the playbook (``checks.fail_on``) or ``gtmplay.toml`` set it."""
    if result.playbook is None:
        return None
    return config.load(result).fail_on


def _finding(result: Result, info: RuleInfo, level: Level, problem: Problem) -> Finding:
    path = problem.path if problem.key is None else (*problem.path, problem.key)
    return at(
        result.smap.locate(result.doc, path),
        (info.id, info.name),
        problem.message,
        level=level,
        path=semantic_path(result.doc, path),
        hint=problem.hint,
    )


def _rule_id(supp: Suppression) -> str:
    info = find_rule(supp.rule)
    assert info is not None
    return info.id


def _suppressible(playbook: Playbook) -> Iterator[Any]:
    for kind in KINDS:
        if kind.suppressible:
            yield from kind.items(playbook)
    yield from (one for one in (playbook.strategy, playbook.scoring) if one is not None)


def _prefixes(path: str) -> Iterator[str]:
    """``stages[a].sla`` -> ``stages``, ``stages[a]``, ``stages[a].sla``.

    Ids cannot contain ``.`` or ``[`` (the schema's id pattern), so the
    boundaries are unambiguous.
    """
    for i, char in enumerate(path):
        if char in ".[" and i:
            yield path[:i]
    yield path


def _suppress(
    result: Result, raised: list[Finding], playbook: Playbook
) -> tuple[list[Finding], list[Suppression], list[Finding]]:
    """Drop suppressed findings; returns (kept, unused suppressions, config errors)."""
    table: dict[tuple[str, str], Suppression] = {}
    errors: list[Finding] = []
    for obj in _suppressible(playbook):
        if not obj.suppress:
            continue
        where = semantic_path(result.doc, obj.path)
        for supp in obj.suppress:
            info = find_rule(supp.rule)
            if info is None or not info.configurable:
                path = (*supp.path, "rule")
                span = result.smap.locate(result.doc, path)
                errors.append(config.unknown_rule(supp.rule, span, semantic_path(result.doc, path)))
                continue
            table.setdefault((info.id, where), supp)
    if not table:
        return raised, [], errors
    used: set[tuple[str, str]] = set()
    kept: list[Finding] = []
    for finding in raised:
        hit = next(
            (k for k in ((finding.rule, p) for p in _prefixes(finding.path)) if k in table), None
        )
        if hit is None:
            kept.append(finding)
        else:
            used.add(hit)
    unused = [supp for key, supp in table.items() if key not in used]
    return kept, unused, errors
