"""An httpx transport that calls the fake in-process, with a real socket's failure modes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import anyio
import httpx

if TYPE_CHECKING:
    from puhuri_async.testing._app import FakePuhuri, Message

__all__ = ["FakeTransport"]


class _CutStream(httpx.AsyncByteStream):
    """A body that ends early: yields what arrived, then fails as a closed socket does."""

    def __init__(self, data: bytes, expected: str | None, request: httpx.Request) -> None:
        self._data = data
        self._expected = expected
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._data:
            yield self._data
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body: "
            f"received {len(self._data)} bytes, expected {self._expected}",
            request=self._request,
        )


class FakeTransport(httpx.AsyncBaseTransport):
    """Send httpx requests straight into a ``FakePuhuri`` (no sockets).

    Works under asyncio and trio. The request's read timeout bounds the whole answer
    (``httpx.ReadTimeout``); an answer cut short raises ``httpx.RemoteProtocolError`` while its
    body is read.
    """

    def __init__(self, app: FakePuhuri) -> None:
        self._app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        url = request.url
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": url.scheme,
            "path": unquote(url.path),
            "raw_path": url.raw_path.split(b"?", 1)[0],
            "query_string": url.query,
            "root_path": "",
            "headers": [(k.lower(), v) for k, v in request.headers.raw],
            "server": (url.host, url.port or (443 if url.scheme == "https" else 80)),
            "client": ("127.0.0.1", 50000),
        }
        sent_body = False

        async def receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            await anyio.sleep_forever()
            raise AssertionError("unreachable")  # pragma: no cover

        start: Message | None = None
        chunks: list[bytes] = []
        complete = False

        async def send(message: Message) -> None:
            nonlocal start, complete
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)

        timeout = request.extensions.get("timeout", {}).get("read")
        try:
            with anyio.fail_after(timeout):
                await self._app(scope, receive, send)
        except TimeoutError:
            raise httpx.ReadTimeout("timed out waiting for the answer", request=request) from None
        if start is None:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        headers = [(k, v) for k, v in start.get("headers", [])]
        data = b"".join(chunks)
        stream: httpx.AsyncByteStream
        if complete:
            stream = httpx.ByteStream(data)
        else:
            length = next((v.decode() for k, v in headers if k.lower() == b"content-length"), None)
            stream = _CutStream(data, length, request)
        return httpx.Response(start["status"], headers=headers, stream=stream, request=request)
