"""``gtmplay measure`` without click: options in, reports and an exit status out.

Check the playbook (its own findings are reported too), read the data,
measure, run the rules with the measurement (so GTM6xx compare it with the
declarations), then render: the terminal table and the findings (``text``),
every figure with the findings (``json``), or the findings alone in any other
reporter's format. ``-o OUT`` builds the playbook's site into OUT with its
scorecard page (``html/scorecard.html`` and ``html/scorecard.json``).
Exit status: 0, 1 when findings reach ``--fail-on``, 2 when the playbook or
the data cannot be used.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gtmplay.errors import UsageError
from gtmplay.measure import figures as fig
from gtmplay.result import Result

FORMATS_EXTRA = ("text", "json")  # besides them, every findings reporter


@dataclass(frozen=True, slots=True)
class MeasureOptions:
    playbook: str
    data: tuple[str, ...]
    format: str = "text"
    out: str | None = None
    fail_on: str | None = None
    encoding: str | None = None
    colour: bool = False
    progress: Callable[[str], None] | None = None


@dataclass(frozen=True, slots=True)
class MeasureOutcome:
    status: int
    stdout: str
    result: Result
    measurement: fig.Measurement | None


def measure_path(
    playbook_path: str,
    data: tuple[str, ...],
    *,
    encoding: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Result, fig.Measurement | None]:
    """The checked playbook with the measure rules' findings, and the measurement.

    The measurement is ``None`` when the playbook has errors that stop the
    model (they are the result's findings).
    """
    from gtmplay import pipeline
    from gtmplay.crm.measure_names import crm_names
    from gtmplay.measure.engine import measure
    from gtmplay.measure.mapping import conflicts, invalid_motion_names, names, unknown_targets
    from gtmplay.measure.readers import read_inputs
    from gtmplay.rules.runner import run

    result = pipeline.check_path(playbook_path, rules=False)
    playbook = result.playbook
    if playbook is None or not result.usable:
        return result, None
    for name, target in unknown_targets(playbook):
        span = result.smap.locate(result.doc, ("measure", "names", name))
        raise UsageError(
            problem=f"{span.file}:{span.line}:{span.column}: measure.names maps {name!r} to "
            f"{target!r}, which is neither a stage nor a lifecycle step",
            fix="name the id of a stage or a lifecycle step",
        )
    for path, at_key, problem in invalid_motion_names(playbook):
        span = result.smap.locate(result.doc, path, key=at_key)
        raise UsageError(
            problem=f"{span.file}:{span.line}:{span.column}: {problem}",
            fix="name the id of one of the playbook's motions"
            if at_key
            else "name one of the motion's stages, or move the name to measure.names",
        )
    crm = list(crm_names(playbook))
    for first, other in conflicts(playbook, crm):
        at = result.smap.locate(result.doc, first.path)
        then = result.smap.locate(result.doc, other.path)
        raise UsageError(
            problem=f"{at.file}:{at.line}:{at.column}: the {first.kind} name {first.name!r} maps "
            f"to {first.target!r} here and to {other.target!r} at "
            f"{then.file}:{then.line}:{then.column}",
            fix="rename one of them, or say which id it is in measure.names",
        )
    read = read_inputs(data, encoding, progress)
    measured = measure(playbook, read.events, read.canonical, names(playbook, crm))
    measured = replace(
        measured,
        bad_rows=(*read.bad_rows, *measured.bad_rows)[:100],
        bad_row_count=read.bad_row_count + measured.bad_row_count,
        files=tuple(read.files),
    )
    # the playbook's own alignment findings are `gtmplay check`'s business; measure
    # reports what stops it (YAML, schema, references, configuration) and GTM6xx
    result.findings = sorted(f for f in run(result, measurement=measured) if _ours(f.rule))
    return result, measured


def _ours(rule: str) -> bool:
    return rule < "GTM100" or rule.startswith("GTM6")


def json_document(m: fig.Measurement, findings: list[dict[str, Any]]) -> str:
    from gtmplay.textio import json_text

    return json_text({**fig.to_json(m), "findings": findings})


def run_measure(opts: MeasureOptions) -> MeasureOutcome:
    from gtmplay import __version__
    from gtmplay.findings import Level
    from gtmplay.report import REPORTERS, ReportInput, render
    from gtmplay.report.json_format import finding_dict
    from gtmplay.services.check import _threshold, status

    if opts.format not in (*FORMATS_EXTRA, *REPORTERS):
        raise UsageError(problem=f"unknown format {opts.format!r}")
    result, measured = measure_path(
        opts.playbook, opts.data, encoding=opts.encoding, progress=opts.progress
    )
    threshold = _threshold(result, opts.fail_on)
    inp = ReportInput(
        findings=tuple(result.findings),
        results=(result,),
        colour=opts.colour and opts.format == "text",
        fail_on=threshold,
        version=__version__,
    )
    findings_json = [finding_dict(f) for f in result.findings]
    if measured is None:
        stdout = render("text" if opts.format == "json" else opts.format, inp)
        return MeasureOutcome(2, stdout, result, None)
    assert result.playbook is not None
    if opts.format == "text":
        from gtmplay.services.measure_table import render as table

        stdout = table(result.playbook, measured) + ("\n" if result.findings else "")
        stdout += render("text", inp)
    elif opts.format == "json":
        stdout = json_document(measured, findings_json)
    else:
        stdout = render(opts.format, inp)
    if opts.out is not None:
        from gtmplay.services.build import Options, build

        # the site with its scorecard page; built even when the playbook has alignment
        # errors (as --force does): they are `check`'s business, the figures are ours
        built = build(opts.playbook, Options(output=Path(opts.out), force=True,
                                             measurement=measured))  # fmt: skip
        if built.status != 0:
            raise UsageError(problem=f"cannot build the site into {opts.out}: {built.reason}")
    code = status([result], [threshold])
    if code == 0 and any(f.level >= Level.ERROR for f in result.findings) and not result.valid:
        code = 2
    return MeasureOutcome(code, stdout, result, measured)


def parse_json(text: str) -> fig.Measurement:
    """A measurement back from ``--format json`` output (the findings are dropped)."""
    data = json.loads(text)
    data.pop("findings", None)
    return fig.from_json(data)
