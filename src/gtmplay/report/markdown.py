"""``markdown``: a short summary for a pull-request comment or a step summary.

The verdict and counts first, then each playbook's stage-by-stage coverage
(how many activities support a stage, which personas they reach), then the
findings. Under ``--base`` the new findings are listed, existing ones fold
away and fixed ones get a table of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gtmplay.findings import Finding
from gtmplay.report import ReportInput, baseline_counts, count_text, plural
from gtmplay.textio import markdown_cell as cell

if TYPE_CHECKING:
    from gtmplay.model import Playbook


def _code(text: str) -> str:
    return f"`{text.replace('`', '')}`" if text else ""


def findings_table(findings: Sequence[Finding]) -> list[str]:
    lines = ["| Level | Rule | Where | Message |", "|---|---|---|---|"]
    for f in findings:
        where = _code(f"{f.file}:{f.line}:{f.column}")
        if f.path:
            where += f"<br>{_code(f.path)}"
        message = cell(f.message) + (f" <br>_{cell(f.hint)}_" if f.hint else "")
        lines.append(f"| {f.level} | {f.rule} | {where} | {message} |")
    return lines


def coverage_table(playbook: Playbook) -> list[str]:
    from gtmplay.coverage import coverage

    cov = coverage(playbook)
    personas = playbook.personas
    head = "| Stage | Probability | Activities |"
    rule = "|---|---:|---:|"
    if personas:
        head += " Personas reached | Personas not reached |"
        rule += "---:|---|"
    lines = [head, rule]
    for stage in playbook.stages:
        name = f"{cell(stage.name)} ({_code(stage.id)})"
        if stage.closed:
            name += f" <br>_closed {stage.outcome}_"
        row = f"| {name} | {stage.probability}% | {cov.count(stage.id)} |"
        if personas and stage.closed:
            row += " - | - |"
        elif personas:
            missing = [p.name for p in personas if not cov.count(stage.id, p.id)]
            reached = len(personas) - len(missing)
            row += f" {reached} of {len(personas)} | {cell(', '.join(missing)) or '-'} |"
        lines.append(row)
    return lines


def _verdict(inp: ReportInput) -> str:
    failing = any(f.level >= inp.fail_on for f in inp.new_findings)
    unusable = any(not r.usable for r in inp.results)
    word = "unusable input" if unusable else "failing" if failing else "passing"
    return f"## gtmplay check: {word}"


def render(inp: ReportInput) -> str:
    base = inp.baseline
    out = [_verdict(inp), ""]
    out.append(f"{count_text(inp.findings).capitalize()}. Fails on: {inp.fail_on}.")
    if base is not None:
        new = "the playbook did not exist there; " if base.missing else ""
        out.append("")
        out.append(
            f"Compared with {_code(base.ref)} ({_code(base.commit[:12])}): "
            f"{new}{baseline_counts(inp)}."
        )
    for result in inp.results:
        if result.playbook is None:
            continue
        out += ["", f"### Coverage by stage: {_code(result.target)}", ""]
        out += coverage_table(result.playbook)
    shown = inp.new_findings
    if shown:
        title = "New findings" if base is not None else "Findings"
        out += ["", f"### {title}", "", *findings_table(shown)]
    existing = inp.existing_findings
    if existing:
        summary = f"{plural(len(existing), 'existing finding')} (present at the base revision)"
        out += ["", "<details>", f"<summary>{summary}</summary>", "", *findings_table(existing)]
        out += ["", "</details>"]
    if base is not None and base.fixed:
        out += ["", "### Fixed", "", *findings_table(base.fixed)]
    return "\n".join(out) + "\n"
