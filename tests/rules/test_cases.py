"""Every rule case under ``cases/<RULE>/`` gives exactly the findings it expects.

A case is a complete one-file playbook. Its leading comments say what it
shows and list the expected findings, one per line:

    # expect: 12:7 GTM101 Stage "Proposal" has no marketing activity supporting it

or ``# expect: nothing``. Cases named ``fail-*`` must expect at least one
finding of their folder's rule, ``pass-*`` cases none of it. A case with a
CSV of the same name beside it (the GTM6xx rules) is run through
``gtmplay measure`` on that history instead of ``check``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gtmplay.pipeline import check_path
from gtmplay.rules.registry import all_rules

CASES = Path(__file__).parent / "cases"
_EXPECT = re.compile(r"# expect: (?:nothing|(\d+):(\d+) (GTM\d{3}) (.+))$")

Expected = tuple[int, int, str, str]


def _expected(path: Path) -> list[Expected]:
    out: list[Expected] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# expect:"):
            continue
        match = _EXPECT.match(line)
        assert match, f"{path}: malformed expectation {line!r}"
        if match[1]:
            out.append((int(match[1]), int(match[2]), match[3], match[4]))
    return out


def _cases() -> list[Path]:
    return sorted(CASES.glob("*/*.yaml"))


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case(case: Path) -> None:
    data = case.with_suffix(".csv")
    if data.exists():
        from gtmplay.services.measure import measure_path

        result, _ = measure_path(str(case), (str(data),))
    else:
        result = check_path(str(case))
    got = [(f.line, f.column, f.rule, f.message) for f in result.findings]
    assert got == _expected(case)
    rule = case.parent.name
    hits = [e for e in _expected(case) if e[2] == rule]
    if case.stem.startswith("fail-"):
        assert hits, f"{case} is a failing case without a {rule} finding"
    else:
        assert case.stem.startswith("pass-"), f"{case}: name it fail-... or pass-..."
        assert not hits, f"{case} is a passing case with a {rule} finding"


def test_every_alignment_rule_has_failing_and_passing_cases() -> None:
    alignment = [rule_id for rule_id in all_rules() if rule_id >= "GTM100"]
    assert alignment, "no alignment rules registered"
    for rule_id in alignment:
        names = [p.stem for p in (CASES / rule_id).glob("*.yaml")]
        assert any(n.startswith("fail-") for n in names), f"{rule_id} has no failing case"
        assert any(n.startswith("pass-") for n in names), f"{rule_id} has no passing case"


def test_case_folders_name_existing_rules() -> None:
    assert sorted(p.name for p in CASES.iterdir()) == [r for r in all_rules() if r >= "GTM100"]
