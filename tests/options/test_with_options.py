"""``with_options``: a view with its own timeout, retry policy and page size, sharing the
client's connections, limiter, ``Retry-After`` gate, token and counters.

A list call here is one request: the clients ask for page 1 alone (``first_window=1``), as
the servers here answer every request with the same one-page list."""

from __future__ import annotations

import json
from typing import Any

import anyio
import httpx
import pytest

from puhuri_async import (
    ClientClosedError,
    InvalidArgumentError,
    PuhuriClient,
    RetryPolicy,
    ServerError,
    SyncPuhuriClient,
    Timeout,
)
from puhuri_async._http import Transport

API = "https://puhuri.test/api/"
TOKEN = "view-test-token-0123"


class Server:
    """A mock server: answers ``fail`` 503s first (with ``Retry-After`` if set), then users."""

    def __init__(self, fail: int = 0, retry_after: str | None = None) -> None:
        self.fail = fail
        self.retry_after = retry_after
        self.timeouts: list[dict[str, Any]] = []
        self.limits: list[str | None] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.timeouts.append(request.extensions["timeout"])
        self.limits.append(request.url.params.get("page_size"))
        if self.fail:
            self.fail -= 1
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return httpx.Response(503, headers=headers, json={"detail": "busy"})
        body = json.dumps([{"uuid": "a" * 32, "username": "u"}]).encode()
        return httpx.Response(200, headers={"X-Result-Count": "1"}, content=body)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


def _client(server: Server, **options: Any) -> PuhuriClient:
    options.setdefault("retry", RetryPolicy(max_attempts=3, backoff_base=0.001, backoff_max=0.001))
    options.setdefault("first_window", 1)
    return PuhuriClient(API, TOKEN, transport=server.transport(), **options)


@pytest.mark.anyio
async def test_the_view_s_timeout_is_sent_and_the_client_s_is_kept() -> None:
    server = Server()
    async with _client(server, timeout=Timeout(read=40.0)) as client:
        view = client.with_options(timeout=7.5)
        await view.list_users()
        await client.list_users()
    assert server.timeouts[0]["read"] == 7.5
    assert server.timeouts[1]["read"] == 40.0


@pytest.mark.anyio
async def test_the_view_s_retry_policy_applies_to_its_calls_only() -> None:
    server = Server(fail=1)
    async with _client(server) as client:
        with pytest.raises(ServerError):
            await client.with_options(retry=RetryPolicy.none()).list_users()
        server.fail = 1
        assert len(await client.list_users()) == 1  # the client still retries
        assert client.stats.retries == 1
        assert client.stats.requests == 3  # one counter for the client and its views


@pytest.mark.anyio
async def test_the_view_shares_the_pool_and_the_limiter() -> None:
    server = Server()
    async with _client(server, max_concurrency=3) as client:
        view = client.with_options(timeout=9.0, page_size=50)
        await view.list_users()
        await client.list_users()
        assert view._transport._connections is client._transport._connections
        assert view._transport._ensure_open() == client._transport._ensure_open()
        assert view.max_concurrency == 3
        assert (view.page_size, client.page_size) == (50, 300)
    assert server.limits == ["50", "300"]


@pytest.mark.anyio
async def test_the_view_shares_the_retry_after_gate() -> None:
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds
        await anyio.lowlevel.checkpoint()

    server = Server(fail=1, retry_after="2")
    transport = Transport(
        API, TOKEN, transport=server.transport(), sleep=sleep, clock=lambda: now[0]
    )
    view = transport.with_options(timeout=30.0)
    async with transport:
        await view.request("GET", "users/", operation="list_users")  # 503, waits at the gate
        assert transport.stats.gate_waits == 1
        assert view.stats == transport.stats
    assert waits == [2.0]


@pytest.mark.anyio
async def test_closing_a_view_leaves_the_client_open_and_closing_the_client_closes_views() -> None:
    server = Server()
    async with _client(server) as client:
        async with client.with_options(timeout=5.0) as view:
            await view.list_users()
        assert not client.closed
        assert len(await client.list_users()) == 1
    assert view.closed
    with pytest.raises(ClientClosedError):
        await view.list_users()


def test_the_sync_client_s_view() -> None:
    server = Server(fail=1)
    with SyncPuhuriClient(API, TOKEN, transport=server.transport(), first_window=1) as client:
        view = client.with_options(retry=RetryPolicy.none(), timeout=3.0)
        with pytest.raises(ServerError):
            view.list_users()
        assert server.timeouts[0]["read"] == 3.0
        view.close()
        assert view.closed
        assert not client.closed
        with pytest.raises(ClientClosedError):
            view.list_users()
        assert len(client.list_users()) == 1
        other = client.with_options(page_size=20)
    assert other.closed
    with pytest.raises(ClientClosedError):
        other.list_users()


@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"timeout": "fast"}, "timeout"),
        ({"timeout": -1}, "timeout.connect"),
        ({"retry": 3}, "retry"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 301}, "page_size"),
    ],
)
def test_bad_options_are_refused_naming_them(options: dict[str, Any], argument: str) -> None:
    client = PuhuriClient(API, TOKEN)
    with pytest.raises(InvalidArgumentError) as caught:
        client.with_options(**options)
    assert caught.value.argument == argument
    with SyncPuhuriClient(API, TOKEN) as sync, pytest.raises(InvalidArgumentError):
        sync.with_options(**options)
