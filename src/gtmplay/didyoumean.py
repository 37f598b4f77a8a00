"""``did you mean "x"?``: the one place that guesses what a mistyped word meant.

Used for unknown fields, ids, rule names, report formats and build targets,
so every suggestion reads the same and uses the same closeness cut-off.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


def suggest(word: str, choices: Iterable[str]) -> str:
    """``did you mean "x"?`` for the closest known choice, or nothing."""
    match = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f'did you mean "{match[0]}"?' if match else ""
