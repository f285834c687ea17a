"""Fewer garbage collections while a list is being collected.

Collecting a list makes tens of thousands of long-lived objects (the items, their JSON) in a
few hundred milliseconds. CPython's collector counts allocations: every 700 it scans the
youngest objects, every tenth of those the middle ones, and now and then all of them, so the
items collected so far are scanned again and again although none of them is garbage. While a
``collect()`` runs, the first threshold is raised (``FACTOR`` times); when the last running
``collect()`` of the process ends, it is set back and the collector runs as it would have.

The thresholds are the process's, so the change is counted (several collects at once, on any
thread or event loop, share one raise) and always undone, whatever the collect ends with.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["FACTOR", "fewer_collections"]

FACTOR: int = 100  # a module setting: the benchmarks set it to 1 for the side without the pause

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's first threshold for the block (see the module docs)."""
    global _active, _saved
    with _lock:
        _active += 1
        if _active == 1:
            first, second, third = gc.get_threshold()
            _saved = (first, second, third)
            if first > 0:  # 0: collection is off; leave it so
                gc.set_threshold(first * FACTOR, second, third)
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _saved is not None:
                if gc.get_threshold()[0] == _saved[0] * FACTOR or _saved[0] == 0:
                    gc.set_threshold(*_saved)  # unless the program set its own meanwhile
                _saved = None
