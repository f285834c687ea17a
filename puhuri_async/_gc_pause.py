"""Fewer garbage collections while a list is being collected.

Collecting a list makes tens of thousands of long-lived objects (the items, their JSON) in a
few hundred milliseconds. CPython's collector counts allocations: every 700 it scans the
youngest objects, every tenth of those the middle ones, and now and then all of them, so the
items collected so far are scanned again and again although none of them is garbage. While a
``collect()`` runs, the first threshold is raised (``FACTOR`` times); when the last running
``collect()`` of the process ends, it is set back and the collector runs as it would have.

The thresholds are the process's, so the change is counted (several collects at once, on any
thread or event loop, share one raise) and always undone, whatever the collect ends with.

The raise makes collections rarer, but each full one still walks every item made so far, so the
cost per item grew with the list (1.65x from 10,000 to 200,000 users). So ``keep_collected()``,
called by ``collect()`` after each page, moves every object tracked so far out of the
collector's reach (``gc.freeze()``: constant time), and the last pause to end gives them back
(``gc.unfreeze()``: they are collected again as usual, garbage included). A program that froze
objects itself (``gc.get_freeze_count()`` not 0, say before forking) is left alone: no freeze.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["FACTOR", "FREEZE", "fewer_collections", "keep_collected"]

FACTOR: int = 100  # a module setting: the benchmarks set it to 1 for the side without the pause
FREEZE: bool = True  # a module setting too: False turns ``keep_collected`` off

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None
_may_freeze = False  # no freeze of the program's own when the first pause began
_froze = False


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's first threshold for the block (see the module docs)."""
    global _active, _saved, _may_freeze, _froze
    with _lock:
        _active += 1
        if _active == 1:
            _may_freeze, _froze = gc.get_freeze_count() == 0, False
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
            if _active == 0 and _froze:
                gc.unfreeze()
                _froze = False


def keep_collected() -> None:
    """Inside a pause: the objects made so far are kept, the collector need not walk them
    again until the last pause ends (see the module docs)."""
    global _froze
    if FREEZE and _active and _may_freeze:
        with _lock:
            if _active:
                gc.freeze()
                _froze = True
