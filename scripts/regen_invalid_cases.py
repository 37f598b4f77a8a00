"""Rewrite ``expected.txt`` of every case in ``tests/cases/invalid``.

Each expected file holds ``exit: N`` and then the findings of the foundation
checks (load, schema, references; no alignment rules), one per line as
``gtmplay check`` prints them. Review the diff before committing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "invalid"


def expected_text(case: Path) -> str:
    from gtmplay.findings import Level
    from gtmplay.pipeline import check_path
    from gtmplay.services.check import status

    here = Path.cwd()
    os.chdir(case)
    try:
        result = check_path(".", rules=False)
    finally:
        os.chdir(here)
    lines = [f"exit: {status([result], [Level.ERROR])}"] + [f.text() for f in result.findings]
    return "\n".join(lines) + "\n"


def main() -> int:
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        (case / "expected.txt").write_text(expected_text(case), encoding="utf-8")
        print(f"wrote {case.relative_to(ROOT)}/expected.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
