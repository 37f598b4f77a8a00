"""The bundled example stays clean under every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmplay.findings import Level
from gtmplay.pipeline import check_path

ACME = Path(__file__).resolve().parents[2] / "playbooks" / "acme"


def test_acme_has_no_finding_at_warning_or_above() -> None:
    if not ACME.is_dir():
        pytest.skip("playbooks/acme is not in this checkout")
    result = check_path(str(ACME))
    assert result.valid and result.playbook is not None
    assert [f.text() for f in result.findings if f.level >= Level.WARNING] == []
