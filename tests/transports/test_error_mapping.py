"""The aiohttp transport's errors against raw-socket servers on 127.0.0.1.

Each failure is produced for real (a refused port, a full accept queue, a connection dropped
or reset before or after the request was read, a body cut short, headers held back) and sent
through both the aiohttp transport and httpx's own: the two must agree on what matters to a
retry (was the request possibly sent? was it a timeout?), and only failures before any byte
left may be one of the "not sent" classes the request loop repeats even for a POST.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import httpx
import pytest
import trustme

from puhuri_async._transports._aiohttp import AiohttpTransport

from ._raw import RawServer, answer, reset, serving

NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
MAY_HAVE_BEEN_SENT = (
    httpx.ReadError,
    httpx.RemoteProtocolError,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
)

Transports = Callable[[], httpx.AsyncBaseTransport]

TRANSPORTS: dict[str, Transports] = {
    "aiohttp": lambda: AiohttpTransport(),
    "httpx": lambda: httpx.AsyncHTTPTransport(),
}


async def failure(
    url: str,
    transport: httpx.AsyncBaseTransport,
    *,
    method: str = "GET",
    timeout: httpx.Timeout | None = None,
) -> httpx.HTTPError:
    """The httpx error a request to ``url`` ends in (the test fails if it succeeds)."""
    async with httpx.AsyncClient(
        transport=transport, timeout=timeout or httpx.Timeout(5.0)
    ) as client:
        content = b'{"a": 1}' if method == "POST" else None
        with pytest.raises(httpx.HTTPError) as raised:
            await client.request(method, url + "users/", content=content)
    return raised.value


def kind(exc: httpx.HTTPError) -> str:
    """What the request loop makes of an error: not sent, timed out after sending, broken."""
    if isinstance(exc, NOT_SENT):
        return "not sent"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    assert isinstance(exc, MAY_HAVE_BEEN_SENT), repr(exc)
    return "broken"


async def both(url: str, **kwargs: object) -> dict[str, httpx.HTTPError]:
    return {name: await failure(url, make(), **kwargs) for name, make in TRANSPORTS.items()}  # type: ignore[arg-type]


def drop_unread(conn: socket.socket, server: RawServer) -> None:
    conn.close()


def drop_after_request(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    conn.close()


def reset_unread(conn: socket.socket, server: RawServer) -> None:
    reset(conn)


def reset_after_request(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    reset(conn)


def partial_body(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b'{"id": "12')
    conn.close()


def partial_headers(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Le")
    conn.close()


def garbage(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    conn.sendall(b"NOT HTTP AT ALL\r\n\r\n")
    conn.close()


def slow_headers(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    server.release.wait(10)


def slow_body(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{")
    server.release.wait(10)


BROKEN = frozenset({"broken"})
AFTER_CONNECT = {
    "dropped before the request was read": (drop_unread, BROKEN),
    "dropped after the request was read": (drop_after_request, BROKEN),
    # A reset right after the accept may reach the client while its connect is still being
    # completed: then nothing was written and "not sent" is the truth (both stacks say so).
    "reset before the request was read": (reset_unread, frozenset({"broken", "not sent"})),
    "reset after the request was read": (reset_after_request, BROKEN),
    "body cut short": (partial_body, BROKEN),
    "headers cut short": (partial_headers, BROKEN),
    "not HTTP": (garbage, BROKEN),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("case", list(AFTER_CONNECT))
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_failure_after_connecting_is_never_not_sent(case: str, method: str) -> None:
    behaviour, expected = AFTER_CONNECT[case]
    with serving(behaviour) as server:
        errors = await both(server.url, method=method)
    for error in errors.values():
        assert kind(error) in expected, errors
    if expected == BROKEN:
        assert kind(errors["aiohttp"]) == kind(errors["httpx"]), errors
    assert isinstance(errors["aiohttp"].__cause__, Exception)  # aiohttp's own error, chained


@pytest.mark.asyncio
@pytest.mark.parametrize("behaviour", [slow_headers, slow_body], ids=["headers", "body"])
async def test_a_server_that_holds_back_is_a_read_timeout(
    behaviour: Callable[[socket.socket, RawServer], None],
) -> None:
    timeout = httpx.Timeout(5.0, read=0.2)
    with serving(behaviour) as server:
        errors = await both(server.url, method="POST", timeout=timeout)
    for error in errors.values():
        assert isinstance(error, httpx.ReadTimeout), errors


@pytest.mark.asyncio
async def test_a_refused_connection_is_a_connect_error() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on the port now
    errors = await both(f"http://127.0.0.1:{port}/api/", method="POST")
    for error in errors.values():
        assert isinstance(error, httpx.ConnectError), errors


@contextmanager
def full_accept_queue() -> Iterator[int]:
    """A port whose accept queue is full: a new connection's SYN is dropped, so connecting
    hangs until the client's connect timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    held = []
    try:
        for _ in range(2):
            filler = socket.socket()
            filler.settimeout(0.2)
            with suppress(TimeoutError):
                filler.connect(("127.0.0.1", port))
            held.append(filler)
        yield port
    finally:
        for filler in held:
            filler.close()
        listener.close()


@pytest.mark.asyncio
async def test_a_connection_that_cannot_be_opened_in_time_is_a_connect_timeout() -> None:
    with full_accept_queue() as port:
        errors = await both(
            f"http://127.0.0.1:{port}/api/",
            method="POST",
            timeout=httpx.Timeout(5.0, connect=0.2),
        )
    for error in errors.values():
        assert isinstance(error, httpx.ConnectTimeout), errors


@pytest.mark.asyncio
async def test_waiting_too_long_for_a_free_connection_is_a_pool_timeout() -> None:
    with serving(slow_headers) as server:
        transport = AiohttpTransport(limits=httpx.Limits(max_connections=1))
        timeout = httpx.Timeout(5.0, pool=0.1)
        async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
            holder = client.build_request("GET", server.url + "users/")
            first = await _started(client, holder)
            with pytest.raises(httpx.PoolTimeout):
                await client.post(server.url + "users/", content=b"{}")
            first.cancel()
        assert len(server.requests) == 1  # the second request never reached the server


async def _started(client: httpx.AsyncClient, request: httpx.Request) -> object:
    """A task holding the only connection (its request sent, no answer yet)."""
    import asyncio

    task = asyncio.ensure_future(client.send(request))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if transport_busy(client):
            break
    return task


def transport_busy(client: httpx.AsyncClient) -> bool:
    transport = client._transport
    assert isinstance(transport, AiohttpTransport)
    slots = transport._slots
    return slots is not None and slots.locked()


def untrusted_tls() -> ssl.SSLContext:
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server)
    return server


def answer_once(conn: socket.socket, server: RawServer) -> None:
    if server.read_request(conn) is not None:
        conn.sendall(answer())


@pytest.mark.asyncio
async def test_a_certificate_the_client_does_not_trust_is_a_connect_error_with_its_cause() -> None:
    with serving(answer_once, tls=untrusted_tls()) as server:
        error = await failure(server.url, AiohttpTransport(), method="POST")
    assert isinstance(error, httpx.ConnectError)
    causes = []
    cause: BaseException | None = error
    while cause is not None:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    assert any(isinstance(c, ssl.SSLCertVerificationError) for c in causes), causes
    assert server.requests == []


def stop_reading(conn: socket.socket, server: RawServer) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    conn.recv(1024)  # the start of the request, then nothing more is read
    server.release.wait(10)


@pytest.mark.asyncio
async def test_a_server_that_stops_reading_the_body_is_a_write_timeout() -> None:
    timeout = httpx.Timeout(5.0, write=0.3)
    body = b"x" * (16 * 1024 * 1024)
    with serving(stop_reading) as server:
        for make in TRANSPORTS.values():
            async with httpx.AsyncClient(transport=make(), timeout=timeout) as client:
                with pytest.raises(httpx.WriteTimeout) as raised:
                    await client.post(server.url + "reports/", content=body)
            assert kind(raised.value) == "timeout"  # never "not sent": the start went out


def read_everything(conn: socket.socket, server: RawServer) -> None:
    if server.read_request(conn) is not None:
        conn.sendall(answer())


@pytest.mark.asyncio
async def test_a_large_body_arrives_whole() -> None:
    body = bytes(range(256)) * 40_000  # 10 MB, sent a piece at a time
    with serving(read_everything) as server:
        async with httpx.AsyncClient(transport=AiohttpTransport()) as client:
            response = await client.post(server.url + "reports/", content=body)
    assert response.status_code == 200
    assert server.requests[0].endswith(b"\r\n\r\n" + body)
