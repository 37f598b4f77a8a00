"""Fixtures of the reporter, --base and diff tests; their helpers are in support.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import Repo, reference_dir


@pytest.fixture(scope="session")
def sarif_validator() -> object:
    import json

    from jsonschema import Draft4Validator

    path = reference_dir() / "sarif-schema-2.1.0.json"
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    return Repo(root)
