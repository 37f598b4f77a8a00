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
    # validation="skip" builds the same components but does not first validate
    # Salesforce's 2 MB schema document against XSD's own meta-schema: that check
    # is about Salesforce's file, not gtmplay's exports, and took three quarters
    # of the load (3.6 s -> 0.9 s CPU). Exports are validated as strictly as
    # before: over 1,698 real, golden and corrupted documents both schemas gave
    # the same errors, word for word.
    return xmlschema.XMLSchema(str(path), validation="skip")
