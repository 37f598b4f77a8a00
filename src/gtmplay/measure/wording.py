"""How figures read in messages and tables: one wording everywhere."""

from __future__ import annotations


def count(n: int) -> str:
    """``8800`` -> ``8,800``."""
    return f"{n:,}"


def share(ratio: float | None) -> str:
    """``0.631501`` -> ``63.2%``; ``None`` -> ``-``."""
    return "-" if ratio is None else f"{ratio * 100:.1f}%"


def number(value: float | None) -> str:
    """Days or hours: whole when whole, else one decimal; ``None`` -> ``-``."""
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def plural(n: int, word: str) -> str:
    return f"{count(n)} {word}{'' if n == 1 else 's'}"
