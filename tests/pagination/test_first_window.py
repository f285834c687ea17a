"""The first window: the first read of a list asks for pages 1 to ``first_window`` at once.

Page 1 still decides: its count says which of the other pages belong to the list; those past
the end were answered 404 ``Invalid page.`` (as Waldur's DRF pagination does) and are dropped,
without counting as errors. Once read, a list's count is remembered, and a query not read yet
is guessed by the last list read at the same URL, so a short list costs the extra requests
once, not at every read.
"""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
import respx

from puhuri_async import (
    InvalidArgumentError,
    NotFoundError,
    PuhuriClient,
    RetryPolicy,
    ServerError,
    SyncPuhuriClient,
)
from puhuri_async._http import Transport
from puhuri_async.testing import FakeData, FakePuhuri

pytestmark = pytest.mark.anyio

TOKEN = "test-token"
API = "https://puhuri.test/api/"


def pages_asked(fake: FakePuhuri, path: str = "users/") -> list[tuple[int, int]]:
    """(page, status) of each list request, in page order."""
    return sorted(
        (int(record.param("page")[0]), record.status) for record in fake.requests_for("GET", path)
    )


def client_of(fake: FakePuhuri, **options: Any) -> PuhuriClient:
    return PuhuriClient(fake.base_url, TOKEN, transport=fake.transport(), **options)


async def test_a_long_list_asks_for_four_pages_first_then_the_rest() -> None:
    fake = FakePuhuri(FakeData.generate(users=95, seed=3))
    async with client_of(fake, page_size=10) as client:
        users = await client.list_users()
        assert client.stats.errors == 0
    assert [u.uuid for u in users] == [u["uuid"] for u in fake.data.users]
    assert pages_asked(fake) == [(page, 200) for page in range(1, 11)]  # each page once


async def test_a_short_list_drops_the_pages_past_its_end_and_counts_no_error() -> None:
    fake = FakePuhuri(FakeData.generate(users=15, seed=3))
    async with client_of(fake, page_size=10) as client:
        users = await client.list_users()
        assert client.stats.errors == 0
        assert client.stats.requests == 4
    assert len(users) == 15
    assert pages_asked(fake) == [(1, 200), (2, 200), (3, 404), (4, 404)]


async def test_a_list_read_again_asks_for_its_pages_only() -> None:
    fake = FakePuhuri(FakeData.generate(users=15, seed=3))
    async with client_of(fake, page_size=10) as client:
        await client.list_users()
        fake.clear_requests()
        assert len(await client.list_users()) == 15
    assert pages_asked(fake) == [(1, 200), (2, 200)]


async def test_an_empty_list_is_remembered_as_one_page() -> None:
    fake = FakePuhuri(FakeData.generate(users=5, seed=3))
    async with client_of(fake) as client:
        assert await client.list_users(username="nobody") == []
        assert pages_asked(fake) == [(1, 200), (2, 404), (3, 404), (4, 404)]
        fake.clear_requests()
        assert await client.list_users(username="nobody") == []
        assert pages_asked(fake) == [(1, 200)]


async def test_a_new_query_is_guessed_by_the_last_list_read_at_the_same_url() -> None:
    """A loop of lookups (one short list per query) pays the window once, not per query."""
    fake = FakePuhuri(FakeData.generate(users=30, seed=3))
    names = [u["username"] for u in fake.data.users[:5]]
    async with client_of(fake) as client:
        for name in names:
            assert [u.username for u in await client.list_users(username=name)] == [name]
    statuses = [r.status for r in fake.requests_for("GET", "users/")]
    assert sorted(statuses) == [200] * 5 + [404] * 3  # the first lookup only asked for four


async def test_first_window_1_asks_for_page_1_alone() -> None:
    fake = FakePuhuri(FakeData.generate(users=25, seed=3))
    async with client_of(fake, page_size=10, first_window=1) as client:
        assert len(await client.list_users()) == 25
    assert fake.requests_for("GET", "users/")[0].param("page") == ["1"]
    assert pages_asked(fake) == [(1, 200), (2, 200), (3, 200)]
    first = fake.requests_for("GET", "users/")[0]
    assert first.index == min(r.index for r in fake.requests_for("GET", "users/"))


class Watched:
    """A DRF-like list of ``total`` rows (respx side effect) whose page 1 answers only after
    the other pages asked for with it have arrived: ``with_first`` is what was asked by then."""

    def __init__(self, total: int, size: int) -> None:
        self.answer = respx_list(total, size, fail={})
        self.asked: list[int] = []
        self.with_first: list[int] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        self.asked.append(page)
        if page == 1:
            await anyio.sleep(0.05)
            self.with_first = sorted(self.asked)
        return self.answer(request)


@pytest.mark.parametrize(
    ("options", "limit", "expected"),
    [
        ({}, None, [1, 2, 3, 4]),
        ({"first_window": 1}, None, [1]),
        ({"first_window": 8}, None, list(range(1, 9))),
        ({"max_concurrency": 2}, None, [1, 2]),  # no more than may be out at once
        ({}, 25, [1, 2, 3]),  # no page past the limit
        ({}, 5, [1]),
    ],
)
async def test_the_pages_asked_with_page_1(
    options: dict[str, Any], limit: int | None, expected: list[int]
) -> None:
    server = Watched(95, 10)
    with respx.mock(base_url=API) as mock:
        mock.get("users/").mock(side_effect=server)
        async with PuhuriClient(API, TOKEN, page_size=10, **options) as client:
            users = [u async for u in client.iter_users(limit=limit)]
    assert server.with_first == expected
    assert len(users) == (limit or 95)
    assert sorted(server.asked) == list(range(1, -(-(limit or 95) // 10) + 1))


def respx_list(total: int, size: int, fail: dict[int, int]) -> Any:
    """A DRF-like list of ``total`` rows in pages of ``size``; page ``n`` in ``fail`` answers
    that status instead."""

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        if page in fail:
            return httpx.Response(fail[page], json={"detail": "boom"})
        rows = [{"uuid": f"{n:032x}", "username": f"u{n}"} for n in range(total)]
        chunk = rows[(page - 1) * size : page * size]
        if not chunk and page > 1:
            return httpx.Response(404, json={"detail": "Invalid page."})
        last = max(1, -(-total // size))
        link = f'<{API}users/?page={page + 1}&page_size={size}>; rel="next"' if page < last else ""
        headers = {"X-Result-Count": str(total), "Link": link or f'<{API}users/>; rel="first"'}
        return httpx.Response(200, json=chunk, headers=headers)

    return answer


async def test_an_error_past_the_end_does_not_matter() -> None:
    with respx.mock(base_url=API) as mock:
        mock.get("users/").mock(side_effect=respx_list(7, 10, fail={3: 500}))
        async with PuhuriClient(API, TOKEN, page_size=10, retry=RetryPolicy.none()) as client:
            users = await client.list_users()
            assert client.stats.errors == 1  # the 500 is an error; the 404 of page 2 is not
    assert len(users) == 7


async def test_an_error_of_a_page_the_list_has_is_raised() -> None:
    with respx.mock(base_url=API) as mock:
        mock.get("users/").mock(side_effect=respx_list(35, 10, fail={3: 500}))
        async with PuhuriClient(API, TOKEN, page_size=10, retry=RetryPolicy.none()) as client:
            with pytest.raises(ServerError) as caught:
                await client.list_users()
    assert caught.value.status_code == 500
    assert "page=3" in (caught.value.url or "")


async def test_page_1_s_error_is_raised_alone() -> None:
    with respx.mock(base_url=API) as mock:
        mock.get("users/").mock(side_effect=respx_list(35, 10, fail={1: 503, 2: 500}))
        async with PuhuriClient(API, TOKEN, page_size=10, retry=RetryPolicy.none()) as client:
            with pytest.raises(ServerError) as caught:
                await client.list_users()
    assert caught.value.status_code == 503  # page 1's, not an exception group


async def test_a_404_of_page_1_is_raised() -> None:
    with respx.mock(base_url=API) as mock:
        mock.get("users/").respond(404, json={"detail": "Not found."})
        async with PuhuriClient(API, TOKEN, retry=RetryPolicy.none()) as client:
            with pytest.raises(NotFoundError):
                await client.list_users()
            assert client.stats.errors == 1


async def test_a_list_without_paging_is_remembered_as_one_page() -> None:
    """A server that ignores ``page`` (no ``Link``) answers the whole list to every page: the
    first read drops pages 2-4, later reads ask once."""
    with respx.mock(base_url=API) as mock:
        route = mock.get("users/").respond(200, json=[{"uuid": "a" * 32, "username": "a"}])
        async with PuhuriClient(API, TOKEN) as client:
            assert len(await client.list_users()) == 1
            assert route.call_count == 4
            assert len(await client.list_users()) == 1
            assert route.call_count == 5


@pytest.mark.parametrize("value", [0, -1, True, "4", 2.0])
def test_a_bad_first_window_is_refused_up_front(value: Any) -> None:
    for make in (PuhuriClient, SyncPuhuriClient, Transport):
        with pytest.raises(InvalidArgumentError, match="first_window"):
            make(API, TOKEN, first_window=value)


def test_the_sync_client_has_the_same_first_window() -> None:
    fake = FakePuhuri(FakeData.generate(users=15, seed=3))
    with SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport(), page_size=10) as client:
        assert len(client.list_users()) == 15
    assert pages_asked(fake) == [(1, 200), (2, 200), (3, 404), (4, 404)]


async def test_progress_counts_the_pages_of_the_list_only() -> None:
    """Pages 2-4 are counted once page 1 has said they belong to the list: a server that
    answers every page alike (no paging) is not reported four times over."""
    seen: list[tuple[int, int | None]] = []
    with respx.mock(base_url=API) as mock:
        rows = [{"uuid": f"{n:032x}", "username": f"u{n}"} for n in range(3)]
        mock.get("users/").respond(200, json=rows, headers={"X-Result-Count": "3"})
        async with PuhuriClient(API, TOKEN) as client:
            assert len(await client.list_users(progress=lambda d, t: seen.append((d, t)))) == 3
    assert seen == [(3, 3)]


async def test_progress_of_a_long_list_ends_at_its_count() -> None:
    seen: list[tuple[int, int | None]] = []
    with respx.mock(base_url=API) as mock:
        mock.get("users/").mock(side_effect=respx_list(95, 10, fail={}))
        async with PuhuriClient(API, TOKEN, page_size=10) as client:
            await client.list_users(progress=lambda d, t: seen.append((d, t)))
    done = [d for d, _ in seen]
    assert done == sorted(done)
    assert seen[-1] == (95, 95)
    assert all(total == 95 for _, total in seen)
