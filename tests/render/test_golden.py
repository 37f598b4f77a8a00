"""Every output of the bundled example, byte for byte (scripts/regen_golden_render.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmplay.services.build import Options, build

from .support import GOLDEN, example_or_skip, tree


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    import os

    example_or_skip()
    out = tmp_path_factory.mktemp("acme") / "site"
    cwd = os.getcwd()
    os.chdir(GOLDEN.parents[2])  # finding paths relative to the repository, as in the script
    try:
        outcome = build("playbooks/acme", Options(output=out))
    finally:
        os.chdir(cwd)
    assert outcome.status == 0, outcome.reason
    files = tree(out)
    assert files.pop(".gtmplay-build").startswith(b"This folder is written by `gtmplay build`")
    return files


def test_same_files_as_golden(built: dict[str, bytes]) -> None:
    expected = sorted(tree(GOLDEN))
    assert sorted(built) == expected, "regenerate with scripts/regen_golden_render.py"


@pytest.mark.parametrize("rel", sorted(tree(GOLDEN)) if GOLDEN.is_dir() else [])
def test_file_matches_golden(built: dict[str, bytes], rel: str) -> None:
    golden = (GOLDEN / Path(rel)).read_bytes()
    assert built.get(rel) == golden, f"{rel} differs: run scripts/regen_golden_render.py"


def test_layout_has_every_page(built: dict[str, bytes]) -> None:
    html = {k for k in built if k.startswith("html/")}
    for page in ("index", "strategy", "lifecycle", "activities", "handoffs", "kpis", "alignment"):
        assert f"html/{page}.html" in html
        assert f"markdown/{'README' if page == 'index' else page}.md" in built
    assert "html/assets/style.css" in html
    assert {"handoffs/handoffs.json", "handoffs/handoffs.yaml", "handoffs/handoffs.md"} <= set(
        built
    )
    assert any(k.startswith("html/stages/") for k in html)
    assert any(k.startswith("html/guides/") for k in html)
