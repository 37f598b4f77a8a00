"""Every reporter: exact golden output, determinism, escaping, never a traceback."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.findings import Finding, Level
from gtmplay.report import REPORTERS, Baseline, ReportInput, render
from gtmplay.report.github import annotation, escape_data, escape_property

from .support import ROOT, golden

CASES = golden.cases()


@pytest.mark.parametrize(("fmt", "variant"), CASES, ids=[f"{f}-{v}" for f, v in CASES])
def test_golden(fmt: str, variant: str) -> None:
    expected = golden.golden_path(fmt, variant).read_bytes().decode("utf-8")
    assert golden.render_case(fmt, variant) == expected


def test_every_format_has_goldens() -> None:
    assert {fmt for fmt, _ in CASES} == set(REPORTERS)
    files = {p.name for p in (ROOT / "tests" / "golden" / "report").iterdir()}
    assert files == {golden.golden_path(f, v).name for f, v in CASES}


def test_rendering_twice_is_byte_identical() -> None:
    for fmt, variant in CASES:
        assert golden.render_case(fmt, variant) == golden.render_case(fmt, variant)


def test_github_escaping_of_data_and_properties() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_data("a: b, c") == "a: b, c"
    assert escape_property("a: b, c 100%\n") == "a%3A b%2C c 100%25%0A"
    # the escape character itself first: "%3A" in the text must not turn into ":"
    assert escape_property("%3A") == "%253A"


def test_github_annotation_exact() -> None:
    f = Finding(
        file="pb/a,b:c\r\n.yaml",
        line=3,
        column=7,
        rule="GTM101",
        message="50%: x,\ny",
        level=Level.WARNING,
        name="coverage.stage-without-marketing",
        end_line=3,
        end_column=9,
        hint="h",
    )
    assert annotation(f) == (
        "::warning file=pb/a%2Cb%3Ac%0D%0A.yaml,line=3,col=7,endLine=3,endColumn=9,"
        "title=GTM101 coverage.stage-without-marketing::50%25: x,%0Ay (h)"
    )
    note = Finding("f.yaml", 1, 1, "GTM108", "m", Level.NOTE)
    assert annotation(note) == "::notice file=f.yaml,line=1,col=1,title=GTM108::m"


def test_text_without_findings_is_empty() -> None:
    assert render("text", ReportInput(findings=())) == ""


def test_text_under_base_without_new_findings() -> None:
    old = Finding("f.yaml", 2, 1, "GTM101", "old gap", Level.ERROR, path="stages[a]")
    base = Baseline(ref="origin/main", commit="c" * 40, new=frozenset())
    out = render("text", ReportInput(findings=(old,), baseline=base))
    assert out == "no new findings; 1 existing finding; 0 fixed (compared with origin/main)\n"


def test_every_report_words_the_base_summary_alike_also_for_a_new_playbook() -> None:
    # github used to say "compared with origin/main" where the playbook did not exist
    new = Finding("f.yaml", 2, 1, "GTM101", "gap", Level.ERROR, path="stages[a]")
    base = Baseline(ref="origin/main", commit="c" * 40, new=frozenset({new}), missing=True)
    inp = ReportInput(findings=(new,), baseline=base)
    summary = "1 new finding: 1 error; 0 existing findings; 0 fixed"
    assert render("text", inp).splitlines()[-1] == f"{summary} (the playbook is new)"
    assert render("github", inp).splitlines()[-1] == f"gtmplay: {summary} (the playbook is new)"
    assert (
        f"Compared with `origin/main` (`cccccccccccc`): the playbook did not exist there; "
        f"{summary}."
    ) in render("markdown", inp).splitlines()


# --------------------------------------------------------------------------
# properties: any text in a finding, every format renders and parses back

_text = st.text(min_size=0, max_size=40)
_findings = st.lists(
    st.builds(
        Finding,
        file=st.text(min_size=1, max_size=20),
        line=st.integers(1, 10_000),
        column=st.integers(1, 500),
        rule=st.sampled_from(["GTM001", "GTM020", "GTM101", "GTM999"]),
        message=_text,
        level=st.sampled_from(list(Level)),
        name=_text,
        end_line=st.integers(0, 10_000),
        end_column=st.integers(0, 500),
        path=_text,
        hint=_text,
    ),
    max_size=6,
)


def _xml_safe(findings: list[Finding]) -> bool:
    # XML 1.0 cannot carry most control characters at all; ElementTree would
    # write them and a parser would refuse them
    bad = {chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {"\ufffe", "\uffff"}
    return not any(
        ch in bad or 0xD800 <= ord(ch) <= 0xDFFF
        for f in findings
        for text in (f.file, f.message, f.name, f.path, f.hint)
        for ch in text
    )


@given(findings=_findings, with_base=st.booleans())
def test_every_format_renders_any_finding(findings: list[Finding], with_base: bool) -> None:
    findings = sorted(findings)
    base = (
        Baseline(
            ref="main", commit="0" * 40, new=frozenset(findings[::2]), fixed=tuple(findings[1:2])
        )
        if with_base
        else None
    )
    inp = ReportInput(findings=tuple(findings), baseline=base, version="1")
    out: dict[str, Any] = {fmt: render(fmt, inp) for fmt in REPORTERS}
    assert all(text.endswith("\n") for fmt, text in out.items() if fmt != "text")
    assert out["text"].endswith("\n") or (not findings and base is None and out["text"] == "")
    assert [f["fingerprint"] for f in json.loads(out["json"])["findings"]] == [
        f.fingerprint for f in findings
    ]
    sarif = json.loads(out["sarif"])
    assert len(sarif["runs"][0]["results"]) == len(findings)
    assert len(json.loads(out["gitlab"])) == len(findings)
    # runners split lines on "\n" only; one line per annotation means escaping held
    lines = out["github"].split("\n")[:-1]
    assert len(lines) == len(inp.new_findings) + 1
    assert sum(1 for line in lines if line.startswith("::")) == len(inp.new_findings)
    assert len(out["text"].split("\n")[:-1]) == (
        len(findings) + (1 if findings else 0)
        if base is None
        else len(inp.new_findings) + len(base.fixed) + 1
    )
    if _xml_safe(findings):
        root = ET.fromstring(out["junit"].encode("utf-8"))
        assert root.get("tests") == str(max(len(findings), 1))


@pytest.mark.parametrize("variant", ["plain", "base"])
def test_golden_sarif_is_valid_sarif_2_1_0(variant: str, sarif_validator: Any) -> None:
    doc = json.loads(golden.render_case("sarif", variant))
    assert [e.message for e in sarif_validator.iter_errors(doc)] == []
    states = {r.get("baselineState") for r in doc["runs"][0]["results"]}
    assert states == ({None} if variant == "plain" else {"new", "unchanged"})
