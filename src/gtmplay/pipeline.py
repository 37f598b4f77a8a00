"""The pipeline, as one readable function of named steps. No click here.

read files -> validate each against the schema -> merge -> build the model
-> resolve references -> run the alignment rules.

A step that cannot run on what the previous one produced is skipped, and the
result says why (``usable`` / ``valid``); nothing is ever raised for a
problem in the playbook itself.

One pass shows everything a person can fix at once: when the schema errors
all lie inside top-level sections (``stages``, ``activities``...), those
sections are left out and the rest is still merged, resolved and checked by
the rules. What could only be wrong because a section is missing is not said:
references to its kinds, and every rule that reads it (see
:mod:`gtmplay.rules.reads`). Such a result stays ``valid = False`` with no
``playbook``: it is not a model to build, diff or export.
"""

from __future__ import annotations

import re
from dataclasses import replace

from gtmplay.assemble import assemble, merge
from gtmplay.coverage import coverage
from gtmplay.filememo import FileMemo
from gtmplay.findings import Level
from gtmplay.gcpause import no_cyclic_gc
from gtmplay.loader import DEFAULT_LIMITS, Limits
from gtmplay.model import build_playbook
from gtmplay.resolve import resolve
from gtmplay.result import Result
from gtmplay.ruleids import INCLUDE_INVALID
from gtmplay.schema import validate
from gtmplay.sources import Source, open_playbook


def check_source(
    source: Source,
    root_rel: str,
    *,
    target: str = "",
    limits: Limits = DEFAULT_LIMITS,
    rules: bool = True,
    memo: FileMemo | None = None,
) -> Result:
    """Run the whole check on one playbook read through ``source``.

    ``memo`` (see :mod:`gtmplay.filememo`) is shared by checks of versions of
    one playbook: a file already found clean is neither parsed nor validated again.
    """
    with no_cyclic_gc():
        return _check(source, root_rel, target=target, limits=limits, rules=rules, memo=memo)


def _check(
    source: Source,
    root_rel: str,
    *,
    target: str,
    limits: Limits,
    rules: bool,
    memo: FileMemo | None,
) -> Result:
    result = Result(target=target or source.display(root_rel))

    # 1. read the root file and every include
    assembly = assemble(source, root_rel, limits, memo)
    result.smap = assembly.smap
    result.files = [f.display for f in assembly.files]
    result.findings.extend(assembly.findings)
    if assembly.broken:
        result.usable = result.valid = False

    # 2. each file against the schema (included files against the fragment schema)
    # (an include the reader already refused is not reported twice)
    refused = {
        (f.file, f.line, f.column) for f in assembly.findings if f.rule == INCLUDE_INVALID.id
    }
    for loaded in assembly.files:
        if loaded.reused:
            continue  # found valid by an earlier check
        errors = validate(loaded.data, assembly.smap, root=loaded.root)
        if memo is not None and loaded.memo_key is not None and not errors:
            memo.remember(loaded.memo_key, loaded.data)
        # a file holding one scalar (``a``) has no recorded position: point at the file
        errors = [replace(e, file=loaded.display) if e.file == "<unknown>" else e for e in errors]
        result.findings.extend(e for e in errors if (e.file, e.line, e.column) not in refused)
        result.valid = result.valid and not errors
    left_out = _left_out(result)
    if left_out is None:
        return _done(result)
    if left_out:
        result.valid = False  # a partial check: no model comes out of it

    # 3. one document from all files
    doc, conflicts = merge(assembly.files, assembly.smap, leave_out=left_out)
    result.findings.extend(conflicts)
    if conflicts:
        result.valid = False
        return _done(result)

    # 4. the typed model, 5. references
    playbook = build_playbook(doc)
    index, unresolved = resolve(playbook, doc, assembly.smap, left_out)
    result.findings.extend(unresolved)
    if not left_out:
        result.doc, result.playbook, result.index = doc, playbook, index

    # 6. alignment rules (they cope with unresolved references themselves)
    if rules:
        from gtmplay.rules.runner import run

        # the coverage only of a whole playbook: with sections left out no rule reads it
        cov = None if left_out else coverage(playbook)
        partial = replace(result, doc=doc, playbook=playbook, index=index, coverage=cov)
        result.findings = run(partial, left_out)
        result.coverage = cov
    return _done(result)


# the sections nothing can be checked without
_ESSENTIAL = frozenset({"", "gtmplay", "name", "include"})


def _left_out(result: Result) -> frozenset[str] | None:
    """The top-level sections to leave out for the errors found so far, or None when
    the rest cannot be checked soundly (an unreadable file, an error outside any
    section or in the format version, name or includes)."""
    if not result.usable:
        return None
    sections = {_section(f.path) for f in result.findings if f.level is Level.ERROR}
    if sections & _ESSENTIAL:
        return None
    return frozenset(sections)


def _section(path: str) -> str:
    """``stages[proposal].probability`` -> ``stages``."""
    match = _SECTION.match(path)
    return match.group() if match else ""


_SECTION = re.compile(r"[^.\[]+")


def _done(result: Result) -> Result:
    result.findings.sort()
    return result


def check_path(
    path: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    rules: bool = True,
    memo: FileMemo | None = None,
) -> Result:
    """Check the playbook folder or file at ``path`` on disk."""
    source, root_rel = open_playbook(path)
    return check_source(source, root_rel, target=path, limits=limits, rules=rules, memo=memo)
