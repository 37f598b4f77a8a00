"""The fixed SQL texts of the sql and dbt targets, transpiled once and kept between runs.

The metrics (:data:`gtmplay.measure.queries.QUERIES`) and the canonical tables
are the same texts in every build; only the dialect changes. Transpiling them
with sqlglot was most of those two targets (parsing about forty queries in
Python, and importing sqlglot to do it). So their transpiled text is kept in
the user cache folder (:mod:`gtmplay.cachedir`), one JSON file per dialect,
named after everything the text depends on: the dialect, sqlglot's release
(its ``_version.py``, read without importing sqlglot) and gtmplay's own code
that shapes the output (the per-dialect rewrites, the two targets). Each
entry is found by the SQL text it was made from.

Only texts that do not depend on the playbook go through here: what a
playbook declares (its stages and handoffs as rows) is transpiled in every
build and never kept. A cache folder that cannot be read or written, or a
file that does not parse, only means transpiling again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

# gtmplay's modules whose code decides the transpiled text (beside the text itself)
_CODE = ("dialects.py", "sqlexport.py", "dbtexport.py")


def _sqlglot_release() -> bytes | None:
    """The bytes of sqlglot's ``_version.py`` (its release), or None without one."""
    import importlib.util

    spec = importlib.util.find_spec("sqlglot")
    if spec is None or spec.origin is None:
        return None
    try:
        return Path(spec.origin).with_name("_version.py").read_bytes()
    except OSError:
        return None


class FixedSql:
    """Transpiled fixed texts of one dialect: ``get(text, make)`` is ``make()``,
    taken from the cache file when it holds ``text``; :meth:`save` writes what
    was added."""

    def __init__(self, dialect: str) -> None:
        self._entries: dict[str, str] = {}
        self._added = False
        self._path = self._file(dialect)
        if self._path is not None:
            with contextlib.suppress(OSError, ValueError):
                loaded = json.loads(self._path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    self._entries = {k: v for k, v in loaded.items() if isinstance(v, str)}

    @staticmethod
    def _file(dialect: str) -> Path | None:
        from gtmplay.cachedir import user_cache_dir

        release = _sqlglot_release()
        if release is None:
            return None
        digest = hashlib.sha256(dialect.encode() + b"\0" + release)
        here = Path(__file__).parent
        for name in _CODE:
            try:
                digest.update(b"\0" + (here / name).read_bytes())
            except OSError:
                return None
        return user_cache_dir() / "sql" / f"{dialect}-{digest.hexdigest()[:16]}.json"

    def get(self, text: str, make: Callable[[], str]) -> str:
        key = hashlib.sha256(text.encode()).hexdigest()
        found = self._entries.get(key)
        if found is None:
            found = self._entries[key] = make()
            self._added = True
        return found

    def save(self) -> None:
        if not self._added or self._path is None:
            return
        from gtmplay.errors import OutputError
        from gtmplay.textio import json_text, write_atomic

        with contextlib.suppress(OutputError):  # a folder that cannot be written: only time
            write_atomic(self._path, json_text(dict(sorted(self._entries.items()))))
        self._added = False
