"""Pagination driven by a hostile server: the client trusts its own page URLs, checks the rest,
and never returns a list that is silently short, unfiltered, or endless.

Each server here is a ``ListServer`` (a DRF-like list on a raw socket) made to lie in one way:
its count, its ``Link`` header, its ``next`` page. The client must get every item exactly once
or raise a typed error (``PaginationError`` is a ``DecodeError``) after a bounded number of
requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from puhuri_async import (
    CountDriftWarning,
    CrossOriginError,
    DecodeError,
    PaginationError,
    PuhuriClient,
    ResponseLimits,
    RetryPolicy,
)
from puhuri_async._http import Transport

from ._lists import ListServer, user
from ._support import TOKEN

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("anyio_backend", ["asyncio"])]

GUARD = 30
USERS = [user(n) for n in range(23)]
FIRST_WINDOW = 4
"""Page 1 and pages 2-4 go out at once on a list's first read (``first_window``): a list refused
on page 1's answer has asked for at most these (fewer when page 1's error came first)."""


@pytest.fixture
def server() -> Iterator[ListServer]:
    with ListServer(list(USERS)) as server:
        yield server


def client(server: ListServer, **options: Any) -> PuhuriClient:
    return PuhuriClient(server.url, TOKEN, page_size=5, retry=RetryPolicy.none(), **options)


async def list_users(server: ListServer, **filters: Any) -> list[dict[str, Any]]:
    async with client(server) as puhuri:
        with anyio.fail_after(GUARD):
            return [u.to_dict() for u in await puhuri.list_users(**filters)]


async def iter_users(server: ListServer) -> list[dict[str, Any]]:
    async with client(server) as puhuri:
        with anyio.fail_after(GUARD):
            return [u.to_dict() async for u in puhuri.iter_users()]


# -- the count ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [["²³"], ["9" * 5000], ["-5"], ["1e3"], [""], ["12", "13"], ["0x17"], ["٢٣"]],
    ids=[
        "superscript",
        "5000 digits",
        "negative",
        "exponent",
        "empty",
        "conflicting",
        "hex",
        "arabic",
    ],
)
async def test_an_implausible_count_is_refused(server: ListServer, values: list[str]) -> None:
    server.count = lambda request, page: values
    with pytest.raises(PaginationError, match="X-Result-Count") as info:
        await list_users(server)
    assert isinstance(info.value, DecodeError)
    assert info.value.operation == "list_users"
    assert len(server.requests) <= FIRST_WINDOW


async def test_a_repeated_count_that_agrees_is_fine(server: ListServer) -> None:
    server.count = lambda request, page: [str(len(USERS))] * 2
    assert await list_users(server) == USERS


@pytest.mark.parametrize("consume", [list_users, iter_users])
async def test_a_count_of_a_trillion_is_refused_at_once(server: ListServer, consume: Any) -> None:
    """10^12 items would be 2 * 10^11 pages: more than any list may take, so the client says
    so after page 1 instead of planning them (MemoryError) or asking for them (for ever)."""
    server.count = lambda request, page: [str(10**12)]
    with pytest.raises(PaginationError, match=r"ResponseLimits\.max_pages"):
        await consume(server)
    assert len(server.requests) <= FIRST_WINDOW


async def test_a_count_that_grows_with_every_page_is_bounded() -> None:
    """A list that never ends (each page says there is more, and more items): the client
    reports the drift and stops at ``max_pages`` with an error, not a short list."""
    with ListServer([]) as server:
        server.count = lambda request, page: [str(5 * page + 5)]
        server.rows = lambda request, page, size: [user(1000 * page + n) for n in range(5)]
        server.link = lambda request, page, last: (
            f'<{server.url_of(request, page + 1)}>; rel="next"'
        )
        transport = Transport(
            server.url,
            TOKEN,
            retry=RetryPolicy.none(),
            response_limits=ResponseLimits(max_pages=30),
        )
        async with transport:
            paginator = transport.paginate("users/", operation="list_users", item=dict, page_size=5)
            with (
                anyio.fail_after(GUARD),
                pytest.warns(CountDriftWarning),
                pytest.raises(PaginationError, match="more than 30 pages"),
            ):
                await paginator.collect()
    assert len(server.requests) == 30


# -- the Link header ------------------------------------------------------------------------------


async def test_a_next_that_changes_a_dummy_parameter_cannot_loop(server: ListServer) -> None:
    visits = iter(range(10**6))
    server.count = lambda request, page: []
    server.link = lambda request, page, last: (
        f'<{server.origin}/api/users/?page=2&page_size=5&dummy={next(visits)}>; rel="next"'
    )
    with pytest.raises(PaginationError, match="loops back to page 2"):
        await list_users(server)
    # the first window, then page 2 again: without a count, pages are taken one by one
    assert len(server.requests) == FIRST_WINDOW + 1


@pytest.mark.parametrize("count", [True, False])
async def test_a_next_for_ever_over_the_same_items_is_refused(
    server: ListServer, count: bool
) -> None:
    server.count = lambda request, page: ["5"] if count else []
    server.rows = lambda request, page, size: USERS[:5]
    server.link = lambda request, page, last: f'<{server.url_of(request, page + 1)}>; rel="next"'
    with pytest.raises(PaginationError, match="repeats its pages"):
        await list_users(server)
    assert len(server.requests) == FIRST_WINDOW + 3


@pytest.mark.parametrize("rel", ['rel="NEXT"', "REL=Next", 'rel="prev NeXt"'])
async def test_link_relations_are_case_insensitive(server: ListServer, rel: str) -> None:
    server.link = lambda request, page, last: (
        f"<{server.url_of(request, page + 1)}>; {rel}" if page < last else None
    )
    assert await list_users(server) == USERS


@pytest.mark.parametrize("form", ["query only", "absolute path"])
async def test_a_relative_next_is_resolved_against_the_page_url(
    server: ListServer, form: str
) -> None:
    def link(request: Any, page: int, last: int) -> str | None:
        if page >= last:
            return None
        query = f"?page={page + 1}&page_size=5"
        return f'<{query if form == "query only" else "/api/users/" + query}>; rel="next"'

    server.count = lambda request, page: []  # followed one page at a time
    server.link = link
    assert await list_users(server) == USERS


@pytest.mark.parametrize("count", [True, False])
async def test_a_next_that_drops_the_filters_never_unfilters_the_list(count: bool) -> None:
    """The server's ``next`` forgets ``username``: the client's own page URLs keep it, so every
    page is the filtered list (the old client fetched the whole unfiltered list after page 1)."""
    items = [user(n, username="same" if n % 2 else f"user-{n}") for n in range(40)]
    with ListServer(items) as server:
        server.count = (
            (lambda request, page: [str(len(server.filtered(request)))])
            if count
            else (lambda request, page: [])
        )
        server.link = lambda request, page, last: (
            f'<{server.origin}/api/users/?page={page + 1}&page_size=5>; rel="next"'
            if page < last
            else None
        )
        got = await list_users(server, username="same")
    assert got == [row for row in items if row["username"] == "same"]
    assert all(request.param("username") == "same" for request in server.requests)


async def test_a_malformed_link_header_is_refused(server: ListServer) -> None:
    server.link = lambda request, page, last: '<http://x/?page=2; rel="next"'
    with pytest.raises(PaginationError, match="malformed Link"):
        await list_users(server)


async def test_a_next_to_another_list_is_refused(server: ListServer) -> None:
    server.link = lambda request, page, last: f'<{server.origin}/api/keys/?page=2>; rel="next"'
    with pytest.raises(PaginationError, match="another list"):
        await list_users(server)


async def test_a_next_to_another_origin_is_refused_before_it_is_asked(server: ListServer) -> None:
    server.link = lambda request, page, last: '<http://localhost:1/api/users/?page=2>; rel="next"'
    with pytest.raises(CrossOriginError):
        await list_users(server)
    assert len(server.requests) <= FIRST_WINDOW  # the first window only, nothing after it


async def test_two_different_next_pages_are_refused(server: ListServer) -> None:
    server.link = lambda request, page, last: (
        f'<{server.url_of(request, page + 1)}>; rel="next", '
        f'<{server.url_of(request, page + 2)}>; rel="next"'
    )
    with pytest.raises(PaginationError, match="two next pages"):
        await list_users(server)
