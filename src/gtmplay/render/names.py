"""File names derived from playbook ids.

The schema restricts ids to ``[a-z0-9][a-z0-9_-]*``, but every derived file
name still goes through :func:`safe_name`: a renderer must not depend on the
schema for the safety of the output folder.
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^a-z0-9_-]+")
_MAX = 80
# names Windows refuses whatever the extension
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def safe_name(value: str) -> str:
    """A file-name stem for ``value``: one path segment, portable, never hidden.

    A valid id comes back unchanged. Anything else is reduced to
    ``[a-z0-9_-]`` and suffixed with a hash of the original, so two different
    hostile values never share a file.
    """
    if value and len(value) <= _MAX and value.lower() not in _RESERVED and _is_id(value):
        return value
    stem = _UNSAFE.sub("-", value.lower()).strip("-_")[:_MAX] or "x"
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{stem}-{digest}"


def _is_id(value: str) -> bool:
    return re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value) is not None
