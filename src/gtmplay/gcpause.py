"""Pause the cyclic garbage collector around work that allocates a lot.

Loading a playbook builds hundreds of thousands of small containers and
rendering makes millions of short-lived strings; neither makes reference
cycles that matter, so the cyclic collector would only walk the large model
again and again (a third of the time of a large check). Reference counting
still frees everything as usual.

Resuming is not free either: everything made while paused waits in the
youngest generation, and the first collection after resuming walked all of
it (about a sixth of a 10,000-activity check). So the survivors are frozen
(``gc.freeze``) before the collector resumes: it never walks them again, and
reference counting still frees them when they are dropped.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block; freeze and restore after.

    Nested blocks leave the freezing to the outermost one.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
