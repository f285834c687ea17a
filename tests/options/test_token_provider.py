"""A token provider: asked before each request, once more after a 401 (then the request is
sent again only if it is safe), its tokens pinned to the origin and scrubbed from errors.

A list call here is one request: the clients ask for page 1 alone (``first_window=1``), as
the servers here answer every request with the same one-page list."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from puhuri_async import (
    AuthenticationError,
    InvalidArgumentError,
    PuhuriClient,
    SyncPuhuriClient,
)
from puhuri_async._http import Transport

API = "https://puhuri.test/api/"


class Provider:
    """Hands out ``tokens`` in turn (staying on the last); counts the calls."""

    def __init__(self, *tokens: str) -> None:
        self.tokens = list(tokens)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return self.tokens[min(self.calls, len(self.tokens)) - 1]

    async def asynchronous(self) -> str:
        return self()


class Server:
    """Accepts only ``valid``; a 401 echoes the Authorization header it got (a careless proxy)."""

    def __init__(self, valid: str) -> None:
        self.valid = valid
        self.seen: list[tuple[str, str, str | None]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        header = request.headers.get("Authorization")
        self.seen.append((request.method, request.url.host, header))
        if header != f"Bearer {self.valid}":
            return httpx.Response(401, json={"detail": f"Invalid token: {header}"})
        if request.method == "POST":
            return httpx.Response(201, json={"uuid": "b" * 32})
        body = json.dumps([{"uuid": "a" * 32, "username": "u"}]).encode()
        return httpx.Response(200, headers={"X-Result-Count": "1"}, content=body)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


OLD = "expired-token-aaaaaaaaaaaa"
NEW = "renewed-token-bbbbbbbbbbbb"


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_the_provider_is_asked_before_each_request(kind: str) -> None:
    provider = Provider(NEW)
    source: Any = provider if kind == "sync" else provider.asynchronous
    server = Server(NEW)
    async with PuhuriClient(
        API, source, token_prefix="Bearer", transport=server.transport(), first_window=1
    ) as client:
        await client.list_users()
        await client.list_users()
    assert provider.calls == 2
    assert [header for *_, header in server.seen] == [f"Bearer {NEW}"] * 2


@pytest.mark.anyio
async def test_a_401_renews_the_token_and_a_get_is_sent_again_once() -> None:
    provider = Provider(OLD, NEW)
    server = Server(NEW)
    async with PuhuriClient(
        API, provider, token_prefix="Bearer", transport=server.transport(), first_window=1
    ) as client:
        users = await client.list_users()
        assert client.stats.retries == 0  # a renewal is not a retry
    assert len(users) == 1
    assert [header for *_, header in server.seen] == [f"Bearer {OLD}", f"Bearer {NEW}"]


@pytest.mark.anyio
async def test_an_unchanged_token_is_not_sent_again() -> None:
    provider = Provider(OLD)
    server = Server(NEW)
    async with PuhuriClient(
        API, provider, token_prefix="Bearer", transport=server.transport(), first_window=1
    ) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_users()
    assert len(server.seen) == 1
    assert provider.calls == 2  # before the request, and after the 401
    assert OLD not in str(caught.value)
    assert OLD not in repr(caught.value.body)


@pytest.mark.anyio
async def test_a_non_idempotent_post_is_not_sent_again_but_the_next_call_has_the_new_token() -> (
    None
):
    provider = Provider(OLD, NEW)
    server = Server(NEW)
    transport = Transport(
        API, provider, token_prefix="Bearer", transport=server.transport(), first_window=1
    )
    async with transport:
        with pytest.raises(AuthenticationError) as caught:
            await transport.request("POST", "orders/", operation="create_order", json={"a": 1})
        assert [m for m, *_ in server.seen] == ["POST"]
        await transport.request("POST", "orders/", operation="create_order", json={"a": 1})
    assert server.seen[-1][2] == f"Bearer {NEW}"
    assert OLD not in str(caught.value)
    assert OLD not in str(caught.value.detail)


@pytest.mark.anyio
async def test_an_idempotent_request_is_sent_again() -> None:
    provider = Provider(OLD, NEW)
    server = Server(NEW)
    transport = Transport(
        API, provider, token_prefix="Bearer", transport=server.transport(), first_window=1
    )
    async with transport:
        await transport.request(
            "POST", "orders/", operation="set_state", json={"a": 1}, idempotent=True
        )
    assert [header for *_, header in server.seen] == [f"Bearer {OLD}", f"Bearer {NEW}"]


@pytest.mark.anyio
async def test_the_provider_s_token_stays_on_the_api_origin() -> None:
    server = Server(NEW)
    transport = Transport(
        API, Provider(NEW), token_prefix="Bearer", transport=server.transport(), first_window=1
    )
    async with transport:
        client, _ = transport._ensure_open()
        await transport._tokens.current()
        await client.get("https://elsewhere.test/x")
    assert server.seen == [("GET", "elsewhere.test", None)]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "returned", [None, 42, "", "two words", "tab\there"], ids=["none", "int", "empty", "sp", "tab"]
)
async def test_a_bad_token_from_the_provider_is_refused(returned: object) -> None:
    server = Server(NEW)
    async with PuhuriClient(
        API, lambda: returned, token_prefix="Bearer", transport=server.transport(), first_window=1
    ) as client:
        with pytest.raises(InvalidArgumentError):
            await client.list_users()
    assert server.seen == []


def test_the_prefix_is_checked_before_any_request() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        PuhuriClient(API, Provider(NEW), token_prefix="Basic")
    assert caught.value.argument == "token_prefix"


def test_the_sync_client_takes_a_provider() -> None:
    provider = Provider(OLD, NEW)
    server = Server(NEW)
    with SyncPuhuriClient(
        API, provider, token_prefix="Bearer", transport=server.transport(), first_window=1
    ) as client:
        assert len(client.list_users()) == 1
        assert len(client.list_users()) == 1
    assert provider.calls == 3


class Refreshing:
    """Caches its token; ``refresh=True`` (after a 401) gets the next one."""

    def __init__(self, *tokens: str) -> None:
        self.tokens = list(tokens)
        self.asked: list[bool] = []

    async def __call__(self, refresh: bool = False) -> str:
        self.asked.append(refresh)
        if refresh:
            self.tokens.pop(0)
        return self.tokens[0]


@pytest.mark.anyio
async def test_a_provider_with_a_refresh_parameter_is_told_after_a_401() -> None:
    provider = Refreshing(OLD, NEW)
    server = Server(NEW)
    async with PuhuriClient(
        API, provider, token_prefix="Bearer", transport=server.transport(), first_window=1
    ) as client:
        assert len(await client.list_users()) == 1
        assert len(await client.list_users()) == 1
    assert provider.asked == [False, True, False]
    assert [header for *_, header in server.seen] == [
        f"Bearer {OLD}",
        f"Bearer {NEW}",
        f"Bearer {NEW}",
    ]


@pytest.mark.anyio
async def test_a_token_renewed_by_another_request_is_used_without_asking_again() -> None:
    provider = Refreshing(OLD, NEW)
    server = Server(NEW)
    transport = Transport(
        API, provider, token_prefix="Bearer", transport=server.transport(), first_window=1
    )
    async with transport:
        await transport._tokens.current()  # OLD
        refused = transport._tokens.header
        assert await transport._tokens.renew(refused)  # the first 401: refreshed to NEW
        assert await transport._tokens.renew(refused)  # a second one for OLD: NEW already
    assert provider.asked == [False, True]


def test_which_providers_are_told_to_refresh() -> None:
    from puhuri_async._auth import _takes_refresh

    def plain() -> str:
        return NEW

    def keyword(*, refresh: bool = False) -> str:
        return NEW

    def anything(**options: object) -> str:
        return NEW

    assert not _takes_refresh(plain)
    assert not _takes_refresh(lambda: NEW)
    assert _takes_refresh(keyword)
    assert _takes_refresh(anything)
    assert _takes_refresh(Refreshing(NEW))
