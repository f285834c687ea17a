"""The pacer and the remembered counts against a real loopback server (``_paced``): what the
server saw in flight, what came back. Latencies are tens of milliseconds; nothing is timed.
The first read of each list asks for page 1 alone (``first_window=1``), so that what is in
flight follows the pacer only (the first window: ``test_first_window.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from puhuri_async._adaptive import learned
from puhuri_async._http import Transport
from puhuri_async._retry import RetryPolicy

from ._paced import Paced, paced

pytestmark = pytest.mark.anyio


def identity(row: Any) -> Any:
    return row


def expected(server: Paced) -> list[str]:
    return [f"{index:032x}" for index in range(server.total)]


def pinned(transport: Transport) -> Transport:
    """``transport`` with its pacer held at ``max_concurrency`` (for tests of what is asked)."""
    learned(transport, transport.max_concurrency).pacer.adaptive = False
    return transport


async def collect(transport: Transport, size: int, **kwargs: Any) -> list[str]:
    pager = transport.paginate(
        "users/", operation="list_users", item=identity, page_size=size, **kwargs
    )
    return [row["uuid"] for row in await pager.collect()]


async def test_a_server_slower_with_every_request_gets_fewer_at_once() -> None:
    async with (
        paced(300, base=0.05, busy=True) as server,
        Transport(server.url, "fake-token", first_window=1, max_concurrency=16) as transport,
    ):
        assert await collect(transport, 5) == expected(server)  # 60 pages
        pacer = learned(transport, 16).pacer
    assert max(server.seen) <= 16
    assert max(server.seen[1:17]) > 6  # it starts at the ceiling...
    assert max(server.seen[-20:]) <= 8  # ...and ends with half of it at most
    assert pacer.lowest <= 5


async def test_a_server_that_keeps_up_gets_max_concurrency() -> None:
    async with (
        paced(300, base=0.2, busy=False) as server,
        Transport(server.url, "fake-token", first_window=1, max_concurrency=8) as transport,
    ):
        assert await collect(transport, 10) == expected(server)
    assert max(server.seen) == 8


async def test_the_items_iterator_is_paced_too() -> None:
    async with (
        paced(200, base=0.02, busy=True) as server,
        Transport(server.url, "fake-token", first_window=1, max_concurrency=16) as transport,
    ):
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=5)
        got = [row["uuid"] async for row in pager]
    assert got == expected(server)
    assert max(server.seen) <= 16
    assert max(server.seen[-10:]) <= 8


async def test_rate_limited_requests_halve_the_limit() -> None:
    retry = RetryPolicy(backoff_base=0.0, backoff_max=0.0)
    async with (
        paced(200, base=0.01, busy=False, throttle=frozenset({3, 4})) as server,
        Transport(server.url, "fake-token", first_window=1, max_concurrency=16, retry=retry) as t,
    ):
        assert await collect(t, 10) == expected(server)
        pacer = learned(t, 16).pacer
        assert pacer.lowest <= 8
        assert t.stats.rate_limited == 2


async def test_a_list_read_again_asks_for_all_its_pages_at_once() -> None:
    async with (
        paced(100, base=0.25, busy=False) as server,
        Transport(server.url, "fake-token", first_window=1, max_concurrency=16) as transport,
    ):
        pinned(transport)
        assert await collect(transport, 10) == expected(server)
        first = server.pages[:]
        assert max(server.seen) == 9  # page 1 alone, then the other nine
        assert await collect(transport, 10) == expected(server)
        again = server.pages[len(first) :]
        assert sorted(again) == sorted(first) == list(range(1, 11))
        assert max(server.seen[len(first) :]) == 10  # all ten pages together
        # Another page size is another list: not remembered.
        assert await collect(transport, 25) == expected(server)
        assert max(server.seen[len(first) + 10 :]) == 3


async def test_a_remembered_list_that_shrank_or_grew_is_read_exactly() -> None:
    async with (
        paced(100, base=0.01, busy=False) as server,
        Transport(server.url, "fake-token", first_window=1, max_concurrency=16) as transport,
    ):
        pinned(transport)
        assert await collect(transport, 10, strict=True) == expected(server)
        server.total = 35  # pages 5 to 10 are past the end now: 404s, dropped
        assert await collect(transport, 10, strict=True) == expected(server)
        server.total = 130  # and now three pages more than remembered
        assert await collect(transport, 10, strict=True) == expected(server)
        server.total = 3  # one page
        assert await collect(transport, 10, strict=True) == expected(server)


async def test_a_remembered_count_respects_limit_and_window() -> None:
    async with (
        paced(100, base=0.01, busy=False) as server,
        Transport(server.url, "fake-token", first_window=1, max_concurrency=2) as transport,
    ):
        pinned(transport)
        assert await collect(transport, 10) == expected(server)
        asked = len(server.pages)
        got = await collect(transport, 10, limit=25)
        assert got == expected(server)[:25]
        assert sorted(server.pages[asked:]) == [1, 2, 3]
        asked = len(server.pages)
        pager = transport.paginate(
            "users/", operation="list_users", item=identity, page_size=10, window=2
        )
        first = await pager.__anext__()
        assert first["uuid"] == expected(server)[0]
        assert sorted(server.pages[asked:]) == [1, 2, 3]  # page 1 and one window
        await pager.aclose()
