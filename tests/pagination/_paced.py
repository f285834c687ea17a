"""A paged list on 127.0.0.1 whose latency grows with the requests in flight, for the pacer.

``/api/users/?page=N&page_size=S`` answers page ``N`` of ``total`` users (``uuid`` and
``name``), with ``X-Result-Count`` and a ``Link`` next. Each request waits ``base`` seconds,
times the requests in flight when it arrived if ``busy`` (a server that does the work of every
request on one CPU), and records how many were in flight. The request numbers in ``throttle``
are answered ``429`` with ``Retry-After: 0`` instead; a page past the end, ``404`` (as DRF does).
``total`` may be changed between reads. One request per connection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import parse_qs, urlsplit

import anyio
import anyio.abc
import attrs
import orjson


@attrs.define
class Paced:
    total: int
    base: float
    busy: bool
    throttle: frozenset[int] = frozenset()
    url: str = ""
    in_flight: int = 0
    seen: list[int] = attrs.Factory(list)
    """The requests in flight as each page request arrived (itself included), in order."""
    pages: list[int] = attrs.Factory(list)
    """The page numbers asked for, in order."""

    def body(self, number: int, size: int) -> tuple[bytes, bool]:
        first = (number - 1) * size
        rows = [
            {"uuid": f"{index:032x}", "name": f"user {index}"}
            for index in range(first, min(first + size, self.total))
        ]
        return orjson.dumps(rows), first + size < self.total


async def _read_head(stream: anyio.abc.ByteStream) -> str | None:
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        try:
            buffer += await stream.receive()
        except (anyio.EndOfStream, anyio.BrokenResourceError):
            return None
    return buffer.split(b" ", 2)[1].decode("latin-1")


def _answer(status: str, body: bytes, headers: dict[str, str]) -> bytes:
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"Connection: close\r\n{head}\r\n"
    ).encode() + body


async def _serve(server: Paced, stream: anyio.abc.ByteStream) -> None:
    async with stream:
        target = await _read_head(stream)
        if target is None:
            return
        query = parse_qs(urlsplit(target).query)
        number, size = int(query["page"][0]), int(query["page_size"][0])
        server.in_flight += 1
        server.seen.append(server.in_flight)
        server.pages.append(number)
        try:
            if len(server.seen) in server.throttle:
                await stream.send(_answer("429 Too Many Requests", b"{}", {"Retry-After": "0"}))
                return
            await anyio.sleep(server.base * (server.in_flight if server.busy else 1))
            if number > 1 and (number - 1) * size >= server.total:
                await stream.send(_answer("404 Not Found", b'{"detail": "Invalid page."}', {}))
                return
            body, more = server.body(number, size)
            headers = {"X-Result-Count": str(server.total)}
            link = f'<{server.url}users/?page={number + 1}&page_size={size}>; rel="next"'
            headers["Link"] = link if more else f'<{server.url}users/?page=1>; rel="first"'
            await stream.send(_answer("200 OK", body, headers))
        finally:
            server.in_flight -= 1


@asynccontextmanager
async def paced(
    total: int, *, base: float, busy: bool, throttle: frozenset[int] = frozenset()
) -> AsyncIterator[Paced]:
    """Serve the list on a free port of 127.0.0.1 while the block runs."""
    server = Paced(total, base, busy, throttle)
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    server.url = f"http://127.0.0.1:{port}/api/"

    async def handle(stream: anyio.abc.SocketStream) -> None:
        await _serve(server, stream)

    async with listener, anyio.create_task_group() as group:
        group.start_soon(listener.serve, handle)
        try:
            yield server
        finally:
            group.cancel_scope.cancel()
