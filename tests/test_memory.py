"""The server's garbage-collector settling (dashboard/ui/memory.py)."""

import gc
import threading

from dashboard.ui import memory


def test_each_page_settles_once_after_its_first_run(monkeypatch):
    started = []
    real_timer = threading.Timer

    def timer(delay, fn):
        started.append(delay)
        return real_timer(0, fn)

    monkeypatch.setattr(memory.threading, "Timer", timer)
    monkeypatch.setattr(memory, "_SETTLED", set())
    try:
        before = gc.get_freeze_count()
        memory.settle("map")
        memory.settle("map")  # the same page again: nothing more
        for thread in threading.enumerate():
            if isinstance(thread, real_timer):
                thread.join(5)
        assert started == [1.0]
        assert gc.get_freeze_count() > before  # what lived on is out of the full collections
        memory.settle("reach")
        assert started == [1.0, 1.0]
    finally:
        for thread in threading.enumerate():
            if isinstance(thread, real_timer):
                thread.join(5)
        gc.unfreeze()
