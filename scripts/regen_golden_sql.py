"""Rewrite the golden SQL of ``build --only sql`` in ``tests/golden/sql/``.

One folder per dialect offered, each with the three files the build writes for
the playbook ``playbooks/acme-motions`` (two motions, lifecycle steps and
handoffs: every query has rows to compute). Review the diff before committing:
it is what a warehouse will run.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = ROOT / "playbooks" / "acme-motions"
GOLDEN = ROOT / "tests" / "golden" / "sql"


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from gtmplay.cli import main as gtmplay
    from gtmplay.measure.sqlexport import DIALECTS

    with tempfile.TemporaryDirectory() as tmp:
        for dialect in DIALECTS:
            out = Path(tmp) / dialect
            code = gtmplay(["build", str(PLAYBOOK), "-o", str(out), "--only", "sql",
                            "--dialect", dialect])  # fmt: skip
            if code != 0:
                return code
            target = GOLDEN / dialect
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(out / "sql" / dialect, target)
            print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
