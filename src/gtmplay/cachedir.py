"""The user cache folder: compiled templates (``templates/``), the sql and dbt
targets' transpiled queries (``sql/``) and the declared rows they last printed
(``declared/``).

``GTMPLAY_CACHE_DIR`` wins (tests and CI point it at a scratch folder);
otherwise it is the platform's user cache folder (``~/.cache/gtmplay`` on
Linux, ``~/Library/Caches/gtmplay`` on macOS), found by ``platformdirs``.
Everything kept there can be rebuilt, so a folder that cannot be written
only costs time.
"""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir() -> Path:
    """The folder for gtmplay's caches (it may not exist yet, or be read-only)."""
    override = os.environ.get("GTMPLAY_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs  # imported here: only a build or a cold check needs it

    return Path(platformdirs.user_cache_dir("gtmplay", appauthor=False))
