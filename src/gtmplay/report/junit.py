"""``junit``: JUnit XML for CI test tabs (GitLab, Jenkins, Azure DevOps).

One test suite per playbook and one test case per finding, named by rule and
semantic path. Findings at or above ``--fail-on`` are failures; those below
pass (their text is kept as output); under ``--base`` existing findings are
skipped. A playbook without findings is one passing test case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from gtmplay.findings import Finding
from gtmplay.report import ReportInput


def _case(suite: ET.Element, f: Finding, inp: ReportInput) -> str:
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": f"{f.rule} {f.name}".strip(),
            "name": f.path or f"{f.file}:{f.line}:{f.column}",
            "file": f.file,
            "line": str(f.line),
        },
    )
    if not inp.is_new(f):
        ET.SubElement(
            case, "skipped", {"message": "existing finding, present at the base revision"}
        )
        return "skipped"
    if f.level >= inp.fail_on:
        failure = ET.SubElement(case, "failure", {"message": f.message, "type": str(f.level)})
        failure.text = f.text()
        return "failure"
    ET.SubElement(case, "system-out").text = f.text()
    return "pass"


def _suite(root: ET.Element, name: str, findings: Sequence[Finding], inp: ReportInput) -> None:
    suite = ET.SubElement(root, "testsuite", {"name": name})
    outcomes = [_case(suite, f, inp) for f in findings]
    if not findings:
        ET.SubElement(suite, "testcase", {"classname": "gtmplay", "name": f"check {name}"})
    suite.set("tests", str(max(len(findings), 1)))
    suite.set("failures", str(outcomes.count("failure")))
    suite.set("errors", "0")
    suite.set("skipped", str(outcomes.count("skipped")))


def render(inp: ReportInput) -> str:
    root = ET.Element("testsuites", {"name": "gtmplay"})
    if inp.results:
        shown = set(inp.findings)
        for result in inp.results:
            _suite(root, result.target, [f for f in result.findings if f in shown], inp)
    else:
        _suite(root, "gtmplay", inp.findings, inp)
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
