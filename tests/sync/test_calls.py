"""Calls through the facade: results, errors, iterators, threads, running loops and Ctrl-C."""

from __future__ import annotations

import asyncio
import gc
import signal
import threading
import traceback
from collections.abc import AsyncGenerator, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import httpx
import pytest
import trio

from puhuri_async import (
    EventLoopBlockedWarning,
    InvalidArgumentError,
    NotFoundError,
    Paginator,
    PuhuriError,
    RetryPolicy,
    SyncPuhuriClient,
    User,
)
from puhuri_async.sync import _thread
from puhuri_async.testing import FakeData, FakePuhuri, Fault

from .conftest import TOKEN, other_tasks

WAIT = 30.0  # an upper bound for waiting on another thread; never reached when all is well


# -- results and errors ---------------------------------------------------------------------


def test_results_are_the_async_client_s(client: SyncPuhuriClient, fake: FakePuhuri) -> None:
    users = client.list_users()
    assert [user.uuid for user in users] == [user["uuid"] for user in fake.data.users]
    assert all(isinstance(user, User) for user in users)
    assert users[0]["username"] == fake.data.users[0]["username"]  # mapping access still works
    offering = fake.data.offerings[0]
    got = client.get_marketplace_offering(offering["uuid"])
    assert got.uuid == offering["uuid"]
    assert [c["type"] for c in got["components"]] == [c["type"] for c in offering["components"]]


def test_filters_pass_through_as_dict_and_keywords(
    client: SyncPuhuriClient, fake: FakePuhuri
) -> None:
    wanted = fake.data.users[7]
    assert [u.uuid for u in client.list_users({"username": wanted["username"]})] == [wanted["uuid"]]
    assert [u.uuid for u in client.list_users(username=wanted["username"])] == [wanted["uuid"]]
    assert len(client.list_users(limit=5)) == 5


def test_errors_keep_their_class_and_both_sides_of_the_traceback(
    client: SyncPuhuriClient,
) -> None:
    with pytest.raises(NotFoundError) as info:
        client.get_marketplace_offering("0" * 32)
    assert info.value.status_code == 404
    assert info.value.operation == "get_marketplace_offering"
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert "test_errors_keep_their_class_and_both_sides_of_the_traceback" in frames
    assert "get_marketplace_offering" in frames  # the endpoint's frame, from the loop thread
    assert "request" in frames


def test_bad_input_raises_in_the_caller_before_any_request(
    client: SyncPuhuriClient, fake: FakePuhuri
) -> None:
    with pytest.raises(InvalidArgumentError, match="offering_uuid"):
        client.get_marketplace_offering("not-a-uuid")
    with pytest.raises(InvalidArgumentError, match="usernmae"):
        client.list_users(usernmae="typo")
    with pytest.raises(InvalidArgumentError, match="usernmae"):
        client.iter_users(usernmae="typo")  # at the call, not at the first next()
    assert fake.requests == []


def test_requests_are_sent_from_the_client_s_event_loop_thread(fake: FakePuhuri) -> None:
    senders: list[threading.Thread] = []
    inner = fake.transport()

    class Recording(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            senders.append(threading.current_thread())
            return await inner.handle_async_request(request)

    with SyncPuhuriClient(fake.base_url, TOKEN, transport=Recording()) as client:
        client.list_users()
        list(client.iter_ssh_keys())
        assert senders
        assert set(senders) == {client._loop.thread}
        assert client._loop.thread is not threading.current_thread()
        assert client.stats.requests == len(senders)


def test_callbacks_run_in_the_loop_thread_and_cannot_call_back_in(fake: FakePuhuri) -> None:
    seen: list[tuple[int, int | None, str]] = []
    with SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport(), page_size=25) as c:
        c.list_users(
            progress=lambda done, total: seen.append((done, total, threading.current_thread().name))
        )
        assert [(done, total) for done, total, _ in seen][-1] == (60, 60)
        assert {name for _, _, name in seen} == {c._loop.thread.name}

        def reentrant(done: int, total: int | None) -> None:
            c.list_users(limit=1)

        with pytest.raises(PuhuriError, match="own event-loop thread"):
            c.list_users(progress=reentrant)
        assert len(c.list_users(limit=3)) == 3  # the client is still fine


# -- iterators --------------------------------------------------------------------------------


def test_iter_yields_every_item_in_order(client: SyncPuhuriClient, fake: FakePuhuri) -> None:
    streamed = client.iter_users()
    assert isinstance(streamed, Iterator)
    assert [user.uuid for user in streamed] == [user["uuid"] for user in fake.data.users]
    assert [key.uuid for key in client.iter_ssh_keys(limit=7)] == [
        key["uuid"] for key in fake.data.ssh_keys[:7]
    ]


def test_iter_pulls_whole_pages_not_items(fake: FakePuhuri) -> None:
    """One hop into the loop per page (plus the one that ends the iteration), never per item."""
    with SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport(), page_size=10) as c:
        hops = 0
        original = c._call

        def counting(*args: Any, **kwargs: Any) -> Any:
            nonlocal hops
            hops += 1
            return original(*args, **kwargs)

        c._call = counting  # type: ignore[method-assign]
        assert len(list(c.iter_users())) == 60
        assert hops == 6 + 1


@pytest.fixture
def spied_pages(monkeypatch: pytest.MonkeyPatch) -> list[AsyncGenerator[Any, None]]:
    """The async page generators that paginators hand out, to look at after the fact."""
    made: list[AsyncGenerator[Any, None]] = []
    original = Paginator.pages

    def pages(self: Paginator[Any]) -> AsyncGenerator[Any, None]:
        generator = original(self)
        made.append(generator)
        return generator

    monkeypatch.setattr(Paginator, "pages", pages)
    return made


def finished(pages: AsyncGenerator[Any, None]) -> bool:
    """Whether a page iterator was closed: its paginator will fetch and hand out nothing more."""
    paginator = pages._paginator  # type: ignore[attr-defined]
    return bool(paginator._phase.name == "DONE" and not paginator._queue)


def test_early_break_closes_the_async_iterator(
    fake: FakePuhuri, spied_pages: list[AsyncGenerator[Any, None]]
) -> None:
    with SyncPuhuriClient(
        fake.base_url, TOKEN, transport=fake.transport(), page_size=5, max_concurrency=2
    ) as client:
        for index, _ in enumerate(client.iter_users()):
            if index == 7:
                break
        (pages,) = spied_pages
        assert finished(pages), "the async iterator was closed"
        assert other_tasks(client) == []
        assert fake.in_flight == 0
        # Only the first window was fetched: pages 1 and 2 at once (first_window, no more
        # than max_concurrency); item 7 is on page 2, so nothing more was asked for.
        assert len(fake.requests_for("GET", "users/")) == 2
        assert len(client.list_users()) == 60  # and the client goes on


def test_an_abandoned_iterator_is_closed_when_collected(
    client: SyncPuhuriClient, spied_pages: list[AsyncGenerator[Any, None]]
) -> None:
    iterator = client.iter_users(limit=30)
    next(iterator)
    (pages,) = spied_pages
    assert not finished(pages)  # suspended between pages
    del iterator
    gc.collect()
    assert finished(pages)
    assert other_tasks(client) == []


def test_early_break_returns_the_connection_to_the_pool() -> None:
    """On a real socket with one connection allowed: a leaked one would block the next call."""
    fake = FakePuhuri(FakeData.generate(users=60, seed=5), token=TOKEN)
    with (
        fake.serve() as api_url,
        SyncPuhuriClient(api_url, TOKEN, page_size=5, max_concurrency=1, timeout=WAIT) as client,
    ):
        for index, _ in enumerate(client.iter_users()):
            if index == 12:
                break
        network = client._async._transport._client._transport  # type: ignore[union-attr]
        pool = getattr(network, "_pool", None)  # httpx's own pool (the aiohttp stack has none)
        if pool is not None:
            assert len(pool.connections) == 1
            assert all(connection.is_idle() for connection in pool.connections)
        assert fake.open_connections() == 1  # kept open, on either stack
        assert len(client.list_users()) == 60
        assert fake.open_connections() == 1  # and the next call reused it


# -- threads ----------------------------------------------------------------------------------


def test_fifty_threads_share_one_client() -> None:
    fake = FakePuhuri(FakeData.generate(users=300, seed=9), token=TOKEN, latency=0.001)
    users = fake.data.users
    with SyncPuhuriClient(
        fake.base_url, TOKEN, transport=fake.transport(), page_size=50, max_concurrency=8
    ) as client:

        def work(number: int) -> tuple[int, list[str], list[str], list[str]]:
            wanted = users[number * 6]
            found = client.list_users({"username": wanted["username"]})
            streamed = [user.uuid for user in client.iter_users(limit=120)]
            keys = [key.uuid for key in client.list_ssh_keys(user_uuid=wanted["uuid"])]
            return number, [user.uuid for user in found], streamed, keys

        with ThreadPoolExecutor(max_workers=50) as pool:
            results = list(pool.map(work, range(50)))
        assert other_tasks(client) == []

    first_120 = [user["uuid"] for user in users[:120]]
    for number, found, streamed, keys in results:
        wanted = users[number * 6]
        assert found == [wanted["uuid"]]
        assert streamed == first_120
        assert keys == [k["uuid"] for k in fake.data.ssh_keys if k["user_uuid"] == wanted["uuid"]]
    assert len(results) == 50
    assert 1 < fake.max_in_flight <= 8  # concurrent, and bounded by the one shared limiter


# -- inside a running event loop --------------------------------------------------------------


def test_inside_a_running_asyncio_loop_it_works_and_warns_once(
    client: SyncPuhuriClient, fake: FakePuhuri
) -> None:
    async def cell() -> tuple[int, int, int]:
        users = client.list_users()
        streamed = list(client.iter_users(limit=10))
        offering = client.get_marketplace_offering(fake.data.offerings[0]["uuid"])
        return len(users), len(streamed), len(offering["components"])

    async def two_cells() -> list[tuple[int, int, int]]:
        return [await cell(), await cell()]

    with pytest.warns(EventLoopBlockedWarning) as record:
        counts = asyncio.run(two_cells())
    assert counts == [(60, 10, len(fake.data.offerings[0]["components"]))] * 2
    blocked = [w for w in record if issubclass(w.category, EventLoopBlockedWarning)]
    assert len(blocked) == 1
    assert blocked[0].filename == __file__  # it points at the caller's line
    assert "blocks that loop" in str(blocked[0].message)


def test_the_warning_points_at_the_loop_that_iterates(fake: FakePuhuri) -> None:
    async def cell() -> int:
        return sum(1 for _ in client.iter_users())

    with SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport()) as client:
        with pytest.warns(EventLoopBlockedWarning) as record:
            assert asyncio.run(cell()) == 60
        (warning,) = [w for w in record if issubclass(w.category, EventLoopBlockedWarning)]
        assert warning.filename == __file__


def test_inside_a_running_trio_loop_it_works_and_warns(client: SyncPuhuriClient) -> None:
    async def cell() -> int:
        return len(client.list_users())

    with pytest.warns(EventLoopBlockedWarning):
        assert trio.run(cell) == 60


def test_no_warning_outside_a_loop(client: SyncPuhuriClient) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(client.list_users()) == 60
        assert len(list(client.iter_users())) == 60


# -- Ctrl-C -----------------------------------------------------------------------------------


class _SlowAnswers:
    """A ``sleep`` for FakePuhuri: long pauses (slow faults) wait until cancelled, and say so."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.cancelled = threading.Event()

    async def __call__(self, seconds: float) -> None:
        if seconds < 60:
            await anyio.sleep(seconds)
            return
        self.started.set()
        try:
            await anyio.sleep_forever()
        except anyio.get_cancelled_exc_class():
            self.cancelled.set()
            raise


@pytest.mark.parametrize("started", [True, False], ids=["started", "not-yet-started"])
def test_ctrl_c_as_the_call_is_handed_over_still_cancels_it(
    monkeypatch: pytest.MonkeyPatch, started: bool
) -> None:
    """Ctrl-C may arrive after the call was handed to the loop and before this thread waits
    for it (the loop thread can start the call while this one waits for the GIL on its way
    out of ``submit``): the call is cancelled all the same. Arriving before the call was
    handed over, it leaves nothing behind: the call is closed unstarted."""
    slow = _SlowAnswers()
    fake = FakePuhuri(FakeData.generate(users=20, seed=1), token=TOKEN, sleep=slow)
    handed_over = _thread._LoopThread.submit

    def submit(self: _thread._LoopThread, call: Any) -> bool:
        if started:
            assert handed_over(self, call)
            assert slow.started.wait(WAIT)  # the loop has started the call meanwhile
        raise KeyboardInterrupt  # not started: before the call was handed over at all

    with SyncPuhuriClient(
        fake.base_url, TOKEN, transport=fake.transport(), retry=RetryPolicy.none()
    ) as client:
        assert len(client.list_users(limit=1)) == 1  # the loop thread is up
        fake.add_fault(Fault.slow(600, path="users/"))
        monkeypatch.setattr(_thread._LoopThread, "submit", submit)
        with pytest.raises(KeyboardInterrupt):
            client.list_users()
        monkeypatch.undo()
        assert slow.cancelled.is_set() is started
        assert slow.started.is_set() is started
        assert fake.in_flight == 0
        if not started:
            assert fake.requests_for("GET", "users/") == [fake.requests[0]]  # the first call
        assert other_tasks(client) == []
        fake.clear_faults()
        assert len(client.list_users()) == 20  # the client is still usable


def test_ctrl_c_cancels_the_waiting_call() -> None:
    assert threading.current_thread() is threading.main_thread()
    slow = _SlowAnswers()
    fake = FakePuhuri(FakeData.generate(users=20, seed=1), token=TOKEN, sleep=slow)
    fake.add_fault(Fault.slow(600, path="users/"))
    main = threading.main_thread().ident
    assert main is not None

    def press_ctrl_c() -> None:
        if slow.started.wait(WAIT):
            signal.pthread_kill(main, signal.SIGINT)

    # Ctrl-C as at a terminal: a test run started in the background inherits it ignored.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with SyncPuhuriClient(
            fake.base_url, TOKEN, transport=fake.transport(), retry=RetryPolicy.none()
        ) as client:
            presser = threading.Thread(target=press_ctrl_c)
            presser.start()
            with pytest.raises(KeyboardInterrupt):
                client.list_users()
            presser.join()
            # By the time KeyboardInterrupt arrives, the request was cancelled in the loop.
            assert slow.cancelled.is_set()
            assert fake.in_flight == 0
            assert fake.requests_for("GET", "users/") == []  # the fake never answered it
            assert other_tasks(client) == []
            fake.clear_faults()
            assert len(client.list_users()) == 20  # the client is still usable
    finally:
        signal.signal(signal.SIGINT, previous)
