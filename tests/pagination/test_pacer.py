"""The pacer alone: a simulated server on a fake clock drives it, so what it decides is exact."""

from __future__ import annotations

import heapq

import anyio
import pytest

from puhuri_async._adaptive import Counts, Pacer, learned

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def simulate(pacer: Pacer, clock: Clock, pages: int, cores: int) -> list[int]:
    """Send ``pages`` requests as fast as the pacer lets; a request sent with ``n`` out takes
    ``max(1, n / cores)`` seconds (a server with ``cores`` CPUs). The slots before each send."""
    fastest = float("inf")
    out: list[tuple[float, int, int, float]] = []  # (finish, order, sent_with, sent_at)
    sent, slots = 0, []
    while sent < pages or out:
        while sent < pages and pacer.in_flight < pacer.slots:
            slots.append(pacer.slots)
            sent_with = await pacer.acquire()
            assert pacer.in_flight <= pacer.ceiling
            finish = clock.now + max(1.0, sent_with / cores)
            heapq.heappush(out, (finish, sent, sent_with, clock.now))
            sent += 1
        finish, _, sent_with, sent_at = heapq.heappop(out)
        clock.now = finish
        latency = finish - sent_at
        fastest = min(fastest, latency)
        pacer.release(sent_with, latency / fastest)
    return slots


@pytest.mark.parametrize(("cores", "low", "high"), [(1, 2, 3), (2, 4, 5), (4, 8, 9)])
async def test_a_busy_server_brings_the_limit_down_to_what_it_serves(
    cores: int, low: int, high: int
) -> None:
    clock = Clock()
    pacer = Pacer(16, clock=clock)
    slots = await simulate(pacer, clock, 80, cores)
    assert slots[0] == 16  # a new pacer starts at the ceiling
    assert low <= min(slots[-20:])
    assert max(slots[-20:]) <= high
    assert pacer.lowest >= 1


async def test_a_server_that_keeps_up_keeps_the_ceiling() -> None:
    clock = Clock()
    pacer = Pacer(16, clock=clock)
    slots = await simulate(pacer, clock, 80, cores=16)
    assert set(slots) == {16}
    assert pacer.lowest == 16


async def test_the_limit_never_passes_the_ceiling_and_grows_back_after_trouble() -> None:
    pacer = Pacer(8)
    for expected in (4, 2, 1, 1):
        await pacer.acquire()
        pacer.release(1, None, trouble=True)
        assert pacer.slots == expected
    grown = []
    for _ in range(12):  # flat pages with the limit in use: one more slot each
        sent_with = 0
        for _ in range(pacer.slots):
            sent_with = await pacer.acquire()
        for _ in range(sent_with):
            pacer.release(sent_with, 1.0)
        grown.append(pacer.slots)
    assert grown[0] > 1
    assert grown[-1] == 8
    assert max(grown) == 8
    assert pacer.lowest == 1


async def test_a_limit_not_in_use_does_not_grow() -> None:
    pacer = Pacer(8)
    pacer.limit = 2.0
    for _ in range(5):
        await pacer.acquire()
        pacer.release(1, 1.0)  # one page out of two slots: no evidence for more
    assert pacer.slots == 2


async def test_a_pinned_pacer_keeps_the_ceiling() -> None:
    pacer = Pacer(4)
    pacer.adaptive = False
    for _ in range(3):
        await pacer.acquire()
        pacer.release(4, 10.0, trouble=True)
    assert pacer.slots == 4


@pytest.mark.parametrize("woken", [False, True], ids=["waiting", "woken"])
async def test_a_cancelled_page_leaves_the_queue_or_passes_its_slot_on(woken: bool) -> None:
    """Cancelled while it waits, a page leaves the queue; cancelled once a slot was taken for
    it (woken, before it ran), it passes the slot on. asyncio may let a woken page run
    instead, holding its slot: either way no slot is lost."""
    pacer = Pacer(2)
    pacer.limit = 1.0
    await pacer.acquire()
    got: list[str] = []
    scopes = {name: anyio.CancelScope() for name in "ab"}

    async def take(name: str) -> None:
        with scopes[name]:
            await pacer.acquire()
            got.append(name)
            pacer.release(1, None)

    async with anyio.create_task_group() as group:
        group.start_soon(take, "a")
        await anyio.wait_all_tasks_blocked()
        group.start_soon(take, "b")
        await anyio.wait_all_tasks_blocked()
        assert got == []
        assert pacer.in_flight == 1
        if woken:
            assert pacer.release(1, None)  # the slot is taken for "a"...
            scopes["a"].cancel()  # ...which is cancelled before it runs
        else:
            scopes["a"].cancel()
            await anyio.wait_all_tasks_blocked()
            pacer.release(1, None)  # the slot goes to "b", not to the cancelled "a"
    assert got in ((["b"], ["a", "b"]) if woken else (["b"],))
    assert pacer.in_flight == 0


async def test_a_slot_freed_for_a_waiting_page_is_its_own() -> None:
    """First come, first served: the slot given to a waiting page is taken for it at once, so
    a page asking after the release (before the waiting one ran) waits its turn."""
    pacer = Pacer(1)
    await pacer.acquire()
    order: list[str] = []

    async def take(name: str) -> None:
        await pacer.acquire()
        order.append(name)
        await anyio.sleep(0)
        pacer.release(1, None)

    async with anyio.create_task_group() as group:
        group.start_soon(take, "waiting")
        await anyio.wait_all_tasks_blocked()
        assert pacer.release(1, None)  # a waiting page was given the slot
        assert pacer.in_flight == 1  # taken for it before it runs
        group.start_soon(take, "later")
    assert order == ["waiting", "later"]
    assert pacer.in_flight == 0


def test_counts_remember_the_pages_of_the_latest_lists() -> None:
    counts = Counts(size=2)
    assert counts.pages(("a", "", 10)) is None
    counts.remember(("a", "", 10), 95, 10)
    counts.remember(("b", "", 10), 5, 10)
    assert counts.pages(("a", "", 10)) == 10  # read: "a" is now the most recent
    counts.remember(("c", "", 10), 0, 10)
    assert counts.pages(("b", "", 10)) is None  # the least recently read went
    assert counts.pages(("a", "", 10)) == 10
    assert counts.pages(("c", "", 10)) == 1  # an empty list has page 1


def test_counts_guess_a_new_query_by_the_last_list_read_at_its_url() -> None:
    counts = Counts(size=2)
    assert counts.guess("u/") is None
    counts.remember(("u/", "state=OK", 10), 95, 10)
    assert counts.guess("u/") == 10
    counts.remember(("u/", "state=erred", 10), 3, 10)
    assert counts.guess("u/") == 1  # the last list read there was short
    assert counts.pages(("u/", "state=OK", 10)) == 10  # each query keeps its own count
    counts.remember(("v/", "", 10), 0, 10)
    counts.remember(("w/", "", 10), 0, 10)
    assert counts.guess("u/") is None  # the least recently read URL went


def test_learned_is_one_per_source() -> None:
    class Source:
        pass

    one, other = Source(), Source()
    assert learned(one, 4) is learned(one, 4)
    assert learned(one, 4) is not learned(other, 4)
    assert learned(object(), 4).pacer.ceiling == 4  # not weakly referable: a fresh one
