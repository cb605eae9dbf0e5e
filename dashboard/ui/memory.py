"""The server's memory between page loads: Python's garbage collector and the long-lived data."""

from __future__ import annotations

import gc
import threading

_SETTLED: set[str] = set()
_SETTLE_LOCK = threading.Lock()


def settle(page: str, delay: float = 1.0) -> None:
    """Once per page and server process, a moment after that page's first run: collect the garbage,
    then freeze what is left (imported modules, cached reference data, published layers) out of
    Python's full collections. Without it, a full collection went through every one of those
    objects again, 0.1-0.2 s of a page load, one load in two or three, finding nothing to free.
    Done on a timer thread, so that the run that triggers it is not held up."""
    with _SETTLE_LOCK:
        if page in _SETTLED:
            return
        _SETTLED.add(page)

    def collect_and_freeze() -> None:
        gc.collect()
        gc.freeze()

    timer = threading.Timer(delay, collect_and_freeze)
    timer.daemon = True
    timer.start()
