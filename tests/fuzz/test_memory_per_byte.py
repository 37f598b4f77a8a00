"""What a check keeps per byte of YAML: measured with tracemalloc, never timed.

The memory that grows with a playbook is its document, the positions of every
node (the source map) and the model. The check of two generated playbooks
(``bench/bench.py``'s, 500 and 2,000 activities) is traced in process; the
slope between them, in bytes allocated per byte of YAML, drops what does not
grow (imports, caches). It was 19.5 with a tuple and two dict entries per
node; the packed source map and the interned keys brought it to 9.4, short
scalars interned too to 8.1 (7.6 after later changes), equal lists of the model
sharing one tuple to 7.1, records made at their exact size to 6.8, lists too to
6.7 (5.6 after later changes), a parse's records as slices of one array of
two-byte ints (no array object per container) to 3.75 (3.59 after later
changes), equal lists of the document one list object to 2.89. The bound
leaves room for other Python versions, not for a list object per list again
(3.59), nor for a return of an object per record (5.6) or of the old layout.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

from gtmplay.pipeline import check_path

from .support import BENCH, bench_module

# traced bytes per byte of YAML, from 500 to 2,000 activities (measured: 2.89
# held, 2.92 peak, on Python 3.11; tracemalloc counts the same under any load)
BOUND = 3.5


def traced(root: Path) -> tuple[int, int]:
    """Bytes allocated and still held with the result, and the peak, of one check."""
    tracemalloc.start()
    try:
        result = check_path(str(root))
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.playbook is not None, "the benchmark playbook checks clean"
    return held, peak


def slopes(folder: Path) -> tuple[float, float]:
    """Held and peak bytes per byte of YAML from 500 to 2,000 activities, in this process."""
    generate = bench_module("bench").generate
    measured = {}
    for activities in (500, 2000):
        root = folder / str(activities)
        size = generate(root, activities)
        check_path(str(root))  # imports and caches: not part of the slope
        measured[activities] = (size, *traced(root))
    (small, held_small, peak_small), (large, held_large, peak_large) = (
        measured[500],
        measured[2000],
    )
    return (held_large - held_small) / (large - small), (peak_large - peak_small) / (large - small)


def test_memory_per_byte_of_yaml_stays_low(tmp_path: Path) -> None:
    # A process of its own: a test worker that ran other tests first holds their
    # caches and frozen objects, and under xdist the slope came out at 13.7 there.
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "from fuzz.test_memory_per_byte import slopes; from pathlib import Path;"
        "print(json.dumps(slopes(Path(sys.argv[2]))))"
    )
    tests = str(BENCH.parent / "tests")
    child = subprocess.run(
        [sys.executable, "-c", script, tests, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    held, peak = json.loads(child.stdout)
    assert held <= BOUND and peak <= BOUND, (
        f"a check holds {held:.1f} and peaks at {peak:.1f} bytes per byte of YAML (bound {BOUND})"
    )
