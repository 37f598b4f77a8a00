"""Refresh the generated tables of docs/measure.md; with --check, fail if stale.

The column tables of the canonical format and the list of named queries come
from gtmplay.measure.events and gtmplay.measure.queries; the prose around them
is written by hand. Each generated block sits between
``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``.

python scripts/gen_measure_docs.py          # regenerate
python scripts/gen_measure_docs.py --check  # exit 1 when docs/measure.md differs
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from gtmplay.measure.events import TABLES, markdown_table
from gtmplay.measure.queries import QUERIES

TARGET = Path(__file__).resolve().parent.parent / "docs" / "measure.md"


def blocks() -> dict[str, str]:
    out = {f"table-{name}": markdown_table(name) for name in TABLES}
    out["queries"] = "\n".join(
        ["| query | kind | what it computes |", "|---|---|---|"]
        + [f"| `{q.name}` | {q.role} | {q.doc} |" for q in QUERIES]
    )
    return out


def refreshed(text: str) -> str:
    for name, body in blocks().items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n).*?(\n<!-- /generated:{name} -->)", re.S
        )
        if not pattern.search(text):
            raise SystemExit(f"{TARGET}: no block <!-- generated:{name} -->")
        text = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that it is current")
    args = parser.parse_args(argv)
    current = TARGET.read_text(encoding="utf-8")
    text = refreshed(current)
    if args.check:
        if current != text:
            fix = "run python scripts/gen_measure_docs.py"
            print(f"{TARGET} is out of date: {fix}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
