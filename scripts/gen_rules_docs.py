"""Write docs/rules.md from the rule registry; with --check, fail if it is stale.

python scripts/gen_rules_docs.py          # regenerate
python scripts/gen_rules_docs.py --check  # exit 1 when docs/rules.md differs
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gtmplay.rules.listing import markdown_document

TARGET = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that it is current")
    args = parser.parse_args(argv)
    text = markdown_document()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python scripts/gen_rules_docs.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
