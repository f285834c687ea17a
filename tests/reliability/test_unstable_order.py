"""A list ordered by a non-unique key, paged with LIMIT/OFFSET, and filters a server ignores.

The server here does what Postgres does to Waldur's SSH keys (ordered by ``name`` only, many
named alike): each query may order the ties differently, so consecutive pages overlap; some
keys come twice and others never, while ``X-Result-Count`` holds. The client must say so
truthfully (the ordering, not a change of the list), recover what it can (a unique ``o=`` when
the list offers one, else reading the pages again), and say how many items are still missing;
under ``strict=True`` a result with items missing is an error.

A server that ignores a filter sends rows that fail it; given a row check, the client drops
them and says which filter was ignored (an error under ``strict=True``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from puhuri_async import (
    CountDriftError,
    FilterIgnoredError,
    FilterIgnoredWarning,
    PaginationError,
    RetryPolicy,
    UnstableOrderError,
    UnstableOrderWarning,
)
from puhuri_async._http import Transport

from ._hostile import Request
from ._lists import ListServer, Rows
from ._support import TOKEN

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])]

GUARD = 30
PAGE = 7
# 40 keys under four names: ordered by name alone, most of the order is ties.
KEYS = [
    {"uuid": f"{n:032x}", "name": f"key-{n % 4}", "user_uuid": f"{n % 3:032x}"} for n in range(40)
]


def tie_break(row: dict[str, Any], seed: str) -> str:
    return hashlib.sha256(f"{seed}:{row['uuid']}".encode()).hexdigest()


class TiedOrder:
    """``ORDER BY name LIMIT .. OFFSET ..`` where each query breaks the ties its own way.

    ``settles``: from the second visit of a page on, ties come in one fixed order (the table
    got vacuumed, say), so reading the pages again finds what the first pass missed; otherwise
    every visit of a page breaks the ties the same (page-dependent) way, and nothing can be
    recovered. ``o=uuid`` (a unique order the list offers) is honoured.
    """

    def __init__(self, server: ListServer, *, settles: bool) -> None:
        self.server = server
        self.settles = settles

    def __call__(self, request: Request, page: int, size: int) -> Rows | None:
        rows = self.server.filtered(request)
        if page > self.server.last(request):
            return None
        if request.param("o") == "uuid":
            ordered = sorted(rows, key=lambda row: row["uuid"])
        else:
            settled = self.settles and self.server.visits[page] > 1
            seed = "settled" if settled else f"page {page}"
            ordered = sorted(rows, key=lambda row: (row["name"], tie_break(row, seed)))
        return ordered[(page - 1) * size : page * size]


@pytest.fixture
def keys() -> Iterator[ListServer]:
    with ListServer([dict(key) for key in KEYS]) as server:
        yield server


def paginate(server: ListServer, **options: Any) -> Any:
    transport = Transport(server.url, TOKEN, retry=RetryPolicy.none())
    paginator = transport.paginate(
        "keys/", operation="list_ssh_keys", item=dict, page_size=PAGE, **options
    )
    return transport, paginator


async def collect(server: ListServer, **options: Any) -> tuple[list[dict[str, Any]], Any]:
    transport, paginator = paginate(server, **options)
    async with transport:
        with anyio.fail_after(GUARD):
            return await paginator.collect(), paginator


def uuids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["uuid"] for row in rows]


async def test_the_overlap_is_real(keys: ListServer) -> None:
    """The server really loses keys to a page-number reader (the plain oracle below)."""
    keys.rows = TiedOrder(keys, settles=False)
    with pytest.warns(UnstableOrderWarning):
        rows, paginator = await collect(keys, rereads=0)
    assert paginator.drift.duplicates > 0
    assert len(set(uuids(rows))) < len(KEYS)


async def test_a_unique_order_asked_for_leaves_nothing_to_report(keys: ListServer) -> None:
    keys.rows = TiedOrder(keys, settles=False)
    rows, paginator = await collect(keys, order="uuid")
    assert sorted(uuids(rows)) == sorted(key["uuid"] for key in KEYS)
    assert paginator.drift is None
    assert all(request.param("o") == "uuid" for request in keys.requests)


async def test_an_order_of_the_caller_is_kept(keys: ListServer) -> None:
    keys.rows = TiedOrder(keys, settles=False)
    with pytest.warns(UnstableOrderWarning):
        await collect(keys, order="uuid", params={"o": "name"})
    assert all(request.param("o") == "name" for request in keys.requests)


@pytest.mark.parametrize("consume", ["collect", "iterate"])
async def test_reading_again_recovers_and_says_why(keys: ListServer, consume: str) -> None:
    keys.rows = TiedOrder(keys, settles=True)
    transport, paginator = paginate(keys)

    async def drain() -> list[dict[str, Any]]:
        if consume == "collect":
            return list(await paginator.collect())
        return [row async for row in paginator]

    async with transport:
        with anyio.fail_after(GUARD), pytest.warns(UnstableOrderWarning) as caught:
            rows = await drain()
    assert sorted(uuids(rows)) == sorted(key["uuid"] for key in KEYS)  # complete, each once
    drift = paginator.drift
    assert drift is not None
    assert drift.unstable
    assert not drift.changed
    assert drift.rereads == 1
    assert drift.recovered > 0
    assert drift.missing == 0
    message = str(caught[0].message)
    assert "ordering of this list is not unique" in message
    assert "none is missing" in message
    assert "changed" not in message
    assert caught[0].filename == __file__  # the caller's line


async def test_what_cannot_be_recovered_is_counted(keys: ListServer) -> None:
    keys.rows = TiedOrder(keys, settles=False)
    with pytest.warns(UnstableOrderWarning, match="missing from the result"):
        rows, paginator = await collect(keys, rereads=2)
    drift = paginator.drift
    assert drift.missing > 0
    assert drift.rereads == 2
    assert len(set(uuids(rows))) == len(rows)  # each key once
    assert len(rows) + drift.missing == len(KEYS)  # nothing unaccounted for
    assert len(keys.requests) == 3 * 6  # 6 pages, read three times: bounded


async def test_strict_refuses_a_result_with_items_missing(keys: ListServer) -> None:
    keys.rows = TiedOrder(keys, settles=False)
    with pytest.raises(UnstableOrderError) as info:
        await collect(keys, strict=True)
    assert info.value.missing > 0
    assert isinstance(info.value, CountDriftError)
    assert "not unique" in str(info.value)
    assert info.value.operation == "list_ssh_keys"


async def test_strict_takes_a_recovered_result(keys: ListServer) -> None:
    keys.rows = TiedOrder(keys, settles=True)
    with pytest.warns(UnstableOrderWarning, match="none is missing"):
        rows, _ = await collect(keys, strict=True)
    assert len(rows) == len(KEYS)


# -- filters the server does not apply -----------------------------------------------------------

WANTED = f"{1:032x}"


def user_uuid_check(row: dict[str, Any]) -> str | None:
    return None if row.get("user_uuid") == WANTED else "user_uuid"


async def test_rows_a_server_failed_to_filter_are_dropped(keys: ListServer) -> None:
    """The server ignores ``user_uuid`` (its count is of the whole list): the rows that fail it
    are dropped and named, and the full count is not mistaken for missing items."""
    with pytest.warns(FilterIgnoredWarning, match=r"'user_uuid' \(\d+ rows?\)") as caught:
        rows, paginator = await collect(
            keys, order="uuid", params={"user_uuid": WANTED}, row_check=user_uuid_check
        )
    assert uuids(rows) == sorted(key["uuid"] for key in KEYS if key["user_uuid"] == WANTED)
    assert paginator.ignored_filters == {"user_uuid": len(KEYS) - len(rows)}
    assert paginator.drift is None
    assert len(caught) == 1


async def test_strict_refuses_rows_a_server_failed_to_filter(keys: ListServer) -> None:
    with pytest.raises(FilterIgnoredError) as info:
        await collect(
            keys, strict=True, order="uuid", params={"user_uuid": WANTED}, row_check=user_uuid_check
        )
    assert set(info.value.filters) == {"user_uuid"}
    assert isinstance(info.value, PaginationError)


async def test_a_server_that_applies_the_filter_is_not_reported(keys: ListServer) -> None:
    keys.items = [key for key in keys.items if key["user_uuid"] == WANTED]  # as if it filtered
    rows, paginator = await collect(
        keys, order="uuid", params={"user_uuid": WANTED}, row_check=user_uuid_check
    )
    assert paginator.ignored_filters == {}
    assert paginator.drift is None
    assert uuids(rows) == uuids(keys.items)
