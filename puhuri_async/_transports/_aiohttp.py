"""An httpx transport that sends requests with aiohttp (asyncio only).

httpx stays the client: its ``Request`` and ``Response`` are what the request loop sees, and
only the bytes on the wire go through aiohttp, whose HTTP/1.1 parser and connection pool are
written in C and cost about half of httpcore's CPU per request. What the default transport
guarantees holds here too:

- errors are httpx's, mapped so that nothing that may have reached the server is called "not
  sent" (``_mapping``);
- timeouts: ``connect`` bounds opening a connection (TCP and TLS), ``read`` the wait for each
  piece of the answer (from the end of the request on, as httpx does), ``pool`` the wait for a
  free connection (``httpx.PoolTimeout``), and ``write`` the wait for each 64 KiB piece of a
  request body to be taken by the peer (``httpx.WriteTimeout``: a body larger than that is
  handed to aiohttp a piece at a time, ``_Upload``, and a piece not asked for again within
  ``write`` seconds ends the request);
- TLS: the ``ssl.SSLContext`` given is the one every connection uses;
- ``httpx.Limits``: at most ``max_connections`` connections, idle ones kept for
  ``keepalive_expiry`` seconds;
- bodies stream: the response's chunks are handed out as they arrive, undecoded (the caller
  asked for the encodings it inflates under its own size limit), so a body cap still works;
- nothing is resent behind the caller's back: aiohttp's own repeat of an idempotent request on
  a reused connection is turned off, every retry is the caller's decision;
- no cookies are kept, no redirects are followed, no proxy is used (``select`` leaves proxied
  clients on httpx's own transport).
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any, Final

import aiohttp
import httpx
import sniffio
import yarl
from multidict import CIMultiDict

from puhuri_async._transports._mapping import after_send, map_error

__all__ = ["AiohttpTransport"]

# Headers are sent exactly as httpx built them: aiohttp adds none of its own.
_SKIP_AUTO_HEADERS: Final = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")
_NO_CEILING: Final = 1e9  # aiohttp rounds timeouts above this up to whole seconds


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An ``httpx.AsyncBaseTransport`` over one ``aiohttp.ClientSession`` (made on first use,
    in the running event loop; ``aclose()`` closes it)."""

    def __init__(
        self,
        *,
        verify: ssl.SSLContext | bool = True,
        limits: httpx.Limits = httpx.Limits(),  # noqa: B008 - a frozen value
    ) -> None:
        if verify is True:
            verify = httpx.create_ssl_context()  # httpx's default (certifi, SSL_CERT_FILE)
        elif verify is False:
            verify = _unverified_context()
        self._ssl: ssl.SSLContext = verify
        self._max_connections = limits.max_connections
        self._keepalive = limits.keepalive_expiry
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None
        self._timeouts: dict[tuple[Any, ...], aiohttp.ClientTimeout] = {}
        self._closed = False

    @property
    def ssl_context(self) -> ssl.SSLContext:
        """The TLS context every connection is made with."""
        return self._ssl

    def _open(
        self, request: httpx.Request
    ) -> tuple[aiohttp.ClientSession, asyncio.Semaphore | None]:
        if self._closed:
            raise httpx.ConnectError("the transport is closed", request=request)
        if self._session is None:
            if sniffio.current_async_library() != "asyncio":
                raise RuntimeError(
                    "AiohttpTransport runs on asyncio only; on trio, use httpx's own transport"
                )
            # The connection limit is held by ``slots`` alone (with httpx's ``pool`` timeout):
            # a second limit in the connector would add a wait that aiohttp counts against the
            # connect timeout, so a busy pool would read as a server that cannot be reached.
            connector = aiohttp.TCPConnector(
                limit=0,
                limit_per_host=0,
                ssl=self._ssl,
                keepalive_timeout=self._keepalive if self._keepalive is not None else 3600.0,
                timeout_ceil_threshold=_NO_CEILING,
            )
            session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                skip_auto_headers=_SKIP_AUTO_HEADERS,
                auto_decompress=False,
                trust_env=False,
                timeout=aiohttp.ClientTimeout(total=None),
            )
            # Every repeat of a request is the caller's retry policy's, counted and logged
            # there (aiohttp would otherwise resend an idempotent request on its own).
            if hasattr(session, "_retry_connection"):
                session._retry_connection = False
            self._session = session
            if self._max_connections is not None:
                self._slots = asyncio.Semaphore(self._max_connections)
        return self._session, self._slots

    def _client_timeout(self, timeout: dict[str, float | None]) -> aiohttp.ClientTimeout:
        key = (timeout.get("connect"), timeout.get("read"))
        found = self._timeouts.get(key)
        if found is None:
            connect, read = key
            found = self._timeouts[key] = aiohttp.ClientTimeout(
                total=None,
                connect=None,  # httpx's connect is establishing a connection: sock_connect
                sock_connect=connect,
                sock_read=read,
                ceil_threshold=_NO_CEILING,
            )
        return found

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``; the answer's body streams from the connection."""
        session, slots = self._open(request)
        timeout: dict[str, float | None] = request.extensions.get("timeout", {})
        if slots is not None:
            await _acquire(slots, timeout.get("pool"), request)
        try:
            response = await self._send(session, request, self._client_timeout(timeout))
        except BaseException:
            if slots is not None:
                slots.release()
            raise
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=AiohttpBody(response, request, slots),
            extensions={
                "http_version": b"HTTP/1.1",
                "reason_phrase": (response.reason or "").encode("ascii", "replace"),
            },
        )

    async def _send(
        self, session: aiohttp.ClientSession, request: httpx.Request, limits: aiohttp.ClientTimeout
    ) -> aiohttp.ClientResponse:
        headers = CIMultiDict(
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw
        )
        data: bytes | _Upload | None = None
        if "Content-Length" in headers or "Transfer-Encoding" in headers:
            data = await request.aread()
            if len(data) > _PIECE:
                data = _Upload(data, request.extensions.get("timeout", {}).get("write"))
        try:
            return await session.request(
                request.method,
                yarl.URL(str(request.url), encoded=True),
                headers=headers,
                data=data,
                allow_redirects=False,
                timeout=limits,
            )
        except aiohttp.ClientError as exc:
            raise map_error(exc, request) from exc
        except (TimeoutError, OSError) as exc:
            raise map_error(exc, request) from exc
        except asyncio.CancelledError:
            if isinstance(data, _Upload) and data.stalled:
                task = asyncio.current_task()
                if task is not None:
                    task.uncancel()
                raise httpx.WriteTimeout(
                    "the server took no more of the request body within the write timeout",
                    request=request,
                ) from None
            raise
        finally:
            if isinstance(data, _Upload):
                data.stop()

    async def aclose(self) -> None:
        """Close every connection. Idempotent."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None:
            await session.close()


def _unverified_context() -> ssl.SSLContext:
    """What httpx makes of ``verify=False``: TLS without any check of the peer (the caller
    warned about it), loading no CA bundle."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


_PIECE: Final = 64 * 1024


class _Upload:
    """A request body handed to aiohttp ``_PIECE`` bytes at a time, with a write timeout.

    aiohttp asks for the next piece once the previous one is written (its buffer drained), so
    a piece not asked for within ``write`` seconds means the peer stopped reading: the task
    sending the request is then cancelled, and that becomes ``httpx.WriteTimeout``. An
    iterator object, not a generator: a request cut off leaves nothing suspended.
    """

    def __init__(self, body: bytes, write: float | None) -> None:
        self._body = memoryview(body)
        self._offset = 0
        self._write = write
        self._task = asyncio.current_task()
        self._timer: asyncio.TimerHandle | None = None
        self.stalled = False

    def __aiter__(self) -> _Upload:
        return self

    async def __anext__(self) -> bytes:
        self.stop()
        if self._offset >= len(self._body):
            raise StopAsyncIteration
        piece = self._body[self._offset : self._offset + _PIECE]
        self._offset += _PIECE
        if self._write is not None and self._task is not None:
            self._timer = asyncio.get_running_loop().call_later(self._write, self._stall)
        return bytes(piece)

    def _stall(self) -> None:
        self.stalled = True
        if self._task is not None:
            self._task.cancel()

    def stop(self) -> None:
        """Stop the write timer (the piece was taken, or the request ended)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


async def _acquire(slots: asyncio.Semaphore, pool: float | None, request: httpx.Request) -> None:
    """Take a connection slot, waiting at most ``pool`` seconds (``httpx.PoolTimeout``)."""
    if not slots.locked():
        await slots.acquire()
        return
    try:
        async with asyncio.timeout(pool):
            await slots.acquire()
    except TimeoutError:
        raise httpx.PoolTimeout(
            "no free connection within the pool timeout", request=request
        ) from None


class AiohttpBody(httpx.AsyncByteStream):
    """A response body as it arrives, raw (no decompression). An iterator object, not a
    generator, so a reader that stops early leaves nothing suspended. Closing it before the
    end drops the connection; after the end, the connection goes back to the pool."""

    def __init__(
        self,
        response: aiohttp.ClientResponse,
        request: httpx.Request,
        slots: asyncio.Semaphore | None,
    ) -> None:
        self._response = response
        self._content = response.content
        self._request = request
        self._slots = slots
        self._done = False
        self._closed = False

    def __aiter__(self) -> AiohttpBody:
        return self

    async def __anext__(self) -> bytes:
        if self._done or self._closed:
            raise StopAsyncIteration
        try:
            chunk = await self._content.readany()
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            self._done = True
            raise after_send(exc, self._request) from exc
        if not chunk:
            self._done = True
            raise StopAsyncIteration
        return chunk

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._done and self._content.at_eof():
            self._response.release()
        else:
            self._response.close()
        if self._slots is not None:
            self._slots.release()
