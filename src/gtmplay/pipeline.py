"""The pipeline, as one readable function of named steps. No click here.

read files -> validate each against the schema -> merge -> build the model
-> resolve references -> run the alignment rules.

A step that cannot run on what the previous one produced is skipped, and the
result says why (``usable`` / ``valid``); nothing is ever raised for a
problem in the playbook itself.
"""

from __future__ import annotations

from dataclasses import replace

from gtmplay.assemble import assemble, merge
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
    if not result.valid or any(f.level is Level.ERROR for f in result.findings):
        return _done(result)

    # 3. one document from all files
    result.doc, conflicts = merge(assembly.files, assembly.smap)
    result.findings.extend(conflicts)
    if conflicts:
        result.valid = False
        return _done(result)

    # 4. the typed model, 5. references
    result.playbook = build_playbook(result.doc)
    result.index, unresolved = resolve(result.playbook, result.doc, assembly.smap)
    result.findings.extend(unresolved)

    # 6. alignment rules (they cope with unresolved references themselves)
    if rules:
        from gtmplay.rules.runner import run

        result.findings = run(result)
    return _done(result)


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
