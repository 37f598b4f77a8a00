"""What checking one playbook produced: the value every later step reads.

Its own module, below the pipeline that fills it and the rules, services and
outputs that read it, so that none of them has to import the pipeline for a
type (that was the ``pipeline -> rules -> runner -> pipeline`` circle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gtmplay.coverage import Coverage
from gtmplay.findings import Finding
from gtmplay.model import Playbook
from gtmplay.resolve import Index
from gtmplay.sourcemap import SourceMap


@dataclass(slots=True)
class Result:
    """Everything known about one playbook after checking it."""

    target: str
    findings: list[Finding] = field(default_factory=list)
    # False when a file could not be read or parsed: exit status 2.
    usable: bool = True
    # False when the schema or a merge failed: no model was built.
    valid: bool = True
    playbook: Playbook | None = None
    index: Index | None = None
    doc: dict[str, Any] = field(default_factory=dict)
    smap: SourceMap = field(default_factory=SourceMap)
    files: list[str] = field(default_factory=list)
    # which activities support what (gtmplay.coverage) in ``playbook``, computed
    # once for the rules; a build's docs read it too instead of computing it again
    coverage: Coverage | None = None
