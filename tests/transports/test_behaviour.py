"""What the aiohttp transport does on the wire, seen by a raw-socket server on 127.0.0.1: the
headers httpx built, raw streaming bodies, connection reuse and limits, TLS with the caller's
context, no request sent twice behind the caller's back, and a POST whose outcome is unknown
through the client's own transport."""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
import threading

import httpx
import pytest
import trustme

from puhuri_async import OutcomeUnknownError, TransportError
from puhuri_async._http import Transport
from puhuri_async._transports._aiohttp import AiohttpTransport

from ._raw import RawServer, answer, serving


def keep_answering(conn: socket.socket, server: RawServer) -> None:
    while server.read_request(conn) is not None:
        conn.sendall(answer())


@pytest.mark.asyncio
async def test_requests_go_out_with_exactly_the_headers_httpx_built() -> None:
    with serving(keep_answering) as server:
        async with httpx.AsyncClient(
            transport=AiohttpTransport(), headers={"User-Agent": "puhuri-async/test"}
        ) as client:
            response = await client.post(
                server.url + "users/?a=%2F&b=1", content=b'{"x": 1}', headers={"X-One": "1"}
            )
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    request_line, *lines = head.decode("latin-1").split("\r\n")
    assert request_line == "POST /api/users/?a=%2F&b=1 HTTP/1.1"  # the query kept as encoded
    names = [line.split(":", 1)[0].lower() for line in lines]
    sent = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in lines}
    assert sent["user-agent"] == "puhuri-async/test"
    assert sent["x-one"] == "1"
    assert sent["content-length"] == "8"
    assert "content-type" not in sent  # nothing aiohttp would have added on its own
    assert sorted(names) == sorted(set(names))  # no header twice
    assert body == b'{"x": 1}'


def gzip_stream(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    body = gzip.compress(b"[" + b",".join(b'{"n": %d}' % i for i in range(20_000)) + b"]")
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    for start in range(0, len(body), 4096):
        conn.sendall(body[start : start + 4096])
    server.compressed = body  # type: ignore[attr-defined]


@pytest.mark.asyncio
async def test_bodies_stream_raw_so_the_caller_inflates_them_under_its_own_limit() -> None:
    with serving(gzip_stream) as server:
        async with httpx.AsyncClient(transport=AiohttpTransport()) as client:
            request = client.build_request("GET", server.url + "users/")
            response = await client.send(request, stream=True)
            chunks = [chunk async for chunk in response.aiter_raw()]
            await response.aclose()
    assert b"".join(chunks) == server.compressed  # type: ignore[attr-defined]
    assert response.headers["Content-Encoding"] == "gzip"


def endless(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"x" * 65536
    try:
        while not server.release.is_set():
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    except OSError:
        server.dropped = True  # type: ignore[attr-defined]


@pytest.mark.asyncio
async def test_a_body_closed_before_its_end_drops_the_connection() -> None:
    with serving(endless) as server:
        async with httpx.AsyncClient(transport=AiohttpTransport()) as client:
            response = await client.send(client.build_request("GET", server.url), stream=True)
            received = 0
            async for chunk in response.aiter_raw():
                received += len(chunk)
                if received > 1_000_000:
                    break
            await response.aclose()
            for _ in range(500):  # the server notices the closed socket on its next write
                if getattr(server, "dropped", False):
                    break
                await asyncio.sleep(0.01)
    assert getattr(server, "dropped", False)


@pytest.mark.asyncio
async def test_connections_are_reused_and_bounded_by_the_limits() -> None:
    with serving(keep_answering) as server:
        transport = AiohttpTransport(limits=httpx.Limits(max_connections=3))
        async with httpx.AsyncClient(transport=transport) as client:
            for _ in range(5):
                assert (await client.get(server.url)).status_code == 200
            assert server.connections == 1
            await asyncio.gather(*(client.get(server.url) for _ in range(30)))
    assert len(server.requests) == 35
    assert server.connections <= 3


def answer_then_drop_the_next(conn: socket.socket, server: RawServer) -> None:
    if server.read_request(conn) is not None:
        conn.sendall(answer())
    server.read_request(conn)  # the next request on this connection: read, then dropped
    conn.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "POST"])
async def test_a_request_lost_on_a_reused_connection_is_not_sent_again(method: str) -> None:
    with serving(answer_then_drop_the_next) as server:
        async with httpx.AsyncClient(transport=AiohttpTransport()) as client:
            await client.get(server.url)
            with pytest.raises(httpx.RemoteProtocolError):
                await client.request(method, server.url + "users/", content=b"{}")
    assert len(server.requests) == 2  # the lost one reached the server once: no silent repeat
    assert server.connections == 1


def drop_after_request(conn: socket.socket, server: RawServer) -> None:
    server.read_request(conn)
    conn.close()


@pytest.mark.asyncio
async def test_a_post_dropped_after_it_was_sent_is_outcome_unknown_and_sent_once() -> None:
    with serving(drop_after_request) as server:
        transport = Transport(
            server.url, "test-token", transport=AiohttpTransport(), sleep=_no_wait
        )
        async with transport:
            with pytest.raises(OutcomeUnknownError):
                await transport.request(
                    "POST", "marketplace-orders/", operation="create_order", json={"a": 1}
                )
            # The same failure on a GET is retried (it is idempotent), as the policy allows.
            with pytest.raises(TransportError):
                await transport.request("GET", "users/", operation="list_users")
            sent = transport.stats.requests
    posts = [r for r in server.requests if r.startswith(b"POST")]
    gets = [r for r in server.requests if r.startswith(b"GET")]
    assert len(posts) == 1
    assert len(gets) > 1
    assert len(gets) + len(posts) == sent  # every request the server saw, the client counted


async def _no_wait(seconds: float) -> None:
    """No backoff waits in tests."""


def tls_pair() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    return server, client


def answer_once(conn: socket.socket, server: RawServer) -> None:
    if server.read_request(conn) is not None:
        conn.sendall(answer())


@pytest.mark.asyncio
async def test_tls_uses_the_context_it_was_given() -> None:
    server_tls, client_tls = tls_pair()
    with serving(answer_once, tls=server_tls) as server:
        async with httpx.AsyncClient(transport=AiohttpTransport(verify=client_tls)) as client:
            assert (await client.get(server.url)).json() == {"ok": True}
        async with httpx.AsyncClient(transport=AiohttpTransport()) as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(server.url)  # the default trust store knows no test CA
        async with httpx.AsyncClient(transport=AiohttpTransport(verify=False)) as client:
            assert (await client.get(server.url)).status_code == 200
    assert len(server.requests) == 2


@pytest.mark.asyncio
async def test_closing_the_transport_closes_its_connections() -> None:
    closed = threading.Event()

    def watch(conn: socket.socket, server: RawServer) -> None:
        keep_answering(conn, server)
        closed.set()

    with serving(watch) as server:
        transport = AiohttpTransport()
        async with httpx.AsyncClient(transport=transport) as client:
            await client.get(server.url)
        for _ in range(500):
            if closed.is_set():
                break
            await asyncio.sleep(0.01)
        assert closed.is_set()
        with pytest.raises(httpx.ConnectError):  # nothing is sent after close
            await transport.handle_async_request(httpx.Request("GET", server.url))
    assert len(server.requests) == 1
