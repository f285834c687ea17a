"""When ``item`` runs: as each page arrives (while later pages are still on the way), and with
its errors raised only for rows that are really used (not duplicates, not past ``limit``)."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
import respx

from puhuri_async._errors import InvalidArgumentError, UnstableOrderWarning
from puhuri_async._page_items import _keys, uuid_key

from ._fakes import ListServer, item

pytestmark = pytest.mark.anyio


class Rejected(Exception):
    """What the test's ``item`` raises for a row it refuses."""


def refusing(*bad: str) -> Any:
    """An ``item`` that raises ``Rejected`` for the rows named ``bad``."""

    def structure(row: dict[str, Any]) -> dict[str, Any]:
        if row["name"] in bad:
            raise Rejected(row["name"])
        return row

    return structure


async def test_items_are_made_while_later_pages_are_in_flight(
    router: respx.MockRouter, make_transport: Any
) -> None:
    """Page 3 is answered only after page 2's rows went through ``item``: were the rows only
    structured after the last page, this would wait for ever (and fail after 10 s)."""
    page_two_done = anyio.Event()
    server = ListServer([item(n) for n in range(30)])

    async def respond(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "3":
            with anyio.fail_after(10):
                await page_two_done.wait()
        return await server(request)

    def structure(row: dict[str, Any]) -> dict[str, Any]:
        if row["name"] == "item-19":  # the last row of page 2
            page_two_done.set()
        return {**row, "seen": True}

    router.get("users/").mock(side_effect=respond)
    async with make_transport(max_concurrency=2) as transport:
        rows = await transport.paginate(
            "users/", operation="list_users", item=structure, page_size=10
        ).collect()
    assert [row["name"] for row in rows] == [f"item-{n}" for n in range(30)]
    assert all(row["seen"] for row in rows)


async def test_a_bad_row_is_raised_when_it_is_used(
    router: respx.MockRouter, make_transport: Any
) -> None:
    router.get("users/").mock(side_effect=ListServer([item(n) for n in range(30)]))
    async with make_transport() as transport:
        pager = transport.paginate(
            "users/", operation="list_users", item=refusing("item-25"), page_size=10
        )
        seen: list[str] = []

        async def consume() -> None:
            async for row in pager:
                seen.append(row["name"])

        with pytest.raises(Rejected, match="item-25"):
            await consume()
    assert seen == [f"item-{n}" for n in range(20)]  # the pages before the bad row's page


async def test_a_bad_duplicate_is_skipped_not_raised(
    router: respx.MockRouter, make_transport: Any
) -> None:
    data = [item(n) for n in range(20)]

    def repeat_a_row_of_page_one_badly(server: ListServer) -> None:
        server.items[10] = {"uuid": data[3]["uuid"], "name": "bad"}

    server = ListServer(list(data), on_page={1: repeat_a_row_of_page_one_badly})
    router.get("users/").mock(side_effect=server)
    async with make_transport() as transport:
        pager = transport.paginate(
            "users/", operation="list_users", item=refusing("bad"), page_size=10
        )
        with pytest.warns(UnstableOrderWarning, match="1 item is missing"):
            rows = await pager.collect()
    assert [row["name"] for row in rows] == [f"item-{n}" for n in (*range(10), *range(11, 20))]
    assert pager.drift is not None
    assert pager.drift.duplicates == 1
    # The count held: an overlap of the server's pages, not a change of the list.
    assert not pager.drift.changed
    assert pager.drift.missing == 1


async def test_a_bad_row_past_the_limit_is_not_raised(
    router: respx.MockRouter, make_transport: Any
) -> None:
    router.get("users/").mock(side_effect=ListServer([item(n) for n in range(30)]))
    async with make_transport() as transport:
        rows = await transport.paginate(
            "users/", operation="list_users", item=refusing("item-12"), page_size=10, limit=12
        ).collect()
    assert [row["name"] for row in rows] == [f"item-{n}" for n in range(12)]


async def test_items_makes_whole_pages_and_none_leaves_a_page_to_item(
    router: respx.MockRouter, make_transport: Any
) -> None:
    """``items(rows)`` is called once per page; a page it declines (``None``) goes through
    ``item`` row by row, and both give the same result for a row."""
    router.get("users/").mock(side_effect=ListServer([item(n) for n in range(25)]))
    pages_taken: list[int] = []

    def whole(rows: list[dict[str, Any]], url: str) -> list[dict[str, Any]] | None:
        assert url.startswith("https://")
        if rows[0]["name"] == "item-10":  # page 2: declined
            return None
        pages_taken.append(len(rows))
        return [{**row, "by": "items"} for row in rows]

    def one(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "by": "item"}

    async with make_transport() as transport:
        rows = await transport.paginate(
            "users/", operation="list_users", item=one, items=whole, page_size=10
        ).collect()
    assert [row["name"] for row in rows] == [f"item-{n}" for n in range(25)]
    assert [row["by"] for row in rows] == ["items"] * 10 + ["item"] * 10 + ["items"] * 5
    assert pages_taken == [10, 5]


async def test_items_must_be_callable(make_transport: Any) -> None:
    async with make_transport() as transport:
        with pytest.raises(InvalidArgumentError, match="items"):
            transport.paginate(
                "users/", operation="list_users", item=lambda row: row, items="all at once"
            )


@pytest.mark.parametrize(
    "uuids",
    [
        ["a", "b", "c"],
        ["a", None, "c"],
        ["a", "a", "b"],
        [None, None],
        ["a", 7, "b"],
        ["a", ["x"], "b"],
        ["a", {"k": 1}],
    ],
)
async def test_uuid_keys_of_a_page_are_those_of_uuid_key(uuids: list[Any]) -> None:
    rows = [{"uuid": value} for value in uuids] + [{"name": "no uuid"}]
    assert _keys(uuid_key, rows) == [uuid_key(row) for row in rows]
