"""Benchmark: ``gtmplay import salesforce`` on a whole ``force-app`` tree.

Not a test: it prints one line per size. A real org's metadata (a project of
the real-world corpus) is copied and filled up with unrelated metadata files
(classes, fields, layouts, record types of other objects, Paths on Case, some
malformed) to the given number of files, as real trees hold 7,000 to 18,000::

    python bench/bench_import.py                         # 18,000 files, Gusto__sfdc
    GTMPLAY_REALWORLD_DIR=../shared/realworld python bench/bench_import.py
    python bench/bench_import.py --files 7000 18000 50000 --org ../shared/realworld/salesforce/X

Prints: files, files read, files skipped, best of ``--repeat`` wall times.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

FILLER = [
    ("classes", ".cls-meta.xml"),
    ("objects/Account/fields", ".field-meta.xml"),
    ("objects/Account/recordTypes", ".recordType-meta.xml"),
    ("objects/Case/businessProcesses", ".businessProcess-meta.xml"),
    ("layouts", ".layout-meta.xml"),
    ("lwc/widget", ".js"),
    ("standardValueSets", ".standardValueSet-meta.xml"),
    ("pathAssistants", ".pathAssistant-meta.xml"),
]


def tree(root: Path, org: Path, files: int) -> None:
    shutil.copytree(org, root, dirs_exist_ok=True)
    have = sum(1 for p in root.rglob("*") if p.is_file())
    app = root / "force-app" / "main" / "default"
    for i in range(files - have):
        folder, suffix = FILLER[i % len(FILLER)]
        target = app / folder / f"Filler{i}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        body = b"<broken" if i % 997 == 0 else b"<?xml version='1.0'?><X/>"
        if folder == "pathAssistants":
            body = b"<PathAssistant><entityName>Case</entityName></PathAssistant>"
        target.write_bytes(body)


def main() -> int:
    corpus = os.environ.get("GTMPLAY_REALWORLD_DIR")
    base = Path(corpus) if corpus else Path(__file__).resolve().parents[2] / "shared/realworld"
    default_org = base / "salesforce" / "Gusto__sfdc"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[18_000])
    parser.add_argument("--org", type=Path, default=default_org)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.org.is_dir():
        print(f"no org at {args.org} (give --org)", file=sys.stderr)
        return 2
    from gtmplay.crm.salesforce.importer import import_salesforce

    print(f"| files | read | skipped | import (best of {args.repeat}) |")
    print("|---|---|---|---|")
    for files in args.files:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "org"
            tree(root, args.org, files)
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                imported = import_salesforce([str(root)])
                best = min(best, time.perf_counter() - start)
            read, skipped = re.findall(r"\d+", imported.summary)
            print(f"| {files:,} | {read} | {skipped} | {best:.3f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
