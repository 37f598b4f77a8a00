"""Benchmark: the Markdown conversion of text fields on pathological input.

Not a test (``tests/render/test_markdown_cost.py`` checks the bounds): it
prints, for each input known to make Python-Markdown quadratic or worse, the
time ``gtmplay.render.sanitize.markdown_html`` takes at 25 KB and 100 KB and
the ratio between them (4 for linear time, 16 for quadratic). Usage::

    python bench/markdown_pathological.py            # the table for docs/hardening.md
    python bench/markdown_pathological.py --raw      # Python-Markdown alone, unguarded
"""

from __future__ import annotations

import argparse
import time

# text unit -> what it exercises; each is repeated to the size measured
PATHOLOGICAL: dict[str, str] = {
    "[": "an unclosed bracket, each scanning to the end",
    "[a](": "an unclosed link destination",
    "![a](": "an unclosed image",
    "[a][": "unclosed reference links",
    "[[a]]": "nested brackets",
    "(": "unclosed parentheses",
    "# a\n": "headings in one block",
    "---\n": "rules in one block",
    "* * *\n": "spaced rules in one block",
    "a\n===\n": "setext headings in one block",
    ">": "quotes nested by their markers",
    "1. ": "lists nested by their markers",
    "[a](b) ": "well-formed links, thousands in one block",
    "a\n\n": "one-line paragraphs, tens of thousands",
    "- a\n": "list items, tens of thousands",
    "Some *words* and a [link](https://x.test). ": "ordinary prose (for comparison)",
}
SIZES = (25_000, 100_000)


def timed(convert: object, text: str) -> float:
    start = time.perf_counter()
    try:
        convert(text)  # type: ignore[operator]
    except RecursionError:
        return float("nan")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", action="store_true", help="Python-Markdown without the guard")
    args = parser.parse_args()
    from gtmplay.render import sanitize

    if args.raw:
        convert = sanitize._converter()
    else:

        def convert(text: str) -> object:
            sanitize.markdown_html.cache_clear()
            return sanitize.markdown_html(text)

    print("| input | 25 KB | 100 KB | ratio |")
    print("|---|---:|---:|---:|")
    for unit, what in PATHOLOGICAL.items():
        times = [timed(convert, unit * (size // len(unit) + 1)) for size in SIZES]
        ratio = times[1] / times[0] if times[0] > 0 else float("nan")
        shown = unit.replace("\n", "\\n")
        print(f"| `{shown}` ({what}) | {times[0]:.3f}s | {times[1]:.3f}s | {ratio:.1f} |")


if __name__ == "__main__":
    main()
