"""The retry loop with respx and fake time: Retry-After, the shared gate, POST safety, budget."""

from __future__ import annotations

import logging
from typing import Any

import anyio
import httpx
import pytest
import respx

from puhuri_async import (
    OutcomeUnknownError,
    RateLimitedError,
    RequestTimeoutError,
    RetryEvent,
    RetryPolicy,
    ServerError,
    TransportError,
)

from ._fakes import API, FakeTime

pytestmark = pytest.mark.anyio

OK = httpx.Response(200, json={"ok": True})


@pytest.mark.parametrize("status", [429, 503])
async def test_get_retries_honouring_retry_after(
    router: respx.MockRouter, make_transport: Any, fake_time: FakeTime, status: int
) -> None:
    route = router.get("users/").mock(
        side_effect=[
            httpx.Response(status, headers={"Retry-After": "7"}),
            httpx.Response(status, headers={"Retry-After": "2"}),
            OK,
        ]
    )
    async with make_transport() as transport:
        resp = await transport.request("GET", "users/", operation="list_users")
    assert resp.data == {"ok": True}
    assert route.call_count == 3
    assert fake_time.sleeps == [7.0, 2.0]
    assert transport.stats.retries == 2
    assert transport.stats.rate_limited == (2 if status == 429 else 0)


async def test_retry_after_as_http_date(
    router: respx.MockRouter, make_transport: Any, fake_time: FakeTime
) -> None:
    route = router.get("users/").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"}),
            OK,
        ]
    )
    async with make_transport() as transport:
        await transport.request("GET", "users/", operation="list_users")
    assert route.call_count == 2
    assert fake_time.sleeps == []  # a date in the past: retry at once


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_get_backoff_with_jitter_without_retry_after(
    router: respx.MockRouter, make_transport: Any, fake_time: FakeTime, status: int
) -> None:
    router.get("users/").mock(side_effect=[httpx.Response(status)] * 3 + [OK])
    async with make_transport(random=lambda: 0.5) as transport:
        await transport.request("GET", "users/", operation="list_users")
    assert fake_time.sleeps == [0.25, 0.5, 1.0]


async def test_retries_exhausted_raise_typed_error_with_count(
    router: respx.MockRouter, make_transport: Any
) -> None:
    route = router.get("users/").respond(
        429, json={"detail": "Request was throttled."}, headers={"Retry-After": "1"}
    )
    async with make_transport() as transport:
        with pytest.raises(RateLimitedError) as info:
            await transport.request("GET", "users/", operation="list_users")
    assert route.call_count == 4
    assert info.value.retries == 3
    assert info.value.retry_after == 1.0
    assert str(info.value).endswith("Request was throttled. (after 3 retries)")


async def test_retry_after_over_the_maximum_gives_up_at_once(
    router: respx.MockRouter, make_transport: Any, fake_time: FakeTime
) -> None:
    route = router.get("users/").respond(429, headers={"Retry-After": "3600"})
    async with make_transport() as transport:
        with pytest.raises(RateLimitedError) as info:
            await transport.request("GET", "users/", operation="list_users")
    assert route.call_count == 1
    assert fake_time.sleeps == []
    assert info.value.retry_after == 3600.0


async def test_shared_gate_holds_a_second_request(
    router: respx.MockRouter, make_transport: Any, fake_time: FakeTime
) -> None:
    first = router.get("a/").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "5"}),
            OK,
        ]
    )
    second = router.get("b/").mock(return_value=OK)
    fake_time.hold = anyio.Event()
    async with make_transport() as transport, anyio.create_task_group() as group:
        group.start_soon(lambda: transport.request("GET", "a/", operation="get_a"))
        while fake_time.sleeping < 1:  # "a" got its 429 and waits at the gate
            await anyio.sleep(0)
        group.start_soon(lambda: transport.request("GET", "b/", operation="get_b"))
        while fake_time.sleeping < 2:  # "b" waits at the same gate, before sending
            await anyio.sleep(0)
        assert second.call_count == 0
        assert fake_time.sleeps == [5.0, 5.0]
        fake_time.now = 5.0
        fake_time.hold.set()
    assert first.call_count == 2
    assert second.call_count == 1
    assert transport.stats.gate_waits == 2


async def test_post_not_retried_on_502(
    router: respx.MockRouter, make_transport: Any, fake_time: FakeTime
) -> None:
    route = router.post("marketplace-orders/abc/approve_by_provider/").respond(
        502, text="Bad Gateway"
    )
    async with make_transport() as transport:
        with pytest.raises(OutcomeUnknownError) as info:
            await transport.request(
                "POST",
                "marketplace-orders/abc/approve_by_provider/",
                operation="marketplace_order_approve_by_provider",
                json={},
            )
    assert route.call_count == 1
    assert fake_time.sleeps == []
    error = info.value
    assert isinstance(error.cause, ServerError)
    assert error.cause.status_code == 502
    assert error.__cause__ is error.cause
    assert error.method == "POST"
    assert error.retries == 0
    assert str(error).startswith(
        "marketplace_order_approve_by_provider: POST "
        f"{API}marketplace-orders/abc/approve_by_provider/: outcome unknown"
    )


@pytest.mark.parametrize(
    ("effect", "cause"),
    [
        (httpx.Response(504), ServerError),
        (httpx.Response(503), ServerError),
        (httpx.ReadTimeout("read timed out"), RequestTimeoutError),
        (httpx.RemoteProtocolError("peer closed connection"), TransportError),
        (httpx.ReadError("reset"), TransportError),
        (httpx.WriteError("broken pipe"), TransportError),
    ],
)
async def test_post_outcome_unknown_after_it_may_have_been_sent(
    router: respx.MockRouter, make_transport: Any, effect: Any, cause: type[Exception]
) -> None:
    route = router.post("orders/").mock(side_effect=[effect, OK])
    async with make_transport() as transport:
        with pytest.raises(OutcomeUnknownError) as info:
            await transport.request("POST", "orders/", operation="create_order", json={})
    assert route.call_count == 1
    assert type(info.value.cause) is cause


@pytest.mark.parametrize(
    "effect",
    [
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.PoolTimeout("no connection"),
        httpx.Response(429, headers={"Retry-After": "1"}),
        httpx.Response(429),
        httpx.Response(503, headers={"Retry-After": "1"}),
    ],
)
async def test_post_retried_when_it_certainly_did_not_take_effect(
    router: respx.MockRouter, make_transport: Any, effect: Any
) -> None:
    route = router.post("orders/").mock(side_effect=[effect, OK])
    async with make_transport() as transport:
        resp = await transport.request("POST", "orders/", operation="create_order", json={})
    assert resp.data == {"ok": True}
    assert route.call_count == 2
    assert route.calls[0].request.content == route.calls[1].request.content == b"{}"


async def test_post_marked_idempotent_retries_on_502(
    router: respx.MockRouter, make_transport: Any
) -> None:
    route = router.post("usages/").mock(side_effect=[httpx.Response(502), OK])
    async with make_transport() as transport:
        await transport.request("POST", "usages/", operation="set_usage", json={}, idempotent=True)
    assert route.call_count == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 500])
async def test_no_retry_of_definite_answers(
    router: respx.MockRouter, make_transport: Any, status: int
) -> None:
    route = router.get("x/").respond(status, json={"detail": "no"})
    async with make_transport() as transport:
        with pytest.raises(Exception) as info:  # noqa: PT011 - the class is checked elsewhere
            await transport.request("GET", "x/", operation="op")
    assert route.call_count == 1
    assert getattr(info.value, "status_code", None) == status


async def test_get_transport_errors_retried_then_typed(
    router: respx.MockRouter, make_transport: Any
) -> None:
    route = router.get("x/").mock(side_effect=httpx.ReadTimeout("slow"))
    async with make_transport(retry=RetryPolicy(max_attempts=3)) as transport:
        with pytest.raises(RequestTimeoutError) as info:
            await transport.request("GET", "x/", operation="op")
    assert route.call_count == 3
    assert info.value.retries == 2
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert "timed out (ReadTimeout: slow)" in str(info.value)


async def test_connect_error_of_get_is_transport_error(
    router: respx.MockRouter, make_transport: Any
) -> None:
    router.get("x/").mock(side_effect=httpx.ConnectError("refused"))
    async with make_transport(retry=RetryPolicy.none()) as transport:
        with pytest.raises(TransportError, match="could not connect") as info:
            await transport.request("GET", "x/", operation="op")
    assert not isinstance(info.value, RequestTimeoutError)


async def test_time_budget_respected(
    router: respx.MockRouter, make_transport: Any, fake_time: FakeTime
) -> None:
    route = router.get("x/").respond(503, headers={"Retry-After": "30"})
    policy = RetryPolicy(max_attempts=10, total_budget=70.0)
    async with make_transport(retry=policy) as transport:
        with pytest.raises(ServerError) as info:
            await transport.request("GET", "x/", operation="op")
    assert fake_time.sleeps == [30.0, 30.0]  # a third wait would end at 90 s > 70 s
    assert route.call_count == 3
    assert info.value.retries == 2
    assert fake_time.now <= 70.0


async def test_on_retry_hook_and_info_log(
    router: respx.MockRouter, make_transport: Any, caplog: pytest.LogCaptureFixture
) -> None:
    router.get("x/").mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": "4"}),
            httpx.ConnectError("refused"),
            OK,
        ]
    )
    events: list[RetryEvent] = []
    caplog.set_level(logging.INFO, logger="puhuri_async")
    async with make_transport(on_retry=events.append, random=lambda: 0.0) as transport:
        await transport.request("GET", "x/", operation="get_x")
    assert [(e.retry, e.max_retries, e.wait, e.status_code) for e in events] == [
        (1, 3, 4.0, 503),
        (2, 3, 0.0, None),
    ]
    assert events[0].operation == "get_x"
    assert events[0].url == f"{API}x/"
    assert "could not connect" in events[1].reason
    lines = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.INFO and r.name == "puhuri_async"
    ]
    assert lines == [
        "get_x: retry 1/3 after 4.00 s: status 503 (Retry-After 4 s)",
        "get_x: retry 2/3 after 0.00 s: could not connect (ConnectError: refused)",
    ]


async def test_limiter_not_held_while_waiting(make_transport: Any, fake_time: FakeTime) -> None:
    """A request sleeping before its retry leaves its slot to others."""
    calls = {"slow": 0}
    fake_time.hold = anyio.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/slow/"):
            calls["slow"] += 1
            return httpx.Response(502) if calls["slow"] == 1 else OK
        return OK

    t = make_transport(max_concurrency=1, transport=httpx.MockTransport(handler))
    async with t, anyio.create_task_group() as group:
        group.start_soon(lambda: t.request("GET", "slow/", operation="op"))
        while fake_time.sleeping < 1:
            await anyio.sleep(0)
        resp = await t.request("GET", "fast/", operation="op")  # the one slot is free
        assert resp.status_code == 200
        fake_time.hold.set()
    assert calls["slow"] == 2
