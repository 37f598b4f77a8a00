"""``bench/bench.py`` measures a command's own peak memory, not its own process's.

A process started straight from the benchmark counted the benchmark's resident
memory in its peak (Linux keeps the largest RSS a process had under any
program, and the first is the image forked from its parent): every command
read at least the 45 MiB the benchmark holds after its in-process checks of
10,000 activities.
"""

from __future__ import annotations

import sys

import pytest

from .support import bench_module


def test_a_command_is_measured_without_the_memory_of_the_benchmark() -> None:
    measured = bench_module("bench").measured
    held = b"\1" * (96 * 1024 * 1024)  # written, so resident (not zero pages)
    _, peak, cpu = measured([sys.executable, "-c", "pass"], ok=(0,))
    assert len(held) and peak < 40, f"a bare interpreter peaked at {peak:.1f} MiB"
    assert 0 < cpu < 5


def test_a_command_that_fails_stops_the_benchmark_with_its_status() -> None:
    measured = bench_module("bench").measured
    failing = "import sys; print('oops', file=sys.stderr); sys.exit(3)"
    with pytest.raises(SystemExit, match="exited 3: oops"):
        measured([sys.executable, "-c", failing], ok=(0,))
