"""A forward HTTP proxy on 127.0.0.1 that answers by itself, recording what it was asked.

A plain-HTTP request through a proxy arrives in absolute form (``GET http://host/path``) with
all its headers: the proxy answers ``200`` with a small JSON list. A ``CONNECT host:port`` (an
https origin's tunnel) is recorded and refused with ``403``, so nothing inside a tunnel is
ever needed. A target with ``/echo/`` in it gets a ``502`` whose body repeats every header
it was sent. One request per connection.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import anyio.abc
import attrs


@attrs.define
class Asked:
    method: str
    target: str
    headers: dict[str, str]


@attrs.define
class Proxy:
    url: str = ""
    asked: list[Asked] = attrs.Factory(list)


async def _read_head(stream: anyio.abc.ByteStream) -> Asked | None:
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        try:
            buffer += await stream.receive()
        except (anyio.EndOfStream, anyio.BrokenResourceError):
            return None
    head = buffer.partition(b"\r\n\r\n")[0].decode("latin-1")
    request_line, *lines = head.split("\r\n")
    method, target, _ = request_line.split(" ", 2)
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Asked(method, target, headers)


def _answer(status: str, body: bytes, extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"X-Result-Count: 1\r\n{extra}Connection: close\r\n\r\n"
    ).encode() + body


async def _serve(proxy: Proxy, stream: anyio.abc.ByteStream) -> None:
    async with stream:
        asked = await _read_head(stream)
        if asked is None:
            return
        proxy.asked.append(asked)
        if asked.method == "CONNECT":
            await stream.send(_answer("403 Forbidden", b""))
            return
        if "/echo/" in asked.target:  # a careless proxy: its error repeats every header
            await stream.send(_answer("502 Bad Gateway", json.dumps(asked.headers).encode()))
            return
        body = json.dumps([{"uuid": "0" * 32, "username": "via-proxy"}]).encode()
        await stream.send(_answer("200 OK", body))


@asynccontextmanager
async def forward_proxy() -> AsyncIterator[Proxy]:
    """A running proxy; ``proxy.url`` is its ``http://127.0.0.1:<port>``."""
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    proxy = Proxy(url=f"http://127.0.0.1:{port}")

    async def handle(stream: anyio.abc.SocketStream) -> None:
        await _serve(proxy, stream)

    async with listener, anyio.create_task_group() as tasks:
        tasks.start_soon(listener.serve, handle)
        yield proxy
        tasks.cancel_scope.cancel()


async def closed_port() -> int:
    """A local port with nothing listening on it."""
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port: int = listener.extra(anyio.abc.SocketAttribute.local_port)
    await listener.aclose()
    return port
