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


def period_label(grain: str | None, first_day: str | None) -> str:
    """A period by its first day: ``2017-12``, ``2017-Q4``, ``week of 2017-12-25``, a day."""
    if not first_day:
        return "-"
    if grain == "month":
        return first_day[:7]
    if grain == "quarter" and first_day[5:7].isdigit():
        return f"{first_day[:4]}-Q{(int(first_day[5:7]) - 1) // 3 + 1}"
    if grain == "week":
        return f"week of {first_day}"
    return first_day


# a KPI's value as the messages and tables write it after the number
UNIT_WORDS: dict[str, str] = {
    "percent": "%",
    "days": " days",
    "hours": " hours",
    "currency": "",
    "count": "",
    "ratio": "x",
}

# the factors of a velocity or coverage KPI, in the words the tables use
FACTOR_WORDS: dict[str, str] = {
    "open_deals": "open deals",
    "win_rate": "win rate",
    "average_won_amount": "average won amount",
    "median_cycle_days": "median cycle days",
    "open_pipeline": "open pipeline",
    "revenue_target": "revenue target",
}


def kpi_value(value: float | None, unit: str, kind: str) -> str:
    """``1,131,573``, ``63.2%``, ``2.5x``, ``54,640.7 per day``: a KPI value with its unit."""
    if value is None:
        return "-"
    per_day = " per day" if kind == "velocity" else ""
    return f"{number(value)}{UNIT_WORDS.get(unit, f' {unit}')}{per_day}"


def factor(name: str, value: float | None) -> str:
    """One factor: ``2,089 open deals``, ``63.2% win rate``."""
    shown = share(value) if name == "win_rate" else number(value)
    return f"{shown} {FACTOR_WORDS.get(name, name)}"
