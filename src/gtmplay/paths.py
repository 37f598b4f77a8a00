"""Semantic paths: ``stages[proposal].probability`` instead of line numbers.

A semantic path names an object by its id, so it stays the same when lines
move or items are reordered; findings are matched across revisions by it.
"""

from __future__ import annotations

from typing import Any

from gtmplay.model import JsonPath


def semantic_path(doc: Any, path: JsonPath) -> str:
    """Render ``path`` within ``doc``, naming list items by their ``id``."""
    out: list[str] = []
    node = doc
    for step in path:
        child: Any = None
        if isinstance(step, int):
            if isinstance(node, list) and 0 <= step < len(node):
                child = node[step]
            ident = child.get("id") if isinstance(child, dict) else None
            out.append(f"[{ident}]" if isinstance(ident, str) else f"[{step}]")
        else:
            if isinstance(node, dict):
                child = node.get(step)
            out.append(f".{step}" if out else step)
        node = child
    return "".join(out)
