"""The transport with respx: headers, arguments, life cycle, error mapping, decoding, origin."""

from __future__ import annotations

import json
import logging
import ssl
from typing import Any

import anyio
import httpx
import pytest
import respx

from puhuri_async import (
    APIError,
    AuthenticationError,
    ClientClosedError,
    ConflictError,
    CrossOriginError,
    DecodeError,
    InsecureTLSWarning,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    Timeout,
    ValidationError,
    __version__,
)
from puhuri_async._http import Transport

from ._fakes import API, TOKEN

pytestmark = pytest.mark.anyio


async def test_auth_accept_and_user_agent_headers(
    router: respx.MockRouter, make_transport: Any
) -> None:
    route = router.get("users/").respond(200, json=[])
    async with make_transport(user_agent="sp-sync/2.1") as transport:
        await transport.request("GET", "users/", operation="list_users")
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Token {TOKEN}"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"] == f"puhuri-async/{__version__} sp-sync/2.1"


async def test_bearer_prefix_and_default_user_agent(
    router: respx.MockRouter, make_transport: Any
) -> None:
    route = router.get("users/").respond(200, json=[])
    async with make_transport(token_prefix="Bearer", token=f"  {TOKEN}\n") as transport:
        await transport.request("GET", "users/", operation="list_users")
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["User-Agent"] == f"puhuri-async/{__version__}"


async def test_params_json_body_and_response(router: respx.MockRouter, make_transport: Any) -> None:
    route = router.post("marketplace-orders/abc/approve_by_provider/").respond(
        200, json={"ok": True}, headers={"X-Result-Count": "7", "X-Thing": "a"}
    )
    async with make_transport() as transport:
        resp = await transport.request(
            "post",
            "/marketplace-orders/abc/approve_by_provider",
            operation="approve",
            params=[("field", "uuid"), ("field", "state")],
            json={"note": "é"},
        )
    request = route.calls.last.request
    assert request.url.query == b"field=uuid&field=state"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"note": "é"}
    assert resp.status_code == 200
    assert resp.data == {"ok": True}
    assert resp.result_count == 7
    assert resp.headers["x-thing"] == "a"
    assert resp.headers["X-THING"] == "a"
    assert resp.url == f"{API}marketplace-orders/abc/approve_by_provider/?field=uuid&field=state"


@pytest.mark.parametrize("status", [200, 201, 202, 204])
async def test_any_2xx_is_success_and_empty_body_is_none(
    router: respx.MockRouter, make_transport: Any, status: int
) -> None:
    router.post("x/").respond(status)
    async with make_transport() as transport:
        resp = await transport.request("POST", "x/", operation="op", json={})
    assert resp.status_code == status
    assert resp.data is None
    assert resp.content == b""


async def test_head_gives_count_without_body(router: respx.MockRouter, make_transport: Any) -> None:
    router.head("users/").respond(200, headers={"X-Result-Count": "1234"})
    async with make_transport() as transport:
        resp = await transport.request("HEAD", "users/", operation="count_users")
    assert resp.result_count == 1234
    assert resp.data is None


async def test_expect_json_false_keeps_raw_content(
    router: respx.MockRouter, make_transport: Any
) -> None:
    router.get("report/").respond(200, content=b"<p>raw</p>", headers={"Content-Type": "text/html"})
    async with make_transport() as transport:
        resp = await transport.request("GET", "report/", operation="op", expect_json=False)
    assert resp.data is None
    assert resp.content == b"<p>raw</p>"


ERRORS = [
    (400, {"name": ["This field is required."]}, ValidationError, "name: This field is required."),
    (400, {"non_field_errors": ["Limits are too high."]}, ValidationError, "Limits are too high."),
    (401, {"detail": "Invalid token."}, AuthenticationError, "Invalid token."),
    (
        403,
        {"detail": "You do not have permission to perform this action."},
        PermissionDeniedError,
        "You do not have permission",
    ),
    (404, {"detail": "Not found."}, NotFoundError, "Not found."),
    (
        409,
        {"detail": "Order is not in pending-provider state"},
        ConflictError,
        "Order is not in pending-provider state",
    ),
    (409, ["Resource is not in OK state."], ConflictError, "Resource is not in OK state."),
    (429, {"detail": "Request was throttled."}, RateLimitedError, "throttled"),
    (500, "Internal Server Error", ServerError, "Internal Server Error"),
    (502, "<html><body>Bad gateway</body></html>", ServerError, "an HTML page"),
    (405, {"detail": 'Method "PUT" not allowed.'}, APIError, "not allowed"),
]


@pytest.mark.parametrize(("status", "body", "cls", "text"), ERRORS)
async def test_each_status_raises_its_error(
    router: respx.MockRouter,
    make_transport: Any,
    status: int,
    body: Any,
    cls: type[APIError],
    text: str,
) -> None:
    if isinstance(body, str):
        router.post("marketplace-orders/abc/approve_by_provider/").respond(status, text=body)
    else:
        router.post("marketplace-orders/abc/approve_by_provider/").respond(status, json=body)
    async with make_transport(retry=RetryPolicy.none()) as transport:
        with pytest.raises(APIError) as info:
            await transport.request(
                "POST",
                "marketplace-orders/abc/approve_by_provider/",
                operation="marketplace_order_approve_by_provider",
                json={},
                idempotent=status in (429, 500, 502),  # a definite answer, not "outcome unknown"
            )
    error = info.value
    assert type(error) is cls
    assert error.status_code == status
    assert error.method == "POST"
    assert error.url == f"{API}marketplace-orders/abc/approve_by_provider/"
    assert error.operation == "marketplace_order_approve_by_provider"
    assert error.body == body
    assert text in error.detail
    assert str(error).startswith(
        f"marketplace_order_approve_by_provider: POST {API}marketplace-orders/abc/"
        f"approve_by_provider/ → {status}"
    )
    assert TOKEN not in str(error)
    assert TOKEN not in repr(error)


async def test_decode_error_on_html_200(router: respx.MockRouter, make_transport: Any) -> None:
    router.get("users/").respond(
        200,
        text="<!DOCTYPE html><html><body>Maintenance</body></html>",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    async with make_transport() as transport:
        with pytest.raises(DecodeError) as info:
            await transport.request("GET", "users/", operation="list_users")
    assert "HTML page" in str(info.value)
    assert str(info.value).startswith(f"list_users: GET {API}users/")
    assert info.value.status_code == 200
    assert "Maintenance" in (info.value.excerpt or "")


@pytest.mark.parametrize("body", [b'[{"uuid": "abc", "name": "x"}, {"uu', b"not json", b"\xff\xfe"])
async def test_decode_error_on_truncated_or_bad_json(
    router: respx.MockRouter, make_transport: Any, body: bytes
) -> None:
    router.get("users/").respond(200, content=body, headers={"Content-Type": "application/json"})
    async with make_transport() as transport:
        with pytest.raises(DecodeError, match="not valid JSON"):
            await transport.request("GET", "users/", operation="list_users")


async def test_same_origin_redirect_followed_for_get(
    router: respx.MockRouter, make_transport: Any
) -> None:
    router.get("users").respond(301, headers={"Location": "/api/users/"})
    target = router.get("users/").respond(200, json=[1])
    async with make_transport() as transport:
        resp = await transport.request("GET", f"{API}users", operation="list_users", timeout=3)
    assert resp.data == [1]
    assert target.calls.last.request.extensions["timeout"] == dict.fromkeys(
        ("connect", "read", "write", "pool"), 3
    )
    assert target.calls.last.request.headers["Authorization"] == f"Token {TOKEN}"
    assert transport.stats.requests == 2


@pytest.mark.parametrize(
    "location",
    [
        "https://evil.test/api/users/",
        "http://puhuri.test/api/users/",  # https → http downgrade
        "https://puhuri.test:8443/api/users/",
        "//evil.test/api/users/",
    ],
)
async def test_cross_origin_redirect_refused(
    router: respx.MockRouter, make_transport: Any, location: str
) -> None:
    router.get("users/").respond(302, headers={"Location": location})
    elsewhere = respx.route(url__startswith="http").respond(200, json=[])
    async with make_transport() as transport:
        with pytest.raises(CrossOriginError) as info:
            await transport.request("GET", "users/", operation="list_users")
    assert "redirect" in str(info.value)
    assert "https://puhuri.test" in str(info.value)
    assert info.value.method == "GET"
    assert elsewhere.call_count == 0 or all(
        "Authorization" not in c.request.headers for c in elsewhere.calls
    )


async def test_redirect_of_post_not_followed(router: respx.MockRouter, make_transport: Any) -> None:
    router.post("x/").respond(307, headers={"Location": "/api/y/"})
    async with make_transport() as transport:
        with pytest.raises(APIError) as info:
            await transport.request("POST", "x/", operation="op", json={})
    assert info.value.status_code == 307
    assert "not followed" in str(info.value)


async def test_redirect_loop_is_bounded(router: respx.MockRouter, make_transport: Any) -> None:
    route = router.get("a/").respond(302, headers={"Location": "/api/a/"})
    async with make_transport(max_redirects=3) as transport:
        with pytest.raises(APIError, match="not followed"):
            await transport.request("GET", "a/", operation="op")
    assert route.call_count == 4


async def test_absolute_url_must_be_on_the_origin(
    router: respx.MockRouter, make_transport: Any
) -> None:
    async with make_transport() as transport:
        with pytest.raises(CrossOriginError):
            await transport.request("GET", "https://evil.test/api/users/", operation="op")
        with pytest.raises(CrossOriginError):
            await transport.request("GET", "http://puhuri.test/api/users/", operation="op")
    assert transport.stats.requests == 0


async def test_token_never_sent_to_another_origin_even_below_the_transport() -> None:
    """The auth is pinned: even a request built for another origin carries no token."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    transport = Transport(API, TOKEN, transport=httpx.MockTransport(handler))
    client, _ = transport._ensure_open()
    await client.get("https://evil.test/api/users/")
    await client.get(f"{API}users/")
    await transport.aclose()
    assert "Authorization" not in seen[0].headers
    assert seen[1].headers["Authorization"] == f"Token {TOKEN}"


async def test_lifecycle_and_closed_client(router: respx.MockRouter, make_transport: Any) -> None:
    router.get("users/").respond(200, json=[])
    transport = make_transport()
    assert transport._client is None  # created lazily
    await transport.request("GET", "users/", operation="list_users")
    assert transport._client is not None
    await transport.aclose()
    await transport.aclose()  # idempotent
    assert transport.closed
    with pytest.raises(ClientClosedError, match="closed"):
        await transport.request("GET", "users/", operation="list_users")
    with pytest.raises(ClientClosedError):
        async with transport:
            pass


async def test_concurrency_limiter_bounds_in_flight(make_transport: Any) -> None:
    in_flight = 0
    most = 0
    full = anyio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        if in_flight == 4:
            full.set()
        with anyio.fail_after(10):
            await full.wait()  # the first four wait for each other: no timing involved
        await anyio.sleep(0)
        in_flight -= 1
        return httpx.Response(200, json={})

    t = make_transport(max_concurrency=4, transport=httpx.MockTransport(handler))
    async with t, anyio.create_task_group() as group:
        for n in range(40):
            group.start_soon(lambda n=n: t.request("GET", f"x/{n}/", operation="op"))
    assert most == 4
    assert t.stats.max_in_flight == 4
    assert t.stats.requests == 40


def test_repr_shows_base_url_not_token() -> None:
    transport = Transport("https://puhuri.test", TOKEN)
    assert repr(transport) == "<Transport https://puhuri.test/api/ (open)>"
    assert transport.base_url == API
    assert transport.url("users") == f"{API}users/"
    assert TOKEN not in repr(transport._auth)
    assert TOKEN not in repr(vars(transport).get("_client"))


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"token": ""}, "token"),
        ({"token": "   "}, "token"),
        ({"token": "abc def"}, "token"),
        ({"token": "abc\r\nX-Evil: 1"}, "token"),
        ({"token": 123}, "token"),
        ({"token_prefix": "JWT"}, "token_prefix"),
        ({"api_url": "ftp://h"}, "api_url"),
        ({"max_concurrency": 0}, "max_concurrency"),
        ({"max_concurrency": True}, "max_concurrency"),
        ({"timeout": "5"}, "timeout"),
        ({"retry": 3}, "retry"),
        ({"user_agent": "bad\nagent"}, "user_agent"),
        ({"user_agent": ""}, "user_agent"),
        ({"verify": "/nonexistent/ca.pem"}, "verify"),
        ({"verify": 1.5}, "verify"),
        ({"transport": object()}, "transport"),
        ({"on_retry": 5}, "on_retry"),
        ({"max_redirects": -1}, "max_redirects"),
    ],
)
def test_arguments_checked_at_construction(kwargs: dict[str, Any], argument: str) -> None:
    kwargs = {"api_url": API, "token": TOKEN, **kwargs}
    with pytest.raises(InvalidArgumentError) as info:
        Transport(kwargs.pop("api_url"), kwargs.pop("token"), **kwargs)
    assert info.value.argument == argument
    assert TOKEN not in str(info.value)


def test_timeout_values() -> None:
    with pytest.raises(InvalidArgumentError) as info:
        Timeout(read=0)
    assert info.value.argument == "timeout.read"
    assert Timeout.of(2.5) == Timeout(2.5, 2.5, 2.5, 2.5, total=2.5)  # and the deadline
    assert Timeout(connect=None).connect is None


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        (("GET", "users/?page=2"), "path"),
        (("BREW", "users/"), "method"),
        (("GET", "../x/"), "path"),
    ],
)
async def test_request_arguments_checked_before_io(
    router: respx.MockRouter, make_transport: Any, args: tuple[str, str], argument: str
) -> None:
    async with make_transport() as transport:
        with pytest.raises(InvalidArgumentError) as info:
            await transport.request(*args, operation="op")
        assert info.value.argument == argument
        with pytest.raises(InvalidArgumentError) as info:
            await transport.request("GET", "users/", operation="")
        assert info.value.argument == "operation"
        with pytest.raises(InvalidArgumentError) as info:
            await transport.request("POST", "x/", operation="op", json={"a": object()})
        assert info.value.argument == "json"
        with pytest.raises(InvalidArgumentError) as info:
            await transport.request("GET", "x/", operation="op", timeout=-1)
        assert info.value.argument == "timeout.connect"
    assert transport.stats.requests == 0


def test_verify_false_warns_and_context_accepted() -> None:
    with pytest.warns(InsecureTLSWarning, match="puhuri.test"):
        Transport(API, TOKEN, verify=False)
    Transport(API, TOKEN, verify=ssl.create_default_context())


async def test_per_call_timeout_reaches_httpx(make_transport: Any) -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json={})

    async with make_transport(
        timeout=Timeout(connect=1, read=2, write=3, pool=4), transport=httpx.MockTransport(handler)
    ) as transport:
        await transport.request("GET", "x/", operation="op")
        await transport.request("GET", "x/", operation="op", timeout=9)
    assert seen[0] == {"connect": 1, "read": 2, "write": 3, "pool": 4}
    assert seen[1] == {"connect": 9, "read": 9, "write": 9, "pool": 9}


async def test_token_absent_from_logs_reprs_and_errors(
    router: respx.MockRouter, make_transport: Any, caplog: pytest.LogCaptureFixture
) -> None:
    router.get("users/").mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": "1"}),
            httpx.Response(401, json={"detail": "Invalid token."}),
        ]
    )
    router.post("orders/").mock(side_effect=httpx.ConnectError("refused"))
    caplog.set_level(logging.DEBUG)
    for name in ("puhuri_async", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    texts: list[str] = []
    async with make_transport() as transport:
        texts.append(repr(transport))
        for call in (
            transport.request("GET", "users/", operation="list_users"),
            transport.request("POST", "orders/", operation="create_order", json={}),
        ):
            try:
                await call
            except Exception as exc:
                texts.extend([str(exc), repr(exc), repr(exc.__cause__), repr(vars(exc))])
    texts.extend(r.getMessage() for r in caplog.records)
    texts.extend(repr(r.args) for r in caplog.records)
    assert any("retry 1/3" in t for t in texts)
    assert len(caplog.records) > 3
    for text in texts:
        assert TOKEN not in text


async def test_params_merge_with_the_query_of_an_absolute_url(
    router: respx.MockRouter, make_transport: Any
) -> None:
    route = router.get("users/").respond(200, json=[])
    async with make_transport() as transport:
        await transport.request(
            "GET", f"{API}users/?name=next&page=2", operation="op", params={"field": ["uuid"]}
        )
    assert route.calls.last.request.url.query == b"name=next&page=2&field=uuid"
