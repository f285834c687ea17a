"""A hostile or broken server cannot exhaust, hang, flood or fool the client (paging aside: see
``test_hostile_paging``).

Each class of attack is played by a raw-socket server on 127.0.0.1 (``_hostile``): bodies that
never end or inflate to gigabytes, bytes that trickle in, answers that never come, error bodies
nested a thousand levels deep, servers that echo the token back, integers beyond 64 bits and
more. Each test is bounded in time (the servers stop on their own, and a guard scope ends any
wait) and in memory (the bodies are bounded on the server's side too), so a client that fails
it fails quickly.
"""

from __future__ import annotations

import logging
import tracemalloc
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from puhuri_async import (
    APIError,
    ClientClosedError,
    CrossOriginError,
    DecodeError,
    OutcomeUnknownError,
    PuhuriClient,
    RateLimitedError,
    RequestTimeoutError,
    ResponseLimits,
    ResponseTooLargeError,
    RetryPolicy,
    ServerError,
    SyncPuhuriClient,
    Timeout,
    TransportError,
    ValidationError,
    _json,
)
from puhuri_async._config import DEFAULT_MAX_BODY_SIZE
from puhuri_async._http import Transport

from ._hostile import Conn, MiB, RawServer, Request, chunked, gzip_bomb, serve_each
from ._support import TOKEN

pytestmark = pytest.mark.anyio

UUID = "a" * 32
OFFERING = f"marketplace-provider-offerings/{UUID}/"
GUARD = 30  # seconds: no test here may wait longer than this for the client

NONE = RetryPolicy.none()


@pytest.fixture(params=["msgspec", "orjson", "json"])
def json_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every JSON back end: msgspec and orjson (installed by the test extra) and the standard
    library."""
    monkeypatch.setattr(_json, "loads", _json._LOADERS[request.param])
    return str(request.param)


# -- memory ---------------------------------------------------------------------------------------


def endless_chunked_200(sent: list[int]) -> Any:
    """A 200 whose chunked body never ends (it gives up after 256 MiB, or when the client
    hangs up); ``sent`` counts the bytes that left."""

    def handler(conn: Conn) -> None:
        if conn.request() is None:
            return
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        conn.send(b"Transfer-Encoding: chunked\r\n\r\n")
        piece = b"[" + b"0," * 32767

        def pieces() -> Iterator[bytes]:
            while sum(sent) < 256 * MiB:
                yield piece

        for frame in chunked(pieces()):
            if not conn.send(frame):
                return
            sent.append(len(frame))

    return handler


async def test_an_endless_body_stops_at_the_default_limit() -> None:
    sent: list[int] = []
    with RawServer(endless_chunked_200(sent)) as server:
        async with PuhuriClient(server.url, TOKEN, retry=NONE) as client:
            with anyio.fail_after(GUARD), pytest.raises(ResponseTooLargeError) as info:
                await client.get_marketplace_offering(UUID)
    error = info.value
    assert error.limit == DEFAULT_MAX_BODY_SIZE == 32 * MiB
    assert "ResponseLimits.max_body_size" in str(error)
    assert error.operation == "get_marketplace_offering"
    # The client hung up at the limit: the server could send little more than that.
    assert sum(sent) < DEFAULT_MAX_BODY_SIZE + 16 * MiB


def bomb(status: str, size: int) -> Any:
    body = gzip_bomb(size)
    return serve_each(
        lambda conn, request: conn.respond(status, body, [("Content-Encoding", "gzip")])
    )


async def test_a_gzip_bomb_is_stopped_at_the_limit_of_its_inflated_size() -> None:
    """64 KiB of gzip that inflates to 64 MiB, against a limit of 1 MiB: refused, and the
    memory the client used stays near the limit (the old client inflated it all)."""
    with RawServer(bomb("200 OK", 64 * MiB)) as server:
        transport = Transport(
            server.url, TOKEN, retry=NONE, response_limits=ResponseLimits(max_body_size=MiB)
        )
        async with transport:
            tracemalloc.start()
            try:
                with anyio.fail_after(GUARD), pytest.raises(ResponseTooLargeError) as info:
                    await transport.request("GET", OFFERING, operation="get_offering")
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
    assert info.value.limit == MiB
    assert len(gzip_bomb(64 * MiB)) < MiB  # the limit holds for the inflated size
    assert peak < 16 * MiB, f"{peak / MiB:.1f} MiB used to refuse a 1 MiB limit"


@pytest.mark.parametrize("status", ["500 Internal Server Error", "404 Not Found"])
async def test_a_gzip_bomb_as_an_error_body_is_cut(status: str) -> None:
    """An error body is read up to 64 KiB, inflated or not: the status still says what
    happened (and a 500 is still a ServerError), without inflating the rest."""
    with RawServer(bomb(status, 64 * MiB)) as server:
        async with PuhuriClient(server.url, TOKEN, retry=NONE) as client:
            tracemalloc.start()
            try:
                with anyio.fail_after(GUARD), pytest.raises(APIError) as info:
                    await client.get_marketplace_offering(UUID)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
    error = info.value
    assert error.status_code == int(status.split()[0])
    assert isinstance(error.body, str)
    assert len(error.body) <= 64 * 1024
    assert peak < 16 * MiB


async def test_an_announced_length_past_the_limit_is_not_read() -> None:
    with RawServer(
        serve_each(lambda conn, _: conn.respond("200 OK", b"", [("Content-Length", str(2**40))]))
    ) as server:
        async with PuhuriClient(server.url, TOKEN, retry=NONE) as client:
            with (
                anyio.fail_after(GUARD),
                pytest.raises(ResponseTooLargeError, match="1099511627776"),
            ):
                await client.get_marketplace_offering(UUID)


# -- deadlines ------------------------------------------------------------------------------------


def trickling_headers(conn: Conn) -> None:
    """Headers a byte every 0.2 s: each read comes well within any read timeout."""
    if conn.request() is not None:
        conn.trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"s" * 500 + b"\r\n\r\n{}", 0.2)


def trickling_body(conn: Conn) -> None:
    if conn.request() is not None:
        conn.send(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"
        )
        conn.trickle(b"[" + b"0," * 198 + b"0]", 0.2)


def continue_flood(conn: Conn) -> None:
    """Interim ``100 Continue`` answers for ever (each one is a complete, valid message)."""
    if conn.request() is not None:
        for _ in range(3000):
            if not conn.send(b"HTTP/1.1 100 Continue\r\n\r\n") or conn.stop.wait(0.01):
                return


@pytest.mark.parametrize("handler", [trickling_headers, trickling_body, continue_flood])
async def test_a_trickling_server_meets_the_deadline(handler: Any) -> None:
    """``timeout=1``: whatever the server sends, however slowly, the call ends by then with a
    ``RequestTimeoutError`` (per-read timeouts alone would wait for ever)."""
    with RawServer(handler) as server:
        async with PuhuriClient(server.url, TOKEN, timeout=1) as client:
            with anyio.fail_after(GUARD), pytest.raises(RequestTimeoutError, match="deadline"):
                await client.get_marketplace_offering(UUID)


def test_the_sync_client_meets_the_deadline_too() -> None:
    with (
        RawServer(trickling_body) as server,
        SyncPuhuriClient(server.url, TOKEN, timeout=1) as client,
        pytest.raises(RequestTimeoutError, match=r"deadline of 1 s \(timeout.total\)"),
    ):
        client.get_marketplace_offering(UUID)


async def test_a_retry_after_past_the_deadline_is_not_waited_for() -> None:
    """``Retry-After: 30`` with a deadline of 5 s: giving up at once beats sleeping into it."""
    answer = serve_each(
        lambda conn, _: conn.respond("503 Service Unavailable", b"", [("Retry-After", "30")])
    )
    with RawServer(answer) as server:
        async with PuhuriClient(server.url, TOKEN, timeout=Timeout(total=5)) as client:
            with anyio.fail_after(GUARD), pytest.raises(ServerError) as info:
                await client.get_marketplace_offering(UUID)
    assert info.value.retries == 0
    assert len(server.requests) == 1


async def test_backoff_waits_count_against_the_deadline() -> None:
    answer = serve_each(lambda conn, _: conn.respond("502 Bad Gateway"))
    policy = RetryPolicy(max_attempts=10_000, backoff_base=0.1, backoff_max=0.1, total_budget=None)
    with RawServer(answer) as server:
        async with PuhuriClient(server.url, TOKEN, retry=policy, timeout=1) as client:
            with anyio.fail_after(GUARD), pytest.raises((ServerError, RequestTimeoutError)):
                await client.get_marketplace_offering(UUID)
    assert 1 < len(server.requests) < 10_000


def slow_reader(conn: Conn) -> None:
    """Reads the request a byte every 0.05 s (a full receive buffer stalls the sender)."""
    for _ in range(600):
        if not conn.read_some() or conn.stop.wait(0.05):
            return


async def test_a_server_that_reads_slowly_meets_the_deadline() -> None:
    """Slowloris the other way round: a 16 MiB POST the server takes a byte at a time. Each
    write makes progress within the write timeout; the deadline ends it, and the outcome of a
    POST cut off on the way is unknown."""
    with RawServer(slow_reader, rcvbuf=4096) as server:
        transport = Transport(server.url, TOKEN, retry=NONE, timeout=Timeout(write=10, total=1))
        async with transport:
            with anyio.fail_after(GUARD), pytest.raises(OutcomeUnknownError) as info:
                await transport.request(
                    "POST", "reports/", operation="submit", json={"blob": "x" * (16 * MiB)}
                )
    assert isinstance(info.value.cause, RequestTimeoutError)
    assert "deadline" in str(info.value)


# -- typed errors only ----------------------------------------------------------------------------


async def test_a_thousand_levels_deep_error_body(json_backend: str) -> None:
    deep = b"[" * 1000 + b"]" * 1000
    with RawServer(serve_each(lambda conn, _: conn.respond("400 Bad Request", deep))) as server:
        async with PuhuriClient(server.url, TOKEN, retry=NONE) as client:
            with pytest.raises(ValidationError) as info:
                await client.get_marketplace_offering(UUID)
    assert info.value.status_code == 400
    str(info.value), repr(info.value)  # neither recurses


# Deep enough for every supported Python: 3.11 stops at its recursion limit (about 1,000 levels),
# 3.12 at about 1,500, 3.13 between 5,000 and 10,000 (its C stack guard); orjson at 1,024;
# msgspec where the interpreter stops it.
TOO_DEEP = 100_000


async def test_a_thousand_levels_deep_success_body(json_backend: str) -> None:
    deep = b'{"uuid": "' + UUID.encode() + b'", "x": ' + b"[" * TOO_DEEP + b"]" * TOO_DEEP + b"}"
    with RawServer(serve_each(lambda conn, _: conn.respond("200 OK", deep))) as server:
        async with PuhuriClient(server.url, TOKEN, retry=NONE) as client:
            with pytest.raises(DecodeError):
                await client.get_marketplace_offering(UUID)


def never_answers(conn: Conn) -> None:
    if conn.request() is not None:
        conn.stop.wait(GUARD)


async def test_closing_the_client_during_a_request_is_client_closed() -> None:
    with RawServer(never_answers) as server:
        client = PuhuriClient(server.url, TOKEN, retry=NONE)
        errors: list[BaseException] = []

        async def call() -> None:
            try:
                await client.get_marketplace_offering(UUID)
            except Exception as exc:
                errors.append(exc)

        with anyio.fail_after(GUARD):
            async with anyio.create_task_group() as group:
                group.start_soon(call)
                while not server.requests:
                    await anyio.sleep(0.01)
                await client.aclose()
    (error,) = errors
    assert type(error) is ClientClosedError
    assert "closed during the request" in str(error)
    assert error.operation == "get_marketplace_offering"


def test_repr_of_a_transport_whose_constructor_failed() -> None:
    transport = Transport.__new__(Transport)
    with pytest.raises(Exception):  # noqa: B017, PT011 - any failure of the constructor
        transport.__init__("ftp://nowhere", TOKEN)  # type: ignore[misc]
    assert repr(transport) == "<Transport ? (open)>"


async def test_messages_have_one_colon_after_the_operation() -> None:
    with RawServer(serve_each(lambda conn, _: conn.respond("200 OK", b"[1, 2]"))) as server:
        async with PuhuriClient(server.url, TOKEN, retry=NONE) as client:
            with pytest.raises(DecodeError) as info:
                await client.list_users()
    assert str(info.value).startswith("list_users: ")
    assert "::" not in str(info.value)


# -- secrets --------------------------------------------------------------------------------------


def echoing(conn: Conn, request: Request) -> None:
    """Echo the Authorization header back in every way a server or a proxy could."""
    auth = request.headers.get("authorization", "")
    path = request.path
    if path.endswith("/bad/"):
        conn.respond_json("400 Bad Request", {"detail": f"bad header {auth}", auth: [auth]})
    elif path.endswith("/html/"):
        conn.respond("200 OK", f"<html>{auth}</html>".encode(), content_type="text/html")
    elif path.endswith("/away/"):
        conn.respond("302 Found", b"", [("Location", f"https://evil.test/?{auth}")])
    elif path.endswith("/list/"):
        link = f'<https://evil.test/api/list/?page=2&a={auth.split()[-1]}>; rel="next"'
        conn.respond_json("200 OK", [{"uuid": UUID}], [("Link", link), ("X-Result-Count", "2")])
    else:
        conn.respond_json("503 Service Unavailable", {"detail": auth}, [("X-Echo", auth)])


async def test_the_token_is_scrubbed_from_everything_raised_or_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="puhuri_async")
    texts: list[str] = []
    errors: list[BaseException] = []
    policy = RetryPolicy(max_attempts=2, backoff_base=0, backoff_max=0)
    with RawServer(serve_each(echoing)) as server:
        transport = Transport(server.url, TOKEN, retry=policy)
        async with transport:
            for path in ("x/bad/", "x/html/", "x/away/", "x/other/"):
                try:
                    await transport.request("GET", path, operation="op")
                except Exception as exc:
                    errors.append(exc)
            try:
                await transport.paginate("x/list/", operation="op", item=dict).collect()
            except Exception as exc:
                errors.append(exc)
    assert [type(e) for e in errors] == [
        ValidationError,
        DecodeError,
        CrossOriginError,
        ServerError,
        CrossOriginError,
    ]
    assert all(f"Token {TOKEN}" in r.headers.get("authorization", "") for r in server.requests)
    for error in errors:
        cause: BaseException | None = error
        while cause is not None:
            texts += [
                str(cause),
                repr(cause),
                repr(vars(cause)) if hasattr(cause, "__dict__") else "",
            ]
            cause = cause.__cause__ or cause.__context__
    texts += [record.getMessage() for record in caplog.records]
    assert "***" in " ".join(texts)
    for text in texts:
        assert TOKEN not in text


# -- values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number", [2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63) - 1, 10**30, -(10**40)]
)
async def test_integers_beyond_64_bits_stay_exact(json_backend: str, number: int) -> None:
    body = f'{{"uuid": "{UUID}", "big": {number}, "name": "n{number}"}}'.encode()
    with RawServer(serve_each(lambda conn, _: conn.respond("200 OK", body))) as server:
        async with PuhuriClient(server.url, TOKEN, retry=NONE) as client:
            offering = await client.get_marketplace_offering(UUID)
    assert offering.to_dict()["big"] == number
    assert type(offering.to_dict()["big"]) is int


# -- more than the issue named --------------------------------------------------------------------


async def test_a_huge_header_is_a_transport_error() -> None:
    def huge(conn: Conn) -> None:
        if conn.request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\nX-Huge: " + b"h" * (4 * MiB) + b"\r\n\r\n")

    with RawServer(huge) as server:
        async with PuhuriClient(server.url, TOKEN, retry=NONE) as client:
            with anyio.fail_after(GUARD), pytest.raises(TransportError):
                await client.get_marketplace_offering(UUID)


async def test_endless_redirects_are_bounded() -> None:
    answer = serve_each(
        lambda conn, request: conn.respond("302 Found", b"", [("Location", request.path + "a/")])
    )
    with RawServer(answer) as server:
        async with PuhuriClient(server.url, TOKEN, retry=NONE) as client:
            with anyio.fail_after(GUARD), pytest.raises(APIError, match="not followed"):
                await client.get_marketplace_offering(UUID)
    assert len(server.requests) == 1 + 5  # max_redirects


async def test_a_retry_after_of_years_gives_up_at_once() -> None:
    answer = serve_each(
        lambda conn, _: conn.respond("429 Too Many Requests", b"", [("Retry-After", "9" * 400)])
    )
    with RawServer(answer) as server:
        async with PuhuriClient(server.url, TOKEN) as client:
            with anyio.fail_after(GUARD), pytest.raises(RateLimitedError) as info:
                await client.get_marketplace_offering(UUID)
    assert info.value.retries == 0
    assert len(server.requests) == 1


async def test_invalid_utf8_is_a_decode_error_and_an_error_body_reads_anyway() -> None:
    def answer(conn: Conn, request: Request) -> None:
        body = b'{"detail": "caf\xe9 \xff"}'
        conn.respond("200 OK" if request.path.endswith("ok/") else "409 Conflict", body)

    with RawServer(serve_each(answer)) as server:
        transport = Transport(server.url, TOKEN, retry=NONE)
        async with transport:
            with pytest.raises(DecodeError, match="not valid JSON"):
                await transport.request("GET", "ok/", operation="op")
            with pytest.raises(APIError) as info:
                await transport.request("GET", "conflict/", operation="op")
    assert info.value.status_code == 409
    assert "caf" in str(info.value)


async def test_an_encoding_that_was_not_asked_for_is_a_decode_error() -> None:
    answer = serve_each(
        lambda conn, _: conn.respond("200 OK", b"\x8b\x00garbage", [("Content-Encoding", "br")])
    )
    with RawServer(answer) as server:
        async with PuhuriClient(server.url, TOKEN, retry=NONE) as client:
            with pytest.raises(DecodeError, match="Content-Encoding 'br'"):
                await client.get_marketplace_offering(UUID)
    assert server.requests[0].headers["accept-encoding"] == "gzip, deflate"


async def test_cookies_are_neither_kept_nor_sent() -> None:
    """A server setting a new cookie on every answer: the jar would grow without end, and the
    cookies would go back with every request. The token is the only credential."""
    answer = serve_each(
        lambda conn, request: conn.respond(
            "200 OK", b"{}", [("Set-Cookie", f"c{len(server.requests)}=v; Path=/")]
        )
    )
    with RawServer(answer) as server:
        transport = Transport(server.url, TOKEN, retry=NONE)
        async with transport:
            for _ in range(20):
                await transport.request("GET", OFFERING, operation="get_offering")
            jar = transport._client.cookies if transport._client else None
            assert jar is not None
            assert len(jar) == 0
    assert all("cookie" not in request.headers for request in server.requests)
