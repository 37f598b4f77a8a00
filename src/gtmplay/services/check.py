"""``gtmplay check`` without click: options in, reports and an exit status out.

The command module turns its options into :class:`CheckOptions`; this module
checks the playbooks, compares them with ``--base`` when asked, renders every
requested report, writes the files (each atomically, all rendered before any
is written) and returns the exit status: 0 clean, 1 findings at or above the
fail-on level (only new ones under ``--base``), 2 unusable input.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from gtmplay.errors import OutputError, UsageError
from gtmplay.findings import Finding, Level
from gtmplay.textio import write_atomic

if TYPE_CHECKING:
    from gtmplay.report import Baseline
    from gtmplay.result import Result


@dataclass(frozen=True, slots=True)
class CheckOptions:
    paths: tuple[str, ...]
    format: str | None = None  # None: github under GITHUB_ACTIONS=true, else text
    outputs: tuple[tuple[str, str], ...] = ()  # (format, file path)
    fail_on: str | None = None  # None: the playbook's checks.fail_on, else error
    base: str | None = None
    colour: bool = False
    env: Mapping[str, str] = field(default_factory=dict)
    # say "PATH: no findings (N files)" for a clean playbook (text on a terminal, not -q)
    confirm: bool = False


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    status: int
    stdout: str


def parse_output(spec: str) -> tuple[str, str]:
    """``FORMAT=PATH`` of ``--output``, checked; :class:`UsageError` otherwise."""
    from gtmplay.didyoumean import suggest
    from gtmplay.report import REPORTERS

    name, sep, path = spec.partition("=")
    name = name.strip().lower()
    if not sep or not path:
        raise UsageError(
            problem=f"--output {spec!r} is not FORMAT=PATH",
            fix="Write it like --output sarif=gtmplay.sarif",
        )
    if name not in REPORTERS:
        hint = suggest(name, REPORTERS)
        fix = f"{hint[:1].upper()}{hint[1:]} " if hint else ""
        raise UsageError(
            problem=f"--output: unknown format {name!r}",
            fix=f"{fix}Formats: {', '.join(REPORTERS)}",
        )
    return name, path


def compare(
    current: Iterable[Finding], old: Iterable[Finding]
) -> tuple[set[Finding], list[Finding]]:
    """(new findings, fixed findings) by fingerprint, never by line.

    A fingerprint is rule plus semantic path. Findings that also kept their
    message pair up first, so that two findings sharing a fingerprint are
    matched with the right partners; the rest pair up by fingerprint alone.
    """
    pool: dict[str, list[Finding]] = {}
    for f in old:
        pool.setdefault(f.fingerprint, []).append(f)
    unmatched: list[Finding] = []
    for f in current:
        bucket = pool.get(f.fingerprint, [])
        hit = next((o for o in bucket if o.message == f.message), None)
        if hit is None:
            unmatched.append(f)
        else:
            bucket.remove(hit)
    new: set[Finding] = set()
    for f in unmatched:
        bucket = pool.get(f.fingerprint, [])
        if bucket:
            bucket.pop(0)
        else:
            new.add(f)
    return new, sorted(o for bucket in pool.values() for o in bucket)


def baseline(results: list[Result], ref: str) -> Baseline:
    """Check every playbook again as it was at the merge-base of ``ref`` and HEAD."""
    from gtmplay import pipeline
    from gtmplay.gitsource import open_git_playbook
    from gtmplay.report import Baseline

    new: set[Finding] = set()
    fixed: list[Finding] = []
    commit, missing = "", True
    for result in results:
        old = open_git_playbook(ref, result.target, base=True)
        commit = old.commit
        old_findings: list[Finding] = []
        if old.source is not None:
            missing = False
            old_result = pipeline.check_source(old.source, old.root_rel, target=result.target)
            old_findings = old_result.findings
        added, gone = compare(result.findings, old_findings)
        new |= added
        fixed += gone
    return Baseline(
        ref=ref, commit=commit, new=frozenset(new), fixed=tuple(sorted(fixed)), missing=missing
    )


def _threshold(result: Result, explicit: str | None) -> Level:
    if explicit is not None:
        return Level.parse(explicit)
    if result.playbook is not None:
        from gtmplay.rules.runner import configured_fail_on

        configured = configured_fail_on(result)
        if configured:
            return Level.parse(configured)
    return Level.ERROR


def status(
    results: list[Result],
    thresholds: list[Level],
    is_new: Callable[[Finding], bool] = lambda finding: True,
) -> int:
    """0 clean, 1 new findings at or above a playbook's threshold, 2 an unusable input."""
    if any(not r.usable for r in results):
        return 2
    for result, threshold in zip(results, thresholds, strict=True):
        if any(f.level >= threshold and is_new(f) for f in result.findings):
            return 1
    return 0


def _append(path: str, text: str) -> None:
    try:
        with open(path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise OutputError(
            path=path, problem=exc.strerror or str(exc), fix="Check GITHUB_STEP_SUMMARY"
        ) from None


def clean_line(result: Result) -> str:
    """``playbooks/acme: no findings (12 files)``: silence on success reads as nothing ran."""
    count = len(result.files)
    return f"{result.target}: no findings ({count} file{'' if count == 1 else 's'})"


def run_check(opts: CheckOptions) -> CheckOutcome:
    from gtmplay import __version__, pipeline
    from gtmplay.report import ReportInput, render

    stdout_format = opts.format or (
        "github" if opts.env.get("GITHUB_ACTIONS") == "true" else "text"
    )
    seen: set[str] = set()
    for _, path in opts.outputs:
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            raise UsageError(
                problem=f"--output names {path} twice", fix="Give each report its own file"
            )
        seen.add(key)

    results = [pipeline.check_path(path) for path in opts.paths]
    thresholds = [_threshold(r, opts.fail_on) for r in results]
    base = baseline(results, opts.base) if opts.base else None
    inp = ReportInput(
        findings=tuple(sorted(f for r in results for f in r.findings)),
        results=tuple(results),
        baseline=base,
        colour=opts.colour and stdout_format == "text",
        fail_on=min(thresholds, default=Level.ERROR),
        version=__version__,
    )
    plain = replace(inp, colour=False)
    # everything is rendered before anything is written
    stdout = render(stdout_format, inp)
    if opts.confirm and stdout_format == "text" and base is None:
        stdout += "".join(f"{clean_line(r)}\n" for r in results if not r.findings)
    files = [(path, render(name, plain)) for name, path in opts.outputs]
    used = {stdout_format, *(name for name, _ in opts.outputs)}
    summary_path = opts.env.get("GITHUB_STEP_SUMMARY")
    summary = render("markdown", plain) if summary_path and "github" in used else None
    for path, text in files:
        write_atomic(path, text)
    if summary_path and summary is not None:
        _append(summary_path, summary)
    return CheckOutcome(status=status(results, thresholds, inp.is_new), stdout=stdout)
