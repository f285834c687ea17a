"""A tiny scripted HTTP/1.1 server on 127.0.0.1, for what a mock cannot show.

Each request path names a behaviour:

- ``/api/ok/``: 200 with a JSON body;
- ``/api/slow/``: reads the request, never answers (a read timeout);
- ``/api/truncated/``: announces ``Content-Length: 100``, sends 12 bytes, closes;
- ``/api/drop/``: closes without answering.

One request per connection (``Connection: close``). Written on anyio, so it runs on asyncio and
trio alike.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import anyio.abc
import attrs


@attrs.define
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@attrs.define
class Loopback:
    url: str = ""
    received: list[Received] = attrs.Factory(list)


async def _read_request(stream: anyio.abc.ByteStream) -> Received | None:
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        try:
            buffer += await stream.receive()
        except (anyio.EndOfStream, anyio.BrokenResourceError):
            return None
    head, _, body = buffer.partition(b"\r\n\r\n")
    request_line, *lines = head.decode("latin-1").split("\r\n")
    method, path, _ = request_line.split(" ", 2)
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        body += await stream.receive()
    return Received(method, path, headers, body)


def _response(status: str, body: bytes, length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {size}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


async def _serve(server: Loopback, stream: anyio.abc.ByteStream) -> None:
    async with stream:
        request = await _read_request(stream)
        if request is None:
            return
        server.received.append(request)
        path = request.path.split("?", 1)[0]
        if path == "/api/ok/":
            await stream.send(_response("200 OK", b'{"ok": true}'))
        elif path == "/api/slow/":
            await anyio.sleep_forever()
        elif path == "/api/truncated/":
            await stream.send(_response("200 OK", b'[{"uuid": "a', length=100))
        elif path == "/api/drop/":
            return
        else:
            await stream.send(_response("404 Not Found", b'{"detail": "Not found."}'))


@asynccontextmanager
async def loopback() -> AsyncIterator[Loopback]:
    """Serve on a free port of 127.0.0.1 while the block runs."""
    server = Loopback()
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


async def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on (bound, then released)."""
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port: int = listener.extra(anyio.abc.SocketAttribute.local_port)
    await listener.aclose()
    return port
