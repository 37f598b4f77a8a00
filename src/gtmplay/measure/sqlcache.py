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

Only texts that do not depend on the playbook go into those files. What a
playbook declares (its stages and handoffs as rows, quoted by sqlglot in
each dialect) is kept apart, by :func:`declared_text`: one small file per
text and dialect, holding the text printed last and the digest of the rows
it was printed from. A build whose playbook declares what the last build's
did (most builds: the stages and handoffs change rarely, the activities
often) then imports no sqlglot at all, about 0.06 s of CPU. A cache folder
that cannot be read or written, or a file that does not parse or whose
digest differs, only means printing again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

# gtmplay's modules whose code decides the transpiled text (beside the text itself);
# events.py gives the declared tables their columns and types
_CODE = ("dialects.py", "sqlexport.py", "dbtexport.py", "events.py")


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


@functools.cache
def _code() -> tuple[bytes, ...] | None:
    """The text of the modules in :data:`_CODE`, read once per process: a build of
    the sql and dbt targets looks for five kept files (the fixed queries of each,
    the declared rows of sql once and of dbt per table)."""
    here = Path(__file__).parent
    try:
        return tuple((here / name).read_bytes() for name in _CODE)
    except OSError:
        return None


def _depends(dialect: str) -> str | None:
    """A digest of what any transpiled text depends on beside its input: the
    dialect, sqlglot's release and gtmplay's code; None when one cannot be read."""
    release = _sqlglot_release()
    code = _code()
    if release is None or code is None:
        return None
    digest = hashlib.sha256(dialect.encode() + b"\0" + release)
    for text in code:
        digest.update(b"\0" + text)
    return digest.hexdigest()


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

        digest = _depends(dialect)
        if digest is None:
            return None
        return user_cache_dir() / "sql" / f"{dialect}-{digest[:16]}.json"

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


def declared_text(name: str, dialect: str, rows: object, make: Callable[[], str]) -> str:
    """``make()``, the text ``name`` of ``dialect`` printed from the playbook's ``rows``
    (plain values: their ``repr`` is their identity), kept between runs.

    The file ``declared/<name>-<dialect>.sql`` holds one text, after a first
    line with the digest of the rows and of :func:`_depends`, and one of the
    text: it is reused only when all three match, and replaced otherwise. One file per name and
    dialect, so the folder does not grow with each edit of a playbook.
    """
    from gtmplay.cachedir import user_cache_dir

    depends = _depends(dialect)
    if depends is None:
        return make()
    key = hashlib.sha256(f"{depends}\0{name}\0{rows!r}".encode()).hexdigest()
    path = user_cache_dir() / "declared" / f"{name}-{dialect}.sql"
    with contextlib.suppress(OSError, UnicodeDecodeError, ValueError):
        head, kept = path.read_text(encoding="utf-8").split("\n", 1)
        if head == _head(key, kept):
            return kept
    text = make()
    from gtmplay.errors import OutputError
    from gtmplay.textio import write_atomic

    with contextlib.suppress(OutputError):  # a folder that cannot be written: only time
        write_atomic(path, f"{_head(key, text)}\n{text}")
    return text


def _head(key: str, text: str) -> str:
    """The first line of a kept declared text: its key, and a digest of the text
    after it (a file damaged since it was written is printed again)."""
    return f"-- gtmplay {key} {hashlib.sha256(text.encode()).hexdigest()[:16]}"
