"""Durations as the playbook writes them (``4h``, ``2d``, ``1d12h``, ``1w``)."""

from __future__ import annotations

import re

_PART = re.compile(r"([0-9]+)([wdhm])")
_WHOLE = re.compile(r"(?:[0-9]+w)?(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?\Z")
_HOURS = {"w": 168.0, "d": 24.0, "h": 1.0, "m": 1.0 / 60.0}


def hours(text: str) -> float:
    """Length of a duration in hours (calendar time)."""
    if not text or not _WHOLE.match(text):
        raise ValueError(f"not a duration: {text!r}")
    return sum(int(n) * _HOURS[unit] for n, unit in _PART.findall(text))


def iso8601(text: str) -> str:
    """The ISO-8601 form of a duration: ``1d12h`` -> ``P1DT12H``."""
    parts = dict((unit, int(n)) for n, unit in _PART.findall(text))
    if not _WHOLE.match(text) or not parts:
        raise ValueError(f"not a duration: {text!r}")
    days = parts.get("w", 0) * 7 + parts.get("d", 0)
    out = "P" + (f"{days}D" if days else "")
    clock = "".join(f"{parts[u]}{u.upper()}" for u in ("h", "m") if parts.get(u))
    if clock:
        out += "T" + clock
    return out if out != "P" else "PT0M"


_WORDS = {"w": "week", "d": "day", "h": "hour", "m": "minute"}


def words(text: str) -> str:
    """A duration as people read it: ``4h`` -> ``4 hours``, ``1d12h`` -> ``1 day 12 hours``."""
    if not text or not _WHOLE.match(text):
        raise ValueError(f"not a duration: {text!r}")
    parts = [
        f"{int(n)} {_WORDS[unit]}{'' if int(n) == 1 else 's'}" for n, unit in _PART.findall(text)
    ]
    return " ".join(parts)
