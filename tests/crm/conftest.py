"""Fixtures of the CRM tests; their helpers are in ``support.py``."""

from __future__ import annotations

from typing import Any

import pytest

from .support import reference_dir


@pytest.fixture(scope="session")
def salesforce_xsd() -> Any:
    """Salesforce's metadata XSD, loaded once: it takes seconds."""
    import xmlschema

    path = reference_dir() / "salesforce-metadata.xsd"
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    return xmlschema.XMLSchema(str(path))
