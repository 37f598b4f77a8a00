"""How gtmplay writes text: one JSON layout, one set of Markdown escapers, one atomic file.

Every JSON file and report gtmplay writes uses :func:`json_text`; every
Markdown text it writes, docs and reports alike, :func:`markdown_text` (a
Markdown field), :func:`markdown_inline` (a name on one line) or
:func:`markdown_cell` (a table cell); and every single file (a report, a
diff, an imported playbook) :func:`write_atomic`, so each has one
set of rules. A whole build folder is swapped by :mod:`gtmplay.render.writer`
instead.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from gtmplay.errors import OutputError
from gtmplay.findings import visible


def json_text(value: Any) -> str:
    """``value`` as gtmplay writes JSON: indented by two, UTF-8 as is, a final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def batched(texts: Iterable[str], size: int) -> Iterator[str]:
    """``texts`` joined about ``size`` characters at a time, in order, and never an
    empty one: for a page of megabytes that is written while it is made, so that
    neither every piece nor the whole text is held at once. A text of ``size`` or
    more comes on its own (joining it with others would only copy it)."""
    batch: list[str] = []
    pending = 0
    for text in texts:
        if not text:
            continue
        if len(text) >= size:
            if batch:
                yield "".join(batch)
                batch.clear()
                pending = 0
            yield text
            continue
        batch.append(text)
        pending += len(text)
        if pending >= size:
            yield "".join(batch)
            batch.clear()
            pending = 0
    if batch:
        yield "".join(batch)


# --------------------------------------------------------------------------
# Markdown: GitHub, GitLab and wikis render the docs and reports gtmplay
# writes, so text from the YAML must not become raw HTML, a script link, a
# link definition, a code fence or a table column there.

URL_SCHEMES = frozenset({"http", "https", "mailto"})
# `<` opens every tag and autolink; `&` only matters where it starts an entity
_ENTITY_START = re.compile(r"&(?=#|[A-Za-z][A-Za-z0-9]*;)")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_SCHEME = re.compile(r"\s*<?\s*([A-Za-z][A-Za-z0-9+.\-]*)\s*:")
# three backticks or tildes open a code block where a line (or a list item)
# starts; a name can land there (``- {{ name }}``, ``{{ team }} hands ...``)
_FENCE = re.compile(r"`{3,}|~{3,}")


def markdown_text(value: Any) -> str:
    """A Markdown text field for a Markdown document: raw HTML and unsafe links neutralised."""
    text = str(value)
    if "<" not in text and "&" not in text and "]" not in text:
        return text  # nothing to neutralise: the common case, and pages print thousands
    text = _ENTITY_START.sub("&amp;", text).replace("<", "&lt;")
    # `[label]: url` defines a link anywhere a block starts (list items too);
    # an escaped colon never does, and reads the same
    text = text.replace("]:", "]\\:")
    return _INLINE_LINK.sub(_inline_link, text)


def markdown_inline(value: Any) -> str:
    """A one-line value (a name, a heading, a list item) for a Markdown document.

    As :func:`markdown_text`, on one line, and a run of backticks or tildes
    escaped: a name holding ```` ```mermaid ```` must not open a code block
    (or a diagram) that swallows the rest of the page.
    """
    return _no_fence(" ".join(markdown_text(value).split()))


def _no_fence(text: str) -> str:
    if "`" in text or "~" in text:
        text = _FENCE.sub(lambda m: "".join("\\" + c for c in m.group()), text)
    return text


def markdown_cell(value: Any) -> str:
    """A value for one Markdown table cell, in the docs and in the reports.

    As :func:`markdown_inline` (a cell is also used where a line starts: a
    list item, a heading), and: hidden and control characters shown as
    ``<U+XXXX>`` (a right-to-left override would reorder the row's columns
    as the reader sees them), ``>`` as an entity too, pipes escaped, and the
    text on one line as Markdown reads it: a line break is a space, a blank
    line between paragraphs a ``<br><br>``.
    """
    text = visible(str(value))
    if _plain_words(text) or _CELL_PLAIN.fullmatch(text):
        return text  # the common case: a name of plain words
    text = markdown_text(text).replace(">", "&gt;").replace("|", "\\|")
    # a lone CR ends a line too (it used to pass through and break the table row)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (" ".join(block.split()) for block in _PARAGRAPH_BREAK.split(text))
    return _no_fence("<br><br>".join(p for p in paragraphs if p))


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_CELL_PLAIN = re.compile(r"[^<>&\[|`~\s]+(?: [^<>&\[|`~\s]+)*")
_CELL_SPECIAL = re.compile(r"[<>&\[|`~]").search


def _plain_words(text: str) -> bool:
    """Whether ``text`` is printable words with one space between them and none of
    the characters a cell escapes: enough for :data:`_CELL_PLAIN` to match (which
    also takes the few invisible characters ``visible`` keeps), in string
    methods, in half its time on the long unique texts of a big playbook (the
    names and descriptions of the activities page)."""
    return (
        text.isprintable()
        and text != ""
        and _CELL_SPECIAL(text) is None
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def _allowed(target: str) -> bool:
    """Whether a link destination written in a text field may stay a link."""
    import html  # here, not at the top: a check imports this module and never renders

    target = html.unescape(target)
    scheme = _SCHEME.match(target)
    if scheme is None:
        return not re.search(r"&#|&[a-z]+;", target, re.I)  # relative: fine unless obfuscated
    return scheme.group(1).lower() in URL_SCHEMES


def _inline_link(match: re.Match[str]) -> str:
    # `]\(` is shown as text, so the link is no longer a link
    return match.group(0) if _allowed(match.group(1)) else "]\\(" + match.group(0)[2:]


def write_atomic(
    path: str | Path, data: str | bytes, *, fix: str = "Choose a writable path"
) -> None:
    """Write ``data`` (text as UTF-8, ``\\n`` line ends) to ``path`` whole or not at all.

    The data goes to a temporary file in the same folder, which then replaces
    ``path`` in one step, so a reader never sees half a file. Any failure is
    an :class:`OutputError` naming ``path`` and what to do (``fix``).
    """
    import tempfile  # here: it pulls shutil, lzma and bz2 (0.5 MiB), which a check never needs

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


def deliver(text: str, output: str | None) -> str:
    """A command's whole report: written to ``output`` (see :func:`write_atomic`)
    when one is named, and then nothing is left for standard output."""
    if output:
        write_atomic(output, text)
        return ""
    return text


def _mode_for(target: Path) -> int:
    """The mode of the file being replaced, or 0666 less the umask for a new one."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)  # the only way to read it; put back at once
        os.umask(umask)
        return 0o666 & ~umask
