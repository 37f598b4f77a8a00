"""``gtmplay diff`` without click: two sides in, a report of what changed out.

Each side is a playbook on disk or at a git revision (``REF:PATH``); both are
checked with the foundation checks only, compared by :func:`gtmplay.diff.diff`
and rendered by :mod:`gtmplay.report.diff_formats`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gtmplay.errors import PlaybookHasErrors, UsageError
from gtmplay.textio import deliver

if TYPE_CHECKING:
    from gtmplay.filememo import FileMemo
    from gtmplay.result import Result


@dataclass(frozen=True, slots=True)
class DiffOptions:
    old: str
    new: str
    format: str = "text"
    output: str | None = None


def diff_side(spec: str, other: str) -> tuple[str | None, str]:
    """(git ref or None, playbook path) of one argument of ``gtmplay diff``.

    An existing path is read from disk; ``REF:PATH`` is PATH (relative to
    the current folder) at REF; a bare REF takes the path of the other
    argument.
    """
    if os.path.exists(spec):
        return None, spec
    ref, sep, path = spec.partition(":")
    if sep and ref:
        return ref, path or "."
    if os.path.exists(other):
        return spec, other
    other_ref, other_sep, other_path = other.partition(":")
    if other_sep and other_ref:
        return spec, other_path or "."
    raise UsageError(
        problem=f"{spec}: no such file or folder, and no playbook path to read at that revision",
        fix="Name a playbook path on one side, or write REF:PATH (e.g. origin/main:playbooks/acme)",
    )


def load_side(spec: str, other: str, memo: FileMemo | None = None) -> tuple[str, Result]:
    """The label and the checked playbook (foundation checks only) of one side.

    With ``memo``, files the other side already read are not read again.
    """
    from gtmplay import pipeline
    from gtmplay.errors import GitError
    from gtmplay.gitsource import open_git_playbook

    ref, path = diff_side(spec, other)
    if ref is None:
        return path, pipeline.check_path(path, rules=False, memo=memo)
    label = f"{ref}:{path}"
    try:
        at_ref = open_git_playbook(ref, path)
    except GitError as exc:
        if ":" in spec:
            raise
        raise UsageError(
            problem=f"{spec}: no such file or folder, and not a git revision ({exc})",
            fix="Check the spelling, or fetch the revision first",
        ) from None
    if at_ref.source is None:
        raise UsageError(
            problem=f"{label}: no playbook there at that revision",
            fix="Check the path: it is relative to the current folder",
        )
    return label, pipeline.check_source(
        at_ref.source, at_ref.root_rel, target=label, rules=False, memo=memo
    )


def run_diff(opts: DiffOptions) -> str:
    """The report of what changed from ``opts.old`` to ``opts.new``."""
    from gtmplay.diff import diff
    from gtmplay.filememo import FileMemo
    from gtmplay.findings import Level
    from gtmplay.report.diff_formats import render

    # the two sides mostly hold the same files: each is read and validated once
    memo = FileMemo()
    sides = []
    for spec, other in ((opts.old, opts.new), (opts.new, opts.old)):
        label, result = load_side(spec, other, memo)
        if result.playbook is None and memo.reused:
            # its findings may name the other side's copy of a file: say it as it is
            label, result = load_side(spec, other)
        # unresolved references still leave a model to compare; a broken file does not
        if result.playbook is None:
            first = next((f for f in result.findings if f.level is Level.ERROR), None)
            raise PlaybookHasErrors(label=label, first=first.text() if first else None)
        sides.append((label, result.playbook))
        # only the model is compared: the side's document and index go before the
        # next side is checked (the memo keeps what that check can reuse)
        del result
    del memo  # its files and their positions too, before the comparison
    (old_label, old), (new_label, new) = sides
    text = render(opts.format, diff(old, new, old_label, new_label))
    return deliver(text, opts.output)
