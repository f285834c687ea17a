"""Against a real HTTP server on 127.0.0.1: timeouts, dropped connections, refused connects."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from puhuri_async import (
    OutcomeUnknownError,
    RequestTimeoutError,
    RetryPolicy,
    Timeout,
    TransportError,
    _transports,
)

from ._fakes import TOKEN, FakeTime
from ._loopback import closed_port, loopback


def network_loggers() -> set[str]:
    """The loggers of the layer under httpx that sends in this event loop: httpcore's, unless
    the aiohttp transport is chosen (it logs nothing of its own)."""
    chosen = _transports.select(verify=True, limits=httpx.Limits())
    return set() if chosen is not None else {"httpcore"}


pytestmark = pytest.mark.anyio

SHORT = Timeout(connect=2.0, read=0.2, write=2.0, pool=2.0)
TWO_TRIES = RetryPolicy(max_attempts=2)


async def test_real_round_trip_sends_auth(make_transport: Any) -> None:
    async with loopback() as server, make_transport(api_url=server.url, timeout=SHORT) as t:
        resp = await t.request("GET", "ok/", operation="op")
    assert resp.data == {"ok": True}
    assert server.received[0].headers["authorization"] == f"Token {TOKEN}"


async def test_read_timeout_of_get_retried_then_typed(
    make_transport: Any, fake_time: FakeTime
) -> None:
    async with loopback() as server:
        async with make_transport(api_url=server.url, timeout=SHORT, retry=TWO_TRIES) as t:
            with pytest.raises(RequestTimeoutError) as info:
                await t.request("GET", "slow/", operation="get_slow")
        assert len(server.received) == 2
    assert info.value.retries == 1
    assert "ReadTimeout" in str(info.value)
    assert len(fake_time.sleeps) == 1


async def test_read_timeout_of_post_is_outcome_unknown(make_transport: Any) -> None:
    async with loopback() as server:
        async with make_transport(api_url=server.url, timeout=SHORT) as t:
            with pytest.raises(OutcomeUnknownError) as info:
                await t.request("POST", "slow/", operation="post_slow", json={"a": 1})
        assert len(server.received) == 1
        assert server.received[0].body == b'{"a":1}'
    assert isinstance(info.value.cause, RequestTimeoutError)


async def test_connection_dropped_mid_response(make_transport: Any) -> None:
    async with (
        loopback() as server,
        make_transport(api_url=server.url, timeout=SHORT, retry=TWO_TRIES) as t,
    ):
        with pytest.raises(TransportError) as info:
            await t.request("GET", "truncated/", operation="get_truncated")
        assert not isinstance(info.value, RequestTimeoutError)
        assert info.value.retries == 1
        assert len(server.received) == 2
        with pytest.raises(OutcomeUnknownError) as post:
            await t.request("POST", "truncated/", operation="post_truncated", json={})
        assert len(server.received) == 3
    assert isinstance(post.value.cause, TransportError)
    assert "connection failed" in str(post.value)


async def test_connection_closed_without_answer(make_transport: Any) -> None:
    async with loopback() as server:
        async with make_transport(api_url=server.url, timeout=SHORT) as t:
            with pytest.raises(OutcomeUnknownError):
                await t.request("POST", "drop/", operation="post_drop", json={})
        assert len(server.received) == 1


async def test_post_retried_when_the_connection_is_refused(
    make_transport: Any, fake_time: FakeTime
) -> None:
    port = await closed_port()
    async with make_transport(api_url=f"http://127.0.0.1:{port}", timeout=SHORT) as t:
        with pytest.raises(TransportError, match="could not connect") as info:
            await t.request("POST", "orders/", operation="create_order", json={})
    assert not isinstance(info.value, OutcomeUnknownError)
    assert info.value.retries == 3  # never sent, so retried even though it is a POST
    assert len(fake_time.sleeps) == 3


async def test_token_absent_from_debug_logs_of_every_layer(
    make_transport: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("puhuri_async", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    async with loopback() as server, make_transport(api_url=server.url, timeout=SHORT) as t:
        await t.request("GET", "ok/", operation="op")
        with pytest.raises(OutcomeUnknownError):
            await t.request("POST", "truncated/", operation="op", json={})
    loggers = {record.name.split(".")[0] for record in caplog.records}
    assert {"puhuri_async", "httpx"} | network_loggers() <= loggers
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in repr(record.args)
        assert TOKEN not in repr(record.__dict__)
