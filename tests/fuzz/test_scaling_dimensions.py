"""The check is linear in every dimension of a playbook: counted, never timed.

For each layout of ``bench/layouts.py`` the check runs at three sizes, N, 2N
and 4N, and the work is measured by what does not depend on the machine's
load: the number of function calls (cProfile's count) and the peak of memory
allocated (tracemalloc). With ``w(n) = a + b * n**p``, the fixed cost ``a``
cancels in ``(w(4N) - w(2N)) / (w(2N) - w(N)) = 2**p``, which gives the
exponent ``p``; above 1.2 the test fails. (The quadratic paths this guards
against measured 1.9 to 2.0 here: did-you-mean over every id for each broken
reference, the ids of a kind copied per reference field, a new merged list
per included file.)
"""

from __future__ import annotations

import cProfile
import math
import pstats
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from gtmplay.pipeline import check_path

from .support import bench_module

LIMIT = 1.2

# dimension -> N: large enough that the per-size work dominates the fixed cost
SIZES = {
    "activities": 400,
    "stages": 50,
    "personas": 50,
    "handoffs": 50,
    "files": 100,
    "broken-references": 100,
    "description": 100,
    "markdown": 100,
}


def layouts() -> ModuleType:
    return bench_module("layouts")


def calls(root: Path) -> float:
    profile = cProfile.Profile()
    profile.enable()
    check_path(str(root))
    profile.disable()
    return float(pstats.Stats(profile).total_calls)


# Two traced checks whose peaks are this close paid no one-off allocation
# (about 1 MB, below); repeated peaks of one root differ by 0 to 32 bytes.
AGREE = 1024


def peak_memory(root: Path) -> float:
    """The least peak of three traced checks. A check can also pay for a one-off
    allocation of the process (the first traced check, a table of interned
    strings or a cache doubling: about 1 MB), at whichever size crosses its
    threshold; once was enough to make 50 personas peak above 100. A path that
    grows faster than linearly shows in every run, so the least hides none.
    The third check runs only when the first two disagree: a one-off is paid
    once, so two that agree are both free of it and a third could not be less
    by more than those few bytes (it saves a third of this test's CPU, as a
    traced check costs seven untraced ones)."""
    peaks: list[float] = []
    while len(peaks) < 3:
        tracemalloc.start()
        try:
            check_path(str(root))
            peaks.append(float(tracemalloc.get_traced_memory()[1]))
        finally:
            tracemalloc.stop()
        if len(peaks) == 2 and abs(peaks[0] - peaks[1]) < AGREE:
            break
    return min(peaks)


def exponent(work: Callable[[int], float], n: int) -> float:
    """``p`` of ``a + b * n**p`` from the work at n, 2n and 4n."""
    w1, w2, w4 = work(n), work(2 * n), work(4 * n)
    if w2 <= w1:  # no growth from n to 2n (calls do not see a longer text)
        return 0.0 if w4 <= w2 else math.inf
    return math.log2(max(w4 - w2, 1) / (w2 - w1))


def test_the_exponent_of_a_known_curve() -> None:
    assert exponent(lambda n: 1000 + 3 * n, 10) == pytest.approx(1.0)
    assert exponent(lambda n: 50 + n * n, 10) == pytest.approx(2.0)
    assert exponent(lambda n: 7, 10) == 0.0
    assert exponent(lambda n: 7 if n < 40 else 8, 10) == math.inf


def test_every_dimension_is_listed() -> None:
    assert set(SIZES) == set(layouts().DIMENSIONS)


@pytest.mark.parametrize("dimension", sorted(SIZES))
def test_check_is_linear(dimension: str, tmp_path: Path) -> None:
    make = layouts().make
    roots: dict[int, Path] = {}

    def root(size: int) -> Path:
        if size not in roots:
            roots[size] = tmp_path / str(size)
            make(roots[size], dimension, size)
            check_path(str(roots[size]))  # imports and caches: not part of the count
        return roots[size]

    n = SIZES[dimension]
    by_calls = exponent(lambda size: calls(root(size)), n)
    by_memory = exponent(lambda size: peak_memory(root(size)), n)
    assert max(by_calls, by_memory) <= LIMIT, (
        f"{dimension}: calls grow as n^{by_calls:.2f}, memory as n^{by_memory:.2f}"
    )
