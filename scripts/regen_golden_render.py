"""Regenerate tests/golden/render/ and tests/golden/scorecard/ from playbooks/acme.

Usage: python scripts/regen_golden_render.py

Writes every file `gtmplay build playbooks/acme` produces for the html,
markdown and handoffs targets (the folder is emptied first, so files that a
build no longer writes disappear). Then the scorecard of the measured figures
in tests/render/data/acme-measurement.json: its page and each of its charts
as an SVG file. Review the diff before committing: the golden files are what
the tests hold the renderers to.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "render"
SCORECARD = ROOT / "tests" / "golden" / "scorecard"
MEASUREMENT = ROOT / "tests" / "render" / "data" / "acme-measurement.json"


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
    _write(GOLDEN, files)
    _write(SCORECARD, scorecard_files(ctx))
    return 0


def scorecard_files(ctx: Any) -> dict[str, bytes]:
    """The scorecard page of the example's measured figures, and each chart on it."""
    import json
    from dataclasses import replace

    from gtmplay.measure.figures import from_json
    from gtmplay.render.html import render
    from gtmplay.render.scorecard import scorecard
    from gtmplay.render.views import for_context

    measurement = from_json(json.loads(MEASUREMENT.read_text(encoding="utf-8")))
    ctx = replace(ctx, measurement=measurement, cache={})
    files = {"scorecard.html": render(ctx)["html/scorecard.html"]}
    card = scorecard(for_context(ctx), measurement)
    files.update({f"{name}.svg": svg_lines(chart) for name, chart in card.charts().items()})
    return files


def svg_lines(chart: str) -> bytes:
    """A chart with one element per line, so that a change shows as a readable diff.

    The charts are written on one line and never hold ``><`` in a text, so this is exact.
    """
    return (str(chart).replace("><", ">\n<") + "\n").encode("utf-8")


def _write(folder: Path, files: dict[str, bytes]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    for rel, data in sorted(files.items()):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files)} files to {folder.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
