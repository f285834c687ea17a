"""Cancelling bulk fetches: a timeout or cancel scope, and an early ``break``, on both back ends.

After each, no task of the client is left running, the fake sees every connection closed once
the client is closed, and nothing left open is found by the garbage collector (warnings are
errors in this suite, and ``no_resource_warnings`` forces the collection).
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing
from urllib.parse import urlsplit

import anyio
import pytest
import pytest_asyncio

from puhuri_async import PuhuriClient
from puhuri_async.testing import FakeData, FakePuhuri

from ._figures import FIGURES
from ._support import (
    TLS,
    TOKEN,
    client_sockets,
    no_resource_warnings,
    running_tasks,
    wait_until_async,
)

pytestmark = pytest.mark.anyio

PAGE_SIZE = 5
LATENCY = 0.05


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakePuhuri, str]]:
    """200 users in 40 pages, each answered after 50 ms: fetching them all takes over 0.5 s."""
    fake = FakePuhuri(
        FakeData.generate(users=200, seed=8), token=TOKEN, path_latency={"users/": LATENCY}
    )
    with fake.serve() as base_url:
        yield fake, base_url


@pytest_asyncio.fixture
async def check_leaks(served: tuple[FakePuhuri, str]) -> AsyncIterator[None]:
    """Around the test: no task, connection or unclosed resource is left behind."""
    fake, base_url = served
    port = urlsplit(base_url).port
    assert port is not None
    baseline = running_tasks()
    with no_resource_warnings():
        yield
        closed = await wait_until_async(lambda: fake.open_connections() == 0)
        leaked_tasks = running_tasks() - baseline
        FIGURES.add(leaked_tasks=leaked_tasks, leaked_connections=fake.open_connections())
        assert closed, f"{fake.open_connections()} connections still open on the server"
        assert client_sockets(port) in (0, None)
        assert leaked_tasks == 0


def client_for(base_url: str, **options: object) -> PuhuriClient:
    return PuhuriClient(
        base_url, TOKEN, page_size=PAGE_SIZE, max_concurrency=4, verify=TLS, **options
    )  # type: ignore[arg-type]


async def test_move_on_after_around_a_bulk_fetch(
    served: tuple[FakePuhuri, str], check_leaks: None
) -> None:
    fake, base_url = served
    async with client_for(base_url) as client:
        await client.list_users(limit=1)  # the connection pool is up: the timeout is the fetch's
        with anyio.move_on_after(0.1) as scope:
            await client.list_users()
        assert scope.cancelled_caught
        # The client is still whole: the next call completes.
        users = await client.list_users(limit=7)
    assert [u.uuid for u in users] == [u["uuid"] for u in fake.data.users[:7]]


async def test_cancel_scope_with_requests_in_flight(
    served: tuple[FakePuhuri, str], check_leaks: None
) -> None:
    """Cancelled from the progress callback, once 3 pages are in: other fetches are running."""
    _, base_url = served
    async with client_for(base_url) as client:
        with anyio.CancelScope() as scope:

            def progress(done: int, total: int | None) -> None:
                if done >= 3 * PAGE_SIZE:
                    scope.cancel()

            await client.list_users(progress=progress)
        assert scope.cancelled_caught
        assert 3 <= client.stats.requests < 40


async def test_fail_after_around_a_streaming_fetch(
    served: tuple[FakePuhuri, str], check_leaks: None
) -> None:
    _, base_url = served
    seen: list[str] = []

    async def stream(client: PuhuriClient) -> None:
        with anyio.fail_after(0.1):
            seen.extend([user.uuid async for user in client.iter_users()])

    async with client_for(base_url) as client:
        with pytest.raises(TimeoutError):
            await stream(client)
    assert seen == []


async def test_cancelling_the_task_that_fetches(
    served: tuple[FakePuhuri, str], check_leaks: None
) -> None:
    _, base_url = served
    started = anyio.Event()
    async with client_for(base_url) as client:

        async def fetch() -> None:
            started.set()
            await client.list_users()

        async with anyio.create_task_group() as group:
            group.start_soon(fetch)
            await started.wait()
            await anyio.sleep(0.05)
            group.cancel_scope.cancel()
        assert client.stats.requests >= 1


@pytest.mark.parametrize("how", ["items", "pages"])
async def test_early_break_then_aclose(
    served: tuple[FakePuhuri, str], check_leaks: None, how: str
) -> None:
    fake, base_url = served
    async with client_for(base_url) as client:
        paginator = client.iter_users()
        first: list[str] = []
        if how == "items":
            async for user in paginator:
                first.append(user.uuid)
                if len(first) == 12:
                    break
        else:
            async for page in paginator.pages():
                first.extend(user.uuid for user in page.items)
                break
        requests = client.stats.requests
        await paginator.aclose()
    assert first == [u["uuid"] for u in fake.data.users[: len(first)]]
    # One window of pages was fetched (2 * max_concurrency), not the whole list.
    assert requests <= 1 + 2 * 4


async def test_early_break_inside_aclosing(
    served: tuple[FakePuhuri, str], check_leaks: None
) -> None:
    _, base_url = served
    async with client_for(base_url) as client, aclosing(client.iter_users()) as users:
        async for _ in users:
            break


@pytest.mark.parametrize("how", ["items", "pages"])
async def test_bare_early_break(
    served: tuple[FakePuhuri, str], check_leaks: None, how: str
) -> None:
    """A ``break`` with no ``aclose()``, then the iterator dropped, on asyncio and on trio.

    The paginator is a plain object with its state in attributes, not an async generator: an
    abandoned one needs no finalisation (trio would warn about an unexhausted generator).
    """
    fake, base_url = served
    async with client_for(base_url) as client:
        before = running_tasks()
        first: list[str] = []
        if how == "items":
            async for user in client.iter_users():
                first.append(user.uuid)
                if len(first) == 7:
                    break
        else:
            async for page in client.iter_users().pages():
                first.extend(user.uuid for user in page.items)
                break
        gc.collect()
        assert running_tasks() == before
        requests = client.stats.requests
        await anyio.sleep(2 * LATENCY)
        assert client.stats.requests == requests  # nothing goes on fetching
    assert first == [u["uuid"] for u in fake.data.users[: len(first)]]
