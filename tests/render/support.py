"""Helpers of the build tests: playbooks on disk, in-memory builds (imported by the tests;
the fixtures are in conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from gtmplay.model import Playbook, build_playbook
from gtmplay.render import BuildContext
from gtmplay.services.build import render_target

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "playbooks" / "acme"
GOLDEN = ROOT / "tests" / "golden" / "render"
DEFAULT = ("html", "markdown", "handoffs")

# A small playbook with two rule errors (GTM101, GTM207): builds need --force.
TINY: dict[str, Any] = {
    "gtmplay": 1,
    "name": "Tiny",
    "description": "A *tiny* playbook.",
    "teams": [
        {"id": "marketing", "name": "Marketing", "function": "marketing"},
        {"id": "sales", "name": "Sales", "function": "sales"},
    ],
    "lifecycle": [
        {"id": "mql", "name": "MQL", "owner": "marketing"},
        {"id": "sql", "name": "SQL", "owner": "sales", "converted": True},
        {"id": "nurture", "name": "Nurture", "owner": "marketing", "kind": "recycle"},
    ],
    "stages": [
        {
            "id": "discovery",
            "name": "Discovery",
            "owner": "sales",
            "probability": 10,
            "forecast": "pipeline",
            "target_days": 7,
        },
        {
            "id": "won",
            "name": "Won",
            "owner": "sales",
            "probability": 100,
            "forecast": "closed",
            "outcome": "won",
        },
        {
            "id": "lost",
            "name": "Lost",
            "owner": "sales",
            "probability": 0,
            "forecast": "omitted",
            "outcome": "lost",
        },
    ],
    "handoffs": [
        {
            "id": "mql-to-sales",
            "from": "marketing",
            "to": "sales",
            "at": "sql",
            "accept": ["Fits"],
            "sla": {"respond_within": "4h", "attempts": 3, "window": "2d"},
            "reject_reasons": ["No fit"],
            "on_reject": "nurture",
        }
    ],
}


def write_playbook(folder: Path, doc: dict[str, Any]) -> Path:
    """``doc`` as ``folder/playbook.yaml``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    (folder / "playbook.yaml").write_text(text, encoding="utf-8")
    return folder


def context(pb: Playbook, **kw: Any) -> BuildContext:
    return BuildContext(playbook=pb, result=None, **kw)  # type: ignore[arg-type]


def render(pb: Playbook, targets: tuple[str, ...] = DEFAULT, **kw: Any) -> dict[str, bytes]:
    """Every file the targets produce for ``pb``, without touching the disk."""
    ctx = context(pb, **kw)
    files: dict[str, bytes] = {}
    for name in targets:
        files.update(render_target(name, ctx))
    return files


def model(doc: dict[str, Any]) -> Playbook:
    return build_playbook({"gtmplay": 1, "name": "Test", **doc})


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by POSIX relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def example_or_skip() -> Path:
    if not (EXAMPLE / "playbook.yaml").is_file():
        pytest.skip("the bundled example playbooks/acme is not there")
    return EXAMPLE
