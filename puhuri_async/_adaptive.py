"""What a client learns of a server while it reads its lists: how many pages it serves well at
once (``Pacer``) and how long its lists were (``Counts``), kept per transport (``learned``).

How the pacer decides (``docs/concurrency.md`` says the same for users):

- Every page request of a list takes a slot; at most ``limit`` are out at once, never more than
  the transport's ``max_concurrency`` (``ceiling``), never fewer than 1. A new pacer starts at
  the ceiling: on a fast server at a distance nothing is lost while it learns.
- When a page comes back (its body read, before the client decodes it), its latency is
  compared with the fastest page of the same list so far (one of the first window's pages,
  fetched before any other page of the list is out): ``stretch = latency / fastest``. With
  ``n`` pages out when it was sent, the server served about ``n / stretch`` of them at full
  speed.
- Latency flat (``stretch <= TOLERANCE``, 2): the requests did not queue, so the limit grows
  by one page (when it was in use: ``n`` at the limit).
- Latency up: the limit falls to ``2 * n / stretch + 1`` (twice what the server served at full
  speed, plus one), by at most half per page, and not below 2 (``FLOOR``: pages of one list
  differ in cost, so a single page can look several times slower than the fastest one with
  nothing queued; measured on the real server, one page at a time was slower than two to
  sixteen once the machine was quiet). A server that is CPU-bound makes every page
  slower in proportion to the pages in flight, and its limit settles at about twice the
  requests it really runs in parallel: its queue stays short, and an estimate low by half
  (latencies are noisy on a busy machine; the client's own CPU adds to them) loses no
  throughput.
- A retried or rate-limited request (``429``/``503``, counted by the transport), or a page
  that failed, halves the limit (down to 1).

The pacer only counts; waiting for a slot is an ``anyio`` event, so it works on asyncio and
trio alike. Nothing here measures wall time for a decision that a test could see: the clock is
injectable and the tests drive it.
"""

from __future__ import annotations

import math
import time
import weakref
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Final

import anyio

__all__ = ["Counts", "Learned", "Pacer", "learned"]

TOLERANCE: Final = 2.0
"""A page this many times slower than the fastest of its list still counts as "flat"."""
HEADROOM: Final = 2.0
"""The limit after a slow page: this many times what the server served at full speed, + 1."""
FLOOR: Final = 2.0
"""The lowest limit latency alone leads to (trouble may halve it to 1)."""


class Pacer:
    """How many page requests may be out at once (see the module docs)."""

    def __init__(self, ceiling: int, *, clock: Callable[[], float] = time.perf_counter) -> None:
        self.ceiling = ceiling
        self.limit = float(ceiling)
        """The current bound (a float: it moves by fractions); ``int(limit)`` slots are open."""
        self.adaptive = True
        """``False`` pins the limit at the ceiling (a fixed ``max_concurrency``)."""
        self.in_flight = 0
        self.lowest = ceiling
        """The lowest whole limit reached (for reports)."""
        self.clock = clock
        self._waiters: deque[anyio.Event] = deque()
        self._troubles = 0  # retries + rate-limited answers of the transport, last seen

    @property
    def slots(self) -> int:
        """Pages that may be out at once now."""
        if not self.adaptive:
            return self.ceiling
        return max(1, min(self.ceiling, int(self.limit)))

    async def acquire(self) -> int:
        """Wait for a slot, first come first served; the pages out (this one included) once
        it is taken. A slot freed for a waiting page is taken for it at once (``_wake``), so a
        page that comes later cannot pass it before it runs."""
        if self.in_flight < self.slots and not self._waiters:
            self.in_flight += 1
            return self.in_flight
        event = anyio.Event()
        self._waiters.append(event)
        try:
            await event.wait()
        except BaseException:  # cancelled: leave the queue, or pass on the slot taken for it
            if event in self._waiters:
                self._waiters.remove(event)
            elif event.is_set():
                self.in_flight -= 1
                self._wake()
            raise
        return self.in_flight

    def release(self, sent_with: int, stretch: float | None, *, trouble: bool = False) -> bool:
        """A page is back: ``sent_with`` pages were out when it was sent, it was ``stretch``
        times slower than the fastest of its list (``None``: no sample), ``trouble`` when it
        failed or the transport had to retry or was rate-limited meanwhile. True when a
        waiting page was given the slot (it runs once the caller lets the loop run)."""
        self.in_flight -= 1
        if trouble:
            self.limit = max(1.0, self.limit / 2)
        elif stretch is not None:
            self._adjust(sent_with, stretch)
        self.lowest = min(self.lowest, self.slots)
        return self._wake()

    def troubled(self, retries_and_throttles: int) -> bool:
        """Whether the transport's count of retries and ``429`` answers grew since last seen."""
        grew = retries_and_throttles > self._troubles
        self._troubles = retries_and_throttles
        return grew

    def _adjust(self, sent_with: int, stretch: float) -> None:
        if stretch <= TOLERANCE:
            if sent_with >= self.slots:  # the limit was in use: room to grow
                self.limit = min(float(self.ceiling), self.limit + 1)
            return
        served = sent_with / stretch
        self.limit = max(FLOOR, self.limit / 2, min(self.limit, HEADROOM * served + 1))

    def _wake(self) -> bool:
        """Give the free slots to the first waiting pages; whether any was woken."""
        woke = False
        while self.in_flight < self.slots and self._waiters:
            self.in_flight += 1
            self._waiters.popleft().set()
            woke = True
        return woke


class Counts:
    """The item counts of the lists read lately, by (list URL, query, page size): the page
    size the server used and its ``X-Result-Count``, so the next read of the same list can ask
    for its pages at once. At most ``size`` lists are kept (the least recently read go).

    It also keeps, per list URL (any query), how many pages the last list read there had:
    the guess for a query not read yet (``guess``), so that after one short list of an
    endpoint, the next query of the same endpoint asks for page 1 alone again."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._known: OrderedDict[tuple[str, str, int], tuple[int, int]] = OrderedDict()
        self._last: OrderedDict[str, int] = OrderedDict()

    def pages(self, key: tuple[str, str, int]) -> int | None:
        """The pages the list had when last read (``None`` when unknown)."""
        known = self._known.get(key)
        if known is None:
            return None
        self._known.move_to_end(key)
        total, used = known
        return _pages(total, used)

    def guess(self, list_url: str) -> int | None:
        """The pages of the last list read at ``list_url``, whatever its query (``None``:
        none read there yet)."""
        return self._last.get(list_url)

    def remember(self, key: tuple[str, str, int], total: int, used: int) -> None:
        """List ``key`` had ``total`` items on pages of ``used``."""
        self._known[key] = (total, max(1, used))
        self._known.move_to_end(key)
        while len(self._known) > self._size:
            self._known.popitem(last=False)
        self._last[key[0]] = _pages(total, used)
        self._last.move_to_end(key[0])
        while len(self._last) > self._size:
            self._last.popitem(last=False)


def _pages(total: int, used: int) -> int:
    return max(1, math.ceil(total / max(1, used)))


class Learned:
    """What one transport's paginators learned: its ``pacer`` and its lists' ``counts``."""

    def __init__(self, ceiling: int) -> None:
        self.pacer = Pacer(ceiling)
        self.counts = Counts()


_LEARNED: weakref.WeakKeyDictionary[object, Learned] = weakref.WeakKeyDictionary()


def learned(source: object, ceiling: int) -> Learned:
    """The ``Learned`` of ``source`` (a transport), made on first use and dropped with it; a
    source that cannot be weakly referenced gets a fresh one each time."""
    try:
        found = _LEARNED.get(source)
    except TypeError:
        return Learned(ceiling)
    if found is None or found.pacer.ceiling != ceiling:
        found = _LEARNED[source] = Learned(ceiling)
    return found
