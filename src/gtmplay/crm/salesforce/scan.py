"""Finding the metadata an import needs in a whole Salesforce project, fast.

A real ``force-app`` holds 7,000 to 18,000 files, of which an import needs a
few dozen. Files are chosen by name and folder before anything is read
(``objects/Opportunity/businessProcesses/*.businessProcess-meta.xml``, the
classic ``objects/Opportunity.object``, ...); a Path or a value set with
another name is read but parsed only when its bytes show it is about
Opportunity or Lead. Everything else is counted as skipped and never opened,
so an unrelated malformed file, FIFO or symbolic link cannot stop the import.

The files that are read get the playbook loader's guards
(:class:`gtmplay.sources.DiskSource`): nothing through a symbolic link out of
the folder, nothing that is not a regular file, nothing over
:data:`MAX_FILE_BYTES`. Malformed XML in one of them is an error at its line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gtmplay.crm.imported import MAX_FILE_BYTES
from gtmplay.crm.salesforce.xmlio import Element, XmlProblem, parse
from gtmplay.errors import UsageError
from gtmplay.sources import DiskSource, SourceProblem

OBJECTS = ("Opportunity", "Lead")
# file kind (the name's last dot-part, without -meta.xml) -> root element
KIND_ROOTS = {
    "standardValueSet": "StandardValueSet",
    "businessProcess": "BusinessProcess",
    "recordType": "RecordType",
    "pathAssistant": "PathAssistant",
    "object": "CustomObject",
}
VALUE_SETS = ("OpportunityStage", "LeadStatus")
# bytes that show an unusually named value set is one of the two
_VALUE_SET_MARKS = (b"<forecastCategory>", b"<converted>", b"<won>", b"OpportunityStage<")
_PATH_MARKS = (b"<entityName>Opportunity<", b"<entityName>Lead<")


@dataclass(slots=True)
class MetaFile:
    """One parsed metadata element: a file's root, or a process or record type
    inside a classic ``.object`` file (then ``obj`` comes from the file name)."""

    path: Path
    root: Element
    obj: str = ""

    @property
    def stem(self) -> str:
        return self.path.name.split(".", 1)[0]

    def problem(self, line: int, problem: str) -> UsageError:
        return UsageError(problem=f"{self.path}:{line}: {problem}")


@dataclass(slots=True)
class Scan:
    files: list[MetaFile] = field(default_factory=list)
    read: int = 0
    skipped: int = 0
    project: Path | None = None


def _kind(name: str) -> str:
    base = name.removesuffix("-meta.xml")
    return base.rpartition(".")[2] if "." in base else ""


def _walk(root: str) -> Iterator[os.DirEntry[str]]:
    """Every non-folder entry under ``root``; hidden folders and files left out,
    symbolic links to folders not followed (they are entries like files)."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        yield entry
        except OSError as exc:
            raise UsageError(problem=f"cannot list {folder}: {exc.strerror or exc}") from None


def _wanted(rel: list[str]) -> str | None:
    """The kind of a file worth reading, from its path parts (relative), or None."""
    name = rel[-1]
    kind = _kind(name)
    if kind not in KIND_ROOTS:
        return None
    if kind in ("businessProcess", "recordType"):
        # objects/<Object>/<folder>/<file>: only Opportunity and Lead
        return kind if len(rel) >= 3 and rel[-3] in OBJECTS else None
    if kind == "object":
        return kind if name.split(".", 1)[0] in OBJECTS else None
    return kind


def _about_us(kind: str, name: str, data: bytes) -> bool:
    """Whether a Path or value set file is about Opportunity or Lead (others always are)."""
    if kind == "pathAssistant":
        return any(m in data for m in _PATH_MARKS)
    if kind == "standardValueSet" and name.split(".", 1)[0] not in VALUE_SETS:
        return any(m in data for m in _VALUE_SET_MARKS)
    return True


def _read(source: DiskSource, rel: str, shown: Path) -> bytes:
    try:
        return source.read(rel, MAX_FILE_BYTES)
    except SourceProblem as exc:
        raise UsageError(problem=f"{shown}: {exc.message}", fix=exc.hint) from None


def _parse(data: bytes, shown: Path) -> Element:
    try:
        return parse(data, str(shown))
    except XmlProblem as exc:
        raise UsageError(problem=str(exc), fix="Fix the file or leave it out") from None


def _add(scan: Scan, path: Path, root: Element) -> None:
    if root.tag == "CustomObject":
        obj = path.name.split(".", 1)[0]
        for tag, kind in (("businessProcesses", "BusinessProcess"), ("recordTypes", "RecordType")):
            for child in root.all(tag):
                scan.files.append(
                    MetaFile(path, Element(kind, child.line, "", child.children), obj)
                )
    else:
        scan.files.append(MetaFile(path, root))


def _folder(scan: Scan, folder: Path) -> None:
    source = DiskSource(folder)
    chosen: list[tuple[str, str]] = []
    for entry in _walk(str(folder)):
        parts = os.path.relpath(entry.path, folder).split(os.sep)
        kind = _wanted(parts)
        if kind is None:
            scan.skipped += 1
        else:
            chosen.append(("/".join(parts), kind))
    for rel, kind in sorted(chosen):
        shown = folder / rel
        data = _read(source, rel, shown)
        if not _about_us(kind, shown.name, data):
            scan.skipped += 1  # a Path on another object, another value set
            continue
        scan.read += 1
        _add(scan, shown, _parse(data, shown))


def scan(paths: list[str]) -> Scan:
    """The Opportunity and Lead metadata under ``paths`` (folders or files)."""
    result = Scan()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            _folder(result, path)
        elif path.exists() or path.is_symlink():
            data = _read(DiskSource(path.parent), path.name, path)
            root = _parse(data, path)
            if root.tag not in KIND_ROOTS.values():
                raise MetaFile(path, root).problem(
                    root.line,
                    f"<{root.tag}> is not a StandardValueSet, BusinessProcess, RecordType, "
                    "PathAssistant or CustomObject",
                )
            result.read += 1
            _add(result, path, root)
        else:
            raise UsageError(problem=f"{path}: no such file or folder")
    result.project = _project_file(paths)
    return result


def _project_file(paths: list[str]) -> Path | None:
    """The ``sfdx-project.json`` of the first path: in it or up to three folders above."""
    start = Path(paths[0]).resolve()
    folders = [start] if start.is_dir() else []
    folders += list(start.parents)[:3]
    return next(
        (f / "sfdx-project.json" for f in folders if (f / "sfdx-project.json").is_file()), None
    )


def read_project(project: Path) -> tuple[str, str]:
    """(name, API version) from ``sfdx-project.json``; empty when it says nothing usable."""
    from gtmplay.crm.imported import load_json

    try:
        data = load_json(_read(DiskSource(project.parent), project.name, project), project)
    except UsageError:
        return "", ""  # the project file only names things; the metadata is what matters
    if not isinstance(data, dict):
        return "", ""
    name, version = data.get("name"), data.get("sourceApiVersion")
    return (
        name if isinstance(name, str) else "",
        str(version) if isinstance(version, (str, int, float)) else "",
    )
