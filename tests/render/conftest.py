"""Fixtures of the build tests; their helpers are in support.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import ROOT


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so finding paths read ``playbooks/...``."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return ROOT
