"""The README shows what `gtmplay measure` really prints on the shared Maven data."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tests.measure.support import MAVEN

from gtmplay.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not MAVEN.is_dir(), reason="shared/realworld is not here")
def test_readme_measure_output_is_real(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ gtmplay measure (\S+) (\S+)\n(.*?)```", readme, re.S)
    assert block is not None
    playbook, _, shown = block.groups()
    monkeypatch.chdir(ROOT)
    main(["measure", playbook, os.path.relpath(MAVEN, ROOT)])
    assert capsys.readouterr().out == shown
