"""``SyncPaginator``: the async ``Paginator``'s API and results, blocking.

Each test consumes the same list through both clients, over the same fake data, and compares
what they give: items, pages, ``total``, ``drift`` and ``pages_fetched``, and how each refuses
to be consumed twice.
"""

from __future__ import annotations

import asyncio
import inspect
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from puhuri_async import (
    CountDriftWarning,
    Page,
    Paginator,
    PuhuriClient,
    PuhuriError,
    SyncPaginator,
    SyncPuhuriClient,
)
from puhuri_async.testing import DataChange, FakeData, FakePuhuri

from .conftest import TOKEN

PAGE_SIZE = 7


@pytest.fixture
def fake() -> FakePuhuri:
    return FakePuhuri(FakeData.generate(users=60, seed=5), token=TOKEN)


@pytest.fixture
def sync_client(fake: FakePuhuri) -> Iterator[SyncPuhuriClient]:
    with SyncPuhuriClient(
        fake.base_url, TOKEN, transport=fake.transport(), page_size=PAGE_SIZE
    ) as client:
        yield client


def with_async(fake: FakePuhuri, use: Any) -> Any:
    """``use(client)`` on an async client over the same fake, run to its end."""

    async def main() -> Any:
        async with PuhuriClient(
            fake.base_url, TOKEN, transport=fake.transport(), page_size=PAGE_SIZE
        ) as client:
            return await use(client)

    return asyncio.run(main())


def state(paginator: Paginator[Any] | SyncPaginator[Any]) -> tuple[Any, ...]:
    return paginator.total, paginator.drift, paginator.pages_fetched


def test_the_public_api_is_the_async_paginator_s(fake: FakePuhuri) -> None:
    twins = {"__aiter__": "__iter__", "__anext__": "__next__", "aclose": "close"}

    async def use(client: PuhuriClient) -> set[str]:
        paginator = client.iter_users()  # nothing is fetched until it is consumed
        members = {name for name, _ in inspect.getmembers(paginator)}
        return {name for name in members if not name.startswith("_") or name in twins}

    public = with_async(fake, use) - {"asend", "athrow"}  # AsyncIterator's, not the paginator's
    assert {"total", "drift", "pages_fetched", "pages", "collect", "aclose"} <= public
    for name in public:
        assert hasattr(SyncPaginator, twins.get(name, name)), name


def test_iteration_gives_the_same_items_and_state(
    fake: FakePuhuri, sync_client: SyncPuhuriClient
) -> None:
    streamed = sync_client.iter_users(limit=30)
    assert isinstance(streamed, SyncPaginator)
    assert state(streamed) == (None, None, 0)  # nothing fetched before the first item
    items = [user.uuid for user in streamed]

    async def use(client: PuhuriClient) -> tuple[list[str], tuple[Any, ...]]:
        paginator = client.iter_users(limit=30)
        return [user.uuid async for user in paginator], state(paginator)

    expected, expected_state = with_async(fake, use)
    assert items == expected == [u["uuid"] for u in fake.data.users[:30]]
    assert state(streamed) == expected_state == (60, None, 5)
    assert list(streamed) == []  # consumed: iterating again ends at once, as async for does


def test_next_and_for_share_one_iteration(sync_client: SyncPuhuriClient, fake: FakePuhuri) -> None:
    streamed = sync_client.iter_ssh_keys()
    first = next(streamed)
    rest = [key.uuid for key in streamed]
    assert [first.uuid, *rest] == [key["uuid"] for key in fake.data.ssh_keys]


def test_pages_give_the_same_pages(fake: FakePuhuri, sync_client: SyncPuhuriClient) -> None:
    paginator = sync_client.iter_users()
    pages = [(page.number, [u.uuid for u in page.items], page.total) for page in paginator.pages()]

    async def use(client: PuhuriClient) -> list[tuple[int, list[str], int | None]]:
        out = []
        async for page in client.iter_users().pages():
            assert isinstance(page, Page)
            out.append((page.number, [u.uuid for u in page.items], page.total))
        return out

    assert pages == with_async(fake, use)
    assert [number for number, _, _ in pages] == list(range(1, 10))
    assert paginator.pages_fetched == 9


def test_collect_gives_the_same_list_in_one_hop(
    fake: FakePuhuri, sync_client: SyncPuhuriClient
) -> None:
    paginator = sync_client.iter_service_provider_project_permissions(
        str(fake.data.service_provider["uuid"])
    )
    hops = 0
    original = sync_client._call

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal hops
        hops += 1
        return original(*args, **kwargs)

    sync_client._call = counting  # type: ignore[method-assign]
    collected = paginator.collect()
    assert hops == 1
    expected = with_async(
        fake,
        lambda c: c.list_service_provider_project_permissions(
            str(fake.data.service_provider["uuid"])
        ),
    )
    assert [p.to_dict() for p in collected] == [p.to_dict() for p in expected]
    assert paginator.total == len(collected)


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("collect", "collect"),
        ("collect", "pages"),
        ("pages", "collect"),
        ("pages", "pages"),
        ("iterate", "collect"),
        ("iterate", "pages"),
    ],
)
def test_consumed_once_like_the_async_one(
    fake: FakePuhuri, sync_client: SyncPuhuriClient, first: str, then: str
) -> None:
    def consume_sync(paginator: SyncPaginator[Any], how: str) -> None:
        if how == "collect":
            paginator.collect()
        elif how == "pages":
            next(iter(paginator.pages()))
        else:
            next(paginator)

    async def consume_async(paginator: Paginator[Any], how: str) -> None:
        if how == "collect":
            await paginator.collect()
        elif how == "pages":
            await paginator.pages().__anext__()
        else:
            await paginator.__anext__()

    paginator = sync_client.iter_users()
    consume_sync(paginator, first)
    with pytest.raises(PuhuriError, match="already consumed") as sync_error:
        consume_sync(paginator, then)

    async def use(client: PuhuriClient) -> str:
        paginator = client.iter_users()
        await consume_async(paginator, first)
        with pytest.raises(PuhuriError, match="already consumed") as caught:
            await consume_async(paginator, then)
        return type(caught.value).__name__

    assert type(sync_error.value).__name__ == with_async(fake, use)


def test_close_before_the_start_ends_it_like_aclose(
    fake: FakePuhuri, sync_client: SyncPuhuriClient
) -> None:
    paginator = sync_client.iter_users()
    paginator.close()
    assert list(paginator) == []
    with pytest.raises(PuhuriError, match="already consumed"):
        paginator.collect()
    with pytest.raises(PuhuriError, match="already consumed"):
        paginator.pages()

    async def use(client: PuhuriClient) -> list[Any]:
        paginator = client.iter_users()
        await paginator.aclose()
        items = [user async for user in paginator]
        with pytest.raises(PuhuriError, match="already consumed"):
            await paginator.collect()
        return items

    assert with_async(fake, use) == []
    assert fake.requests == []


def test_close_in_the_middle_fetches_nothing_more(
    fake: FakePuhuri, sync_client: SyncPuhuriClient
) -> None:
    paginator = sync_client.iter_users()
    next(paginator)
    fetched = len(fake.requests)
    paginator.close()
    assert list(paginator) == []
    paginator.close()  # twice is harmless
    assert len(fake.requests) == fetched

    pages = sync_client.iter_users().pages()
    next(pages)
    pages.close()
    assert list(pages) == []


def test_drift_is_reported_the_same_way(fake: FakePuhuri, sync_client: SyncPuhuriClient) -> None:
    """Three users inserted after page 2: each client sees the count grow by three."""

    def change() -> int:
        fake.schedule_change(DataChange("users", after=2, path="users/", insert=3))
        return len(fake.data.users)

    before = change()
    paginator = sync_client.iter_users()
    with pytest.warns(CountDriftWarning, match="changed on the server"):
        uuids = [user.uuid for user in paginator]
    sync_drift = paginator.drift
    assert sync_drift is not None
    assert (sync_drift.initial, sync_drift.counts[0][1]) == (before, before + 3)
    assert len(uuids) == len(set(uuids))

    async def use(client: PuhuriClient) -> tuple[int, Any]:
        before = change()
        paginator = client.iter_users()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CountDriftWarning)
            [user async for user in paginator]
        return before, paginator.drift

    before, async_drift = with_async(fake, use)
    assert async_drift is not None
    assert (async_drift.initial, async_drift.counts[0][1]) == (before, before + 3)
    assert type(async_drift) is type(sync_drift)


def test_repr_names_the_list(sync_client: SyncPuhuriClient) -> None:
    paginator = sync_client.iter_users()
    assert repr(paginator).startswith("<SyncPaginator iter_users (users/) total=None")
