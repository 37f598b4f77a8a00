"""Rewrite the golden files of the reporters in ``tests/golden/report/``.

The input is fixed: the playbook ``tests/report/fixtures/acme-mini`` checked
without the alignment rules (its findings come from the resolver), plus a few
findings built here with the characters every format must escape. Each format
is rendered plain and with a ``--base`` baseline. Review the diff before
committing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "report" / "fixtures"
GOLDEN = ROOT / "tests" / "golden" / "report"
EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "github": "txt",
    "junit": "xml",
    "gitlab": "json",
    "markdown": "md",
}
VARIANTS = ("plain", "base", "colour")


@contextmanager
def in_fixtures() -> Iterator[None]:
    """Findings carry cwd-relative paths: render from the fixtures folder."""
    here = Path.cwd()
    os.chdir(FIXTURES)
    try:
        yield
    finally:
        os.chdir(here)


def report_input(variant: str) -> object:
    from gtmplay.findings import Level, Span, at
    from gtmplay.pipeline import check_path
    from gtmplay.report import Baseline, ReportInput

    result = check_path("acme-mini", rules=False)
    locate = result.smap.locate
    built = [
        at(
            locate(result.doc, ("stages", 2)),
            ("GTM101", "coverage.stage-without-marketing"),
            level=Level.ERROR,
            message='Stage "Negotiation" has no marketing activity supporting it',
            path="stages[negotiation]",
            hint="add negotiation to the supports of an activity",
        ),
        at(
            locate(result.doc, ("activities", 0, "name")),
            ("GTM108", "activity.without-metrics"),
            level=Level.NOTE,
            message='Activity "ROI webinar: 100% pipeline" has no metrics',
            path="activities[roi-webinar]",
        ),
        at(
            Span("acme-mini/odd, name: 100%.yaml", 3, 7, 4, 2),
            ("GTM001", "yaml.syntax"),
            level=Level.WARNING,
            message="50% done: a, b\nsecond line | <b>bold</b> & `code`\r\nthird",
            path="",
            hint="fix: it",
        ),
    ]
    result.findings = sorted([*result.findings, *built])
    findings = tuple(result.findings)
    baseline = None
    if variant == "base":
        fixed = at(
            Span("acme-mini/stages.yaml", 7, 5, 11, 1),
            ("GTM101", "coverage.stage-without-marketing"),
            level=Level.ERROR,
            message='Stage "Proposal | Quote" has no marketing activity supporting it',
            path="stages[proposal]",
        )
        baseline = Baseline(
            ref="origin/main",
            commit="0123456789abcdef0123456789abcdef01234567",
            new=frozenset(f for f in findings if f.rule in ("GTM101", "GTM001")),
            fixed=(fixed,),
        )
    return ReportInput(
        findings=findings,
        results=(result,),
        baseline=baseline,
        colour=variant == "colour",
        fail_on=Level.WARNING,
        version="0.0.0-test",
    )


def cases() -> list[tuple[str, str]]:
    """(format, variant) pairs that have a golden file."""
    out = [(fmt, variant) for fmt in EXTENSIONS for variant in VARIANTS[:2]]
    return [*out, ("text", "colour")]


def golden_path(fmt: str, variant: str) -> Path:
    return GOLDEN / f"{fmt}-{variant}.{EXTENSIONS[fmt]}"


def render_case(fmt: str, variant: str) -> str:
    from gtmplay.report import ReportInput, render

    with in_fixtures():
        inp = report_input(variant)
        assert isinstance(inp, ReportInput)
        return render(fmt, inp)


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for fmt, variant in cases():
        path = golden_path(fmt, variant)
        path.write_bytes(render_case(fmt, variant).encode("utf-8"))
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
