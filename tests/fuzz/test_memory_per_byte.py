"""What a check keeps per byte of YAML: measured with tracemalloc, never timed.

The memory that grows with a playbook is its document, the positions of every
node (the source map) and the model. The check of two generated playbooks
(``bench/bench.py``'s, 500 and 2,000 activities) is traced in process; the
slope between them, in bytes allocated per byte of YAML, drops what does not
grow (imports, caches). It was 19.5 with a tuple and two dict entries per
node; the packed source map and the interned keys brought it to 9.4, short
scalars interned too to 8.1. The bound leaves room for other Python versions,
not for a return of the old layout or of a string per repeated value.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from gtmplay.pipeline import check_path

from .support import bench_module

# traced bytes per byte of YAML, from 500 to 2,000 activities (measured: 8.1)
BOUND = 10.5


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


def test_memory_per_byte_of_yaml_stays_low(tmp_path: Path) -> None:
    generate = bench_module("bench").generate
    measured = {}
    for activities in (500, 2000):
        root = tmp_path / str(activities)
        size = generate(root, activities)
        check_path(str(root))  # imports and caches: not part of the slope
        measured[activities] = (size, *traced(root))
    (small, held_small, peak_small), (large, held_large, peak_large) = (
        measured[500],
        measured[2000],
    )
    held = (held_large - held_small) / (large - small)
    peak = (peak_large - peak_small) / (large - small)
    assert held <= BOUND and peak <= BOUND, (
        f"a check holds {held:.1f} and peaks at {peak:.1f} bytes per byte of YAML (bound {BOUND})"
    )
