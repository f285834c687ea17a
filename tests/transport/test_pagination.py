"""Pagination with respx: concurrency, order, Link parsing, drift, limits, early exit."""

from __future__ import annotations

import gc
import warnings
from typing import Any

import anyio
import httpx
import pytest
import respx

from puhuri_async import (
    CountDriftError,
    CountDriftWarning,
    CrossOriginError,
    DecodeError,
    InvalidArgumentError,
    NotFoundError,
    Page,
    PuhuriError,
    ServerError,
)
from puhuri_async._retry import RetryPolicy

from ._fakes import API, ListServer, item, live_tasks

pytestmark = pytest.mark.anyio


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [row["name"] for row in rows]


def identity(row: Any) -> Any:
    return row


async def test_collect_fetches_remaining_pages_concurrently_in_order(
    router: respx.MockRouter, make_transport: Any
) -> None:
    data = [item(n) for n in range(1000)]
    # later pages answer first: page 2 is the slowest
    server = ListServer(data, delays={2: 0.02, 3: 0.015, 4: 0.01, 5: 0.005})
    server.on_page[1] = lambda s: setattr(s, "gather", 4)  # pages 2-5 are in flight together
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=200)
        rows = await pager.collect()
    assert names(rows) == names(data)
    assert sorted(server.pages) == [1, 2, 3, 4, 5]
    assert server.pages[0] == 1
    assert server.max_in_flight == 4  # pages 2-5 at once after page 1
    assert pager.total == 1000
    assert pager.pages_fetched == 5
    assert pager.drift is None


async def test_iteration_streams_every_item_once_in_order_out_of_order_answers(
    router: respx.MockRouter, make_transport: Any
) -> None:
    data = [item(n) for n in range(95)]
    delays = {page: (11 - page) * 0.002 for page in range(2, 11)}
    server = ListServer(data, delays=delays)
    server.on_page[1] = lambda s: setattr(s, "gather", 3)
    router.get("users/").mock(side_effect=server)
    async with make_transport(max_concurrency=3) as transport:
        pager = transport.paginate(
            "users/", operation="list_users", item=identity, page_size=10, window=4
        )
        rows = [row async for row in pager]
    assert names(rows) == names(data)
    assert sorted(server.pages) == list(range(1, 11))
    assert server.max_in_flight == 3  # the shared limiter


async def test_pages_view(router: respx.MockRouter, make_transport: Any) -> None:
    data = [item(n) for n in range(25)]
    router.get("users/").mock(side_effect=ListServer(data))
    async with make_transport() as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        pages = [page async for page in pager.pages()]
    assert [p.number for p in pages] == [1, 2, 3]
    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert all(isinstance(p, Page) and p.total == 25 for p in pages)


async def test_item_function_maps_each_row(router: respx.MockRouter, make_transport: Any) -> None:
    router.get("users/").mock(side_effect=ListServer([item(n) for n in range(5)]))
    async with make_transport() as transport:
        rows = await transport.paginate(
            "users/", operation="list_users", item=lambda row: row["uuid"][-2:]
        ).collect()
    assert rows == ["00", "01", "02", "03", "04"]


async def test_params_and_page_size_sent(router: respx.MockRouter, make_transport: Any) -> None:
    server = ListServer([item(n) for n in range(3)])
    router.get("marketplace-resources/").mock(side_effect=server)
    async with make_transport() as transport:
        await transport.paginate(
            "marketplace-resources/",
            operation="list_marketplace_resources",
            item=identity,
            params=[("state", "OK"), ("field", "uuid"), ("field", "name")],
        ).collect()
    assert server.urls == [
        f"{API}marketplace-resources/?state=OK&field=uuid&field=name&page=1&page_size=300"
    ]


async def test_missing_link_is_one_page(router: respx.MockRouter, make_transport: Any) -> None:
    server = ListServer([item(n) for n in range(40)], link=False, max_page_size=10)
    route = router.get("marketplace-resources/abc/team/").mock(side_effect=server)
    async with make_transport() as transport:
        rows = await transport.paginate(
            "marketplace-resources/abc/team/", operation="team", item=identity
        ).collect()
    assert len(rows) == 10
    assert route.call_count == 1


async def test_server_smaller_page_cap_is_detected(
    router: respx.MockRouter, make_transport: Any
) -> None:
    data = [item(n) for n in range(250)]
    server = ListServer(data, max_page_size=100)
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        rows = await transport.paginate("users/", operation="list_users", item=identity).collect()
    assert names(rows) == names(data)
    assert sorted(server.pages) == [1, 2, 3]


async def test_without_count_follows_next_one_at_a_time(
    router: respx.MockRouter, make_transport: Any
) -> None:
    data = [item(n) for n in range(45)]
    server = ListServer(data, count=False, delays=dict.fromkeys(range(1, 6), 0.001))
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        rows = await pager.collect()
    assert names(rows) == names(data)
    assert server.pages == [1, 2, 3, 4, 5]
    assert server.max_in_flight == 1
    assert pager.total is None


@pytest.mark.parametrize(
    "params",
    [
        [("name", "next")],
        [("name", "prev")],
        [("query", 'rel="next"')],
        [("o", "-next,prev"), ("description", "<https://evil.test/>; rel=next")],
        [("my_page", "3"), ("name", "page=9")],
    ],
)
async def test_filter_values_with_next_and_prev_neither_loop_nor_skip(
    router: respx.MockRouter, make_transport: Any, params: list[tuple[str, str]]
) -> None:
    data = [item(n) for n in range(35)]
    for count in (True, False):
        server = ListServer(data, count=count)
        router.get("users/").mock(side_effect=server)
        async with make_transport() as transport:
            rows = await transport.paginate(
                "users/", operation="list_users", item=identity, params=params, page_size=10
            ).collect()
        assert names(rows) == names(data)
        assert sorted(server.pages) == [1, 2, 3, 4]
        for url in server.urls:
            assert httpx.URL(url).params.get_list(params[0][0]) == [params[0][1]]


async def test_empty_page_in_the_middle_does_not_stop(
    router: respx.MockRouter, make_transport: Any
) -> None:
    pages = {
        1: ([item(1)], 2),
        2: ([], 3),
        3: ([item(3)], None),
    }

    def respond(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        rows, nxt = pages[page]
        headers = {}
        if nxt:
            headers["Link"] = f'<{request.url.copy_set_param("page", str(nxt))}>; rel="next"'
        return httpx.Response(200, json=rows, headers=headers)

    router.get("users/").mock(side_effect=respond)
    async with make_transport() as transport:
        rows = await transport.paginate("users/", operation="list_users", item=identity).collect()
    assert names(rows) == ["item-1", "item-3"]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.test/api/users/?page=2&page_size=10",
        "http://puhuri.test/api/users/?page=2&page_size=10",  # https → http downgrade
        "https://puhuri.test:444/api/users/?page=2&page_size=10",
    ],
)
@pytest.mark.parametrize("count", [True, False])
async def test_cross_origin_link_refused(
    router: respx.MockRouter, make_transport: Any, target: str, count: bool
) -> None:
    headers = {"Link": f'<{target}>; rel="next"'}
    if count:
        headers["X-Result-Count"] = "20"
    router.get("users/").respond(200, json=[item(n) for n in range(10)], headers=headers)
    elsewhere = respx.route(host="evil.test").respond(200, json=[])
    async with make_transport() as transport:
        with pytest.raises(CrossOriginError) as info:
            await transport.paginate(
                "users/", operation="list_users", item=identity, page_size=10
            ).collect()
    assert "list_users" in str(info.value)
    assert elsewhere.call_count == 0


async def test_next_link_loop_is_refused(router: respx.MockRouter, make_transport: Any) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json=[item(1)], headers={"Link": f'<{API}users/?page=2>; rel="next"'}
        )

    router.get("users/").mock(side_effect=respond)
    async with make_transport() as transport:
        with pytest.raises(DecodeError, match="loops back"):
            await transport.paginate("users/", operation="list_users", item=identity).collect()


async def test_count_drift_reported_and_duplicates_skipped(
    router: respx.MockRouter, make_transport: Any
) -> None:
    data = [item(n) for n in range(30)]

    def add_three_in_front(server: ListServer) -> None:
        server.items[:0] = [item(1000 + n) for n in range(3)]

    server = ListServer(list(data), on_page={1: add_three_in_front})
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        with pytest.warns(CountDriftWarning, match="changed on the server") as record:
            rows = [row async for row in pager]
    uuids = [row["uuid"] for row in rows]
    assert len(uuids) == len(set(uuids))  # no item twice
    assert set(uuids) == {row["uuid"] for row in data}
    assert pager.drift is not None
    assert pager.drift.initial == 30
    assert pager.drift.counts[0] == (2, 33)
    assert pager.drift.duplicates == 3
    assert len(record) == 1  # one warning per iteration
    assert "users/" in str(record[0].message)


async def test_count_drift_strict_raises(router: respx.MockRouter, make_transport: Any) -> None:
    def drop_ten(server: ListServer) -> None:
        del server.items[:10]

    server = ListServer([item(n) for n in range(30)], on_page={1: drop_ten})
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        pager = transport.paginate(
            "users/", operation="list_users", item=identity, page_size=10, strict=True
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(CountDriftError, match="count 30 → 20 at page 2"):
                await pager.collect()


async def test_vanished_page_ends_the_list_as_drift(
    router: respx.MockRouter, make_transport: Any
) -> None:
    def drop_fifteen(server: ListServer) -> None:
        del server.items[:15]

    server = ListServer([item(n) for n in range(40)], on_page={1: drop_fifteen})
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        with pytest.warns(CountDriftWarning):
            rows = await pager.collect()
    # page 1 was read before the drop; pages 2-3 of the shrunk list; page 4 is gone
    assert names(rows) == names([item(n) for n in range(10)] + [item(n) for n in range(25, 40)])
    assert pager.drift is not None
    assert pager.drift.vanished_page == 4
    assert "page 4 vanished" in str(pager.drift)


async def test_vanished_page_in_sequential_mode(
    router: respx.MockRouter, make_transport: Any
) -> None:
    def drop_all(server: ListServer) -> None:
        del server.items[:]

    server = ListServer([item(n) for n in range(20)], count=False, on_page={1: drop_all})
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        with pytest.warns(CountDriftWarning):
            rows = await pager.collect()
    assert len(rows) == 10
    assert pager.drift is not None
    assert pager.drift.vanished_page == 2


async def test_first_page_404_is_an_error(router: respx.MockRouter, make_transport: Any) -> None:
    router.get("marketplace-resources/abc/team/").respond(404, json={"detail": "Not found."})
    async with make_transport() as transport:
        with pytest.raises(NotFoundError):
            await transport.paginate(
                "marketplace-resources/abc/team/", operation="team", item=identity
            ).collect()


async def test_grown_list_followed_past_the_counted_pages(
    router: respx.MockRouter, make_transport: Any
) -> None:
    def add_at_end(server: ListServer) -> None:
        server.items.extend(item(500 + n) for n in range(12))

    data = [item(n) for n in range(20)]
    server = ListServer(list(data), on_page={1: add_at_end})
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        with pytest.warns(CountDriftWarning):
            rows = await pager.collect()
    assert len(rows) == 32
    assert server.pages == [1, 2, 3, 4]


async def test_limit_fetches_no_extra_pages(router: respx.MockRouter, make_transport: Any) -> None:
    data = [item(n) for n in range(1000)]
    server = ListServer(data)
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        pager = transport.paginate(
            "users/", operation="list_users", item=identity, page_size=100, limit=250
        )
        rows = [row async for row in pager]
    assert names(rows) == names(data[:250])
    assert sorted(server.pages) == [1, 2, 3]


async def test_small_limit_shrinks_the_page(router: respx.MockRouter, make_transport: Any) -> None:
    server = ListServer([item(n) for n in range(1000)])
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        rows = await transport.paginate(
            "users/", operation="list_users", item=identity, limit=5
        ).collect()
    assert len(rows) == 5
    assert server.pages == [1]
    assert server.page_sizes == [5]


async def test_progress_callback(router: respx.MockRouter, make_transport: Any) -> None:
    router.get("users/").mock(side_effect=ListServer([item(n) for n in range(25)]))
    seen: list[tuple[int, int | None]] = []
    async with make_transport(max_concurrency=1) as transport:
        await transport.paginate(
            "users/",
            operation="list_users",
            item=identity,
            page_size=10,
            progress=lambda done, total: seen.append((done, total)),
        ).collect()
    assert seen == [(10, 25), (20, 25), (25, 25)]


async def test_early_break_leaves_no_tasks_and_cancels_nothing_pending(
    router: respx.MockRouter, make_transport: Any
) -> None:
    server = ListServer([item(n) for n in range(500)], delays={3: 0.01, 4: 0.005})
    router.get("users/").mock(side_effect=server)
    async with make_transport(max_concurrency=2) as transport:
        before = live_tasks()
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        async for row in pager:
            if row["name"] == "item-15":
                break
        assert live_tasks() == before
        assert server.in_flight == 0
        fetched = len(server.pages)
        await anyio.sleep(0.02)
        assert len(server.pages) == fetched  # nothing goes on fetching
        assert fetched <= 1 + 2 * 2  # page 1 and one window
        await pager.aclose()
        await pager.aclose()
    assert live_tasks() == before


async def test_abandoned_iterator_leaves_no_tasks(
    router: respx.MockRouter, make_transport: Any
) -> None:
    router.get("users/").mock(side_effect=ListServer([item(n) for n in range(100)]))
    async with make_transport() as transport:
        before = live_tasks()
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        first = await pager.__anext__()
        assert first["name"] == "item-0"
        assert live_tasks() == before
        del pager


async def test_bare_break_then_drop_warns_nothing(
    router: respx.MockRouter, make_transport: Any
) -> None:
    """No ``aclose()``: the abandoned paginator (or page iterator) needs no finalising."""
    router.get("users/").mock(side_effect=ListServer([item(n) for n in range(100)]))
    async with make_transport(max_concurrency=2) as transport:
        before = live_tasks()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            async for row in transport.paginate(
                "users/", operation="list_users", item=identity, page_size=10
            ):
                if row["name"] == "item-13":
                    break
            async for _ in transport.paginate(
                "users/", operation="list_users", item=identity, page_size=10
            ).pages():
                break
            gc.collect()
            await anyio.sleep(0)
            gc.collect()
        assert [str(w.message) for w in caught] == []
        assert live_tasks() == before


async def test_an_error_ends_the_iteration(make_transport: Any) -> None:
    calls: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        calls.append(page)
        if page == 2:
            return httpx.Response(500, json={"detail": "boom"})
        link = f'<{request.url.copy_set_param("page", str(page + 1))}>; rel="next"'
        rows = [item(n) for n in range(10 * (page - 1), 10 * page)]
        return httpx.Response(200, json=rows, headers={"Link": link})

    transport = make_transport(transport=httpx.MockTransport(handler), retry=RetryPolicy.none())
    async with transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        rows: list[Any] = []

        async def consume() -> None:
            async for row in pager:
                rows.append(row)

        with pytest.raises(ServerError, match="boom"):
            await consume()
        assert names(rows) == [f"item-{n}" for n in range(10)]
        with pytest.raises(StopAsyncIteration):
            await pager.__anext__()
    assert calls == [1, 2]


async def test_aclose_ends_the_iteration(router: respx.MockRouter, make_transport: Any) -> None:
    server = ListServer([item(n) for n in range(30)])
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        await pager.aclose()
        assert [row async for row in pager] == []
        with pytest.raises(PuhuriError, match="already consumed"):
            await pager.collect()
        pages = transport.paginate(
            "users/", operation="list_users", item=identity, page_size=10
        ).pages()
        first = await pages.__anext__()
        assert names(first.items) == [f"item-{n}" for n in range(10)]
        await pages.aclose()
        assert [page async for page in pages] == []
        with pytest.raises(KeyError):
            await pages.athrow(KeyError("stop"))
        with pytest.raises(TypeError):
            await pages.asend(1)  # type: ignore[arg-type]
    assert server.pages == [1]


async def test_one_paginator_is_not_fetched_by_two_tasks_at_once(
    router: respx.MockRouter, make_transport: Any
) -> None:
    server = ListServer([item(n) for n in range(30)])
    arrived, release = anyio.Event(), anyio.Event()

    async def held(request: httpx.Request) -> httpx.Response:
        """The first page waits until the second task has tried (no timing involved)."""
        if request.url.params.get("page", "1") == "1" and not release.is_set():
            arrived.set()
            await release.wait()
        return await server(request)

    router.get("users/").mock(side_effect=held)
    async with make_transport() as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        errors: list[Exception] = []

        async def second() -> None:
            try:
                await pager.__anext__()
            except RuntimeError as exc:
                errors.append(exc)

        async with anyio.create_task_group() as group:
            group.start_soon(pager.__anext__)
            with anyio.fail_after(10):
                await arrived.wait()
            await second()
            release.set()
        assert [str(e) for e in errors] == [
            "list_users (users/): the paginator is already fetching in another task"
        ]
        assert len([row async for row in pager]) == 29


async def test_error_on_a_later_page_cancels_the_rest(make_transport: Any) -> None:
    started: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        started.append(page)
        if page == 1:
            link = f'<{request.url.copy_set_param("page", "2")}>; rel="next"'
            return httpx.Response(
                200,
                json=[item(n) for n in range(10)],
                headers={"X-Result-Count": "100", "Link": link},
            )
        if page == 3:
            return httpx.Response(500, json={"detail": "boom"})
        await anyio.sleep(10)  # cancelled long before
        return httpx.Response(200, json=[])  # pragma: no cover

    async with make_transport(transport=httpx.MockTransport(handler), max_concurrency=3) as t:
        with pytest.raises(ServerError, match="boom"), anyio.fail_after(5):
            await t.paginate("users/", operation="list_users", item=identity).collect()


async def test_non_array_body_is_a_decode_error(
    router: respx.MockRouter, make_transport: Any
) -> None:
    router.get("users/").respond(200, json={"results": []})
    async with make_transport() as transport:
        with pytest.raises(DecodeError, match=r"list_users: GET .* expected a JSON array"):
            await transport.paginate("users/", operation="list_users", item=identity).collect()


async def test_paginator_is_consumed_once(router: respx.MockRouter, make_transport: Any) -> None:
    router.get("users/").mock(side_effect=ListServer([item(1)]))
    async with make_transport() as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity)
        assert len(await pager.collect()) == 1
        with pytest.raises(PuhuriError, match="already consumed"):
            await pager.collect()
        with pytest.raises(PuhuriError, match="already consumed"):
            pager.pages()
        other = transport.paginate("users/", operation="list_users", item=identity)
        other.pages()
        with pytest.raises(PuhuriError, match=r"list_users .*already consumed"):
            await other.__anext__()
        assert "users/" in repr(pager)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"page_size": 0}, "page_size"),
        ({"limit": 0}, "limit"),
        ({"limit": True}, "limit"),
        ({"window": 0}, "window"),
        ({"item": 5}, "item"),
        ({"progress": 5}, "progress"),
        ({"params": [("page", "2")]}, "params"),
        ({"params": {"page_size": 10}}, "params"),
        ({"operation": ""}, "operation"),
        ({"timeout": "x"}, "timeout"),
    ],
)
async def test_paginate_arguments_checked_before_io(
    router: respx.MockRouter, make_transport: Any, kwargs: dict[str, Any], argument: str
) -> None:
    kwargs = {"operation": "list_users", "item": identity, **kwargs}
    async with make_transport() as transport:
        with pytest.raises(InvalidArgumentError) as info:
            transport.paginate("users/", **kwargs)
        assert info.value.argument == argument
        with pytest.raises(InvalidArgumentError):
            transport.paginate("users/?page=1", operation="x", item=identity)
    assert transport.stats.requests == 0


async def test_progress_callback_error_is_not_wrapped_in_a_group(
    router: respx.MockRouter, make_transport: Any
) -> None:
    router.get("users/").mock(side_effect=ListServer([item(n) for n in range(30)]))

    def progress(done: int, total: int | None) -> None:
        if done > 10:
            raise KeyError("from the callback")

    async with make_transport() as transport:
        with pytest.raises(KeyError, match="from the callback"):
            await transport.paginate(
                "users/", operation="list_users", item=identity, page_size=10, progress=progress
            ).collect()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_the_next_page_is_asked_for_before_a_page_is_decoded(
    router: respx.MockRouter, make_transport: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page gives its slot back once its body is read: one page at a time, page 3 is asked
    for before page 2's JSON is decoded, so at a high latency the client's own work does not
    hold up the next round trip. On asyncio only: its ready tasks run first in, first out, so
    the page given the slot runs first; trio runs each batch of ready tasks in a random order,
    so there it goes first about half of the time (the order of the pages is kept either way)."""
    from puhuri_async import _json

    server = ListServer([item(n) for n in range(30)], delays={2: 0.01, 3: 0.01})
    events: list[str] = []

    async def record(request: httpx.Request) -> httpx.Response:
        events.append(f"ask {request.url.params['page']}")
        return await server(request)

    real_loads = _json.loads

    def loads(content: bytes) -> Any:
        events.append("decode")
        return real_loads(content)

    monkeypatch.setattr(_json, "loads", loads)
    router.get("users/").mock(side_effect=record)
    async with make_transport(max_concurrency=1) as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        rows = await pager.collect()
    assert names(rows) == [f"item-{n}" for n in range(30)]
    assert events == ["ask 1", "decode", "ask 2", "ask 3", "decode", "decode"]
    assert server.max_in_flight == 1  # still one page at a time on the wire


async def test_no_page_is_sent_once_a_page_has_failed(
    router: respx.MockRouter, make_transport: Any
) -> None:
    """A page that fails gives its slot back, and the page waiting for it was woken; the
    batch's cancellation must reach that page before its request is written, or a request
    goes out for a list that has already failed (on asyncio a task whose wait has ended is
    cancelled only at its next yield, which comes once the request is sent)."""
    server = ListServer([item(n) for n in range(50)])
    asked: list[str] = []

    async def record(request: httpx.Request) -> httpx.Response:
        page = request.url.params["page"]
        asked.append(page)
        if page == "3":
            return httpx.Response(500, json={"detail": "boom"})
        return await server(request)

    router.get("users/").mock(side_effect=record)
    async with make_transport(max_concurrency=1, retry=RetryPolicy.none()) as transport:
        pager = transport.paginate("users/", operation="list_users", item=identity, page_size=10)
        with pytest.raises(ServerError, match="boom"):
            await pager.collect()
        assert asked == ["1", "2", "3"]
        # The slot the cancelled page was given is back: the next list runs.
        asked.clear()
        router.get("users/").mock(side_effect=server)
        rows = await transport.paginate(
            "users/", operation="list_users", item=identity, page_size=10
        ).collect()
    assert len(rows) == 50
