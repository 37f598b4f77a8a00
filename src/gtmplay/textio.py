"""How gtmplay writes text: one JSON layout, one Markdown cell, one atomic file.

Every JSON file and report gtmplay writes uses :func:`json_text`, every
Markdown table cell :func:`markdown_cell`, and every single file (a report,
the validator cache, an imported playbook) :func:`write_atomic`, so each has
one set of rules. A whole build folder is swapped by
:mod:`gtmplay.render.writer` instead.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from gtmplay.errors import OutputError
from gtmplay.findings import visible


def json_text(value: Any) -> str:
    """``value`` as gtmplay writes JSON: indented by two, UTF-8 as is, a final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def markdown_cell(text: str) -> str:
    """Text made safe for one table cell (no pipes, HTML, line breaks or hidden characters)."""
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # a lone CR ends a line too (it used to pass through and break the table row)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("|", "\\|").replace("\n", "<br>")


def write_atomic(
    path: str | Path, data: str | bytes, *, fix: str = "Choose a writable path"
) -> None:
    """Write ``data`` (text as UTF-8, ``\\n`` line ends) to ``path`` whole or not at all.

    The data goes to a temporary file in the same folder, which then replaces
    ``path`` in one step, so a reader never sees half a file. Any failure is
    an :class:`OutputError` naming ``path`` and what to do (``fix``).
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            # mkstemp makes the file 0600; give it the mode open() would have
            if hasattr(os, "fchmod"):
                os.fchmod(fd, _mode_for(target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        raise OutputError(path=str(path), problem=exc.strerror or str(exc), fix=fix) from None


def _mode_for(target: Path) -> int:
    """The mode of the file being replaced, or 0666 less the umask for a new one."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)  # the only way to read it; put back at once
        os.umask(umask)
        return 0o666 & ~umask
