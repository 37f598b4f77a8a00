"""Generate ``schemas/playbook-fragment.schema.json`` from the main schema.

Included files (fragments) hold more of the same sections as the root playbook
file, but not ``gtmplay``, ``name`` or ``description``. The fragment schema is a
self-contained copy of the main schema (``$defs`` duplicated) because
fastjsonschema does not follow references across files reliably.

    python scripts/gen_fragment_schema.py           # rewrite the fragment schema
    python scripts/gen_fragment_schema.py --check   # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

from gtmplay.schemafiles import ROOT_ONLY
from gtmplay.textio import json_text

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "schemas" / "playbook.schema.json"
FRAGMENT = ROOT / "schemas" / "playbook-fragment.schema.json"

FRAGMENT_ID = "https://gtmplay.dev/schemas/playbook-fragment.schema.json"


def fragment_schema(main: dict[str, Any]) -> dict[str, Any]:
    """Return the fragment schema derived from the main schema ``main``."""
    out: dict[str, Any] = {}
    for key, value in main.items():
        if key == "required":
            continue
        if key == "$id":
            out[key] = FRAGMENT_ID
        elif key == "title":
            out[key] = "gtmplay playbook fragment"
        elif key == "description":
            out[key] = (
                "A file included by a gtmplay playbook. It holds more of the same sections as "
                "the main playbook file (and may include further files), but not `gtmplay`, "
                "`name` or `description`, which belong to the main file only."
            )
        elif key == "properties":
            out[key] = {k: copy.deepcopy(v) for k, v in value.items() if k not in ROOT_ONLY}
        else:
            out[key] = copy.deepcopy(value)
    return out


def render(main_path: Path = MAIN) -> str:
    """Return the text of the fragment schema generated from the file ``main_path``."""
    return json_text(fragment_schema(json.loads(main_path.read_text(encoding="utf-8"))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = render()
    current = FRAGMENT.read_text(encoding="utf-8") if FRAGMENT.exists() else None
    if args.check:
        if current != text:
            print(f"{FRAGMENT.relative_to(ROOT)} is out of date; run {Path(__file__).name}")
            return 1
        return 0
    if current != text:
        FRAGMENT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
