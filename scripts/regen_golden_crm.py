"""Rewrite the golden CRM exports of the example playbook in ``tests/golden/crm/``.

Renders the ``salesforce``, ``hubspot``, ``pipedrive`` and ``csv`` targets of
``playbooks/acme`` (into ``tests/golden/crm/``) and of ``playbooks/acme-motions``
(into ``tests/golden/crm-motions/``: one process, pipeline and column per
sales motion) and writes every file under its target path, plus
``warnings.txt`` with what the targets could not represent. Stale files are
removed. Review the diff before committing.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "playbooks" / "acme"
GOLDEN = ROOT / "tests" / "golden" / "crm"
MOTIONS_EXAMPLE = ROOT / "playbooks" / "acme-motions"
MOTIONS_GOLDEN = ROOT / "tests" / "golden" / "crm-motions"
# example playbook -> its golden folder
GOLDENS = {EXAMPLE: GOLDEN, MOTIONS_EXAMPLE: MOTIONS_GOLDEN}
CRM_TARGETS = ("salesforce", "hubspot", "pipedrive", "csv")


def render_crm(folder: Path) -> dict[str, bytes]:
    from gtmplay.pipeline import check_path
    from gtmplay.render import BuildContext
    from gtmplay.services.build import render_target

    result = check_path(str(folder))
    if result.playbook is None:
        raise SystemExit(f"{folder} does not check: fix it before regenerating the goldens")
    ctx = BuildContext(playbook=result.playbook, result=result)
    files: dict[str, bytes] = {}
    for name in CRM_TARGETS:
        files.update(render_target(name, ctx))
    files["warnings.txt"] = "".join(f"{w}\n" for w in ctx.warnings).encode("utf-8")
    return files


def main() -> int:
    for example, golden in GOLDENS.items():
        files = render_crm(example)
        if golden.exists():
            shutil.rmtree(golden)
        for rel, data in sorted(files.items()):
            path = golden / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        print(f"wrote {len(files)} files to {golden.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
