"""Regenerate tests/golden/render/ from the bundled example playbooks/acme.

Usage: python scripts/regen_golden_render.py

Writes every file `gtmplay build playbooks/acme` produces for the html,
markdown and handoffs targets (the folder is emptied first, so files that a
build no longer writes disappear). Review the diff before committing: the
golden files are what the tests hold the renderers to.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "render"


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    os.chdir(ROOT)  # finding paths are shown relative to the working folder
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    from gtmplay.pipeline import check_path
    from gtmplay.render import BuildContext
    from gtmplay.services.build import DEFAULT_TARGETS, render_all, render_target

    result = check_path("playbooks/acme")
    if result.playbook is None:
        print("playbooks/acme does not build: fix it first", file=sys.stderr)
        return 2
    ctx = BuildContext(playbook=result.playbook, result=result, findings=tuple(result.findings))
    files = render_all(DEFAULT_TARGETS, ctx, render_target)
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for rel, data in sorted(files.items()):
        path = GOLDEN / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files)} files to {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
