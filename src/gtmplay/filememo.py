"""Files one check found clean, remembered by content for the next check in this process.

``gtmplay diff`` checks two versions of a playbook that mostly hold the same
files. With a :class:`FileMemo` shared by both checks, the second one takes
the value of a file whose bytes the first one read and found clean (parsed
without a finding, valid against the schema for its role) instead of parsing
and validating it again. Both checks then share the memo's source map, which
keeps the positions of those values; so a finding about a value taken from
the memo names the file it was first read from. A caller that shows such
findings checks again without the memo (``services/diff.py`` does when a side
has errors).
"""

from __future__ import annotations

from typing import Any

from gtmplay.sourcemap import SourceMap

# (the file is the root, BLAKE2b of its bytes): a root and an included file
# are validated against different schemas
Key = tuple[bool, bytes]

try:
    # CPython's own BLAKE2 (0.25 MiB resident), the one hashlib.blake2b is:
    # ``import hashlib`` would load OpenSSL too (3.6 MiB), under diff's peak
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - an interpreter without the module
    from hashlib import blake2b as _blake2b


class FileMemo:
    def __init__(self) -> None:
        self.smap = SourceMap()
        self._clean: dict[Key, Any] = {}
        self.reused = 0  # files taken from the memo instead of being read again

    @staticmethod
    def key(data: bytes, *, root: bool) -> Key:
        return root, _blake2b(data, digest_size=16).digest()

    def get(self, key: Key) -> Any | None:
        """The value of a clean file with this key, or None."""
        value = self._clean.get(key)
        if value is not None:
            self.reused += 1
        return value

    def remember(self, key: Key, value: Any) -> None:
        """Keep ``value``: it parsed without a finding and is valid for its role."""
        self._clean[key] = value
