"""Response bodies: read under a size limit that holds after decompression, then decoded.

httpx inflates a gzip body a network chunk at a time with no bound on the output: 64 KiB of
gzip can become 64 MiB at once, and an endless chunked body grows without limit. So the client
asks for ``gzip, deflate`` only, reads the raw bytes itself and inflates each layer with
``max_length`` set to what is left of the limit: memory stays within the limit plus a chunk,
whatever the server sends. Past the limit a 2xx body raises ``TooLarge``; an error body is cut
there instead (its status says what happened; the body only explains).
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import AsyncIterator
from typing import Any, Final

import httpx

from puhuri_async import _json
from puhuri_async._response import Headers, Response

__all__ = [
    "ACCEPT_ENCODING",
    "ERROR_BODY_LIMIT",
    "RequestBody",
    "TooLarge",
    "Undecodable",
    "decode_success",
    "excerpt",
    "read_body",
]

ACCEPT_ENCODING: Final = "gzip, deflate"
ERROR_BODY_LIMIT: Final = 64 * 1024
"""Bytes of a non-2xx body kept (after decompression); the rest is not read."""


class TooLarge(Exception):
    """The body passed ``limit`` bytes; ``announced`` is its ``Content-Length`` if that said so."""

    def __init__(self, limit: int, announced: int | None = None) -> None:
        super().__init__(limit)
        self.limit = limit
        self.announced = announced
        self.status = 0


class Undecodable(Exception):
    """A 2xx body that is not what was expected; ``excerpt`` is the start of it."""

    def __init__(self, message: str, excerpt: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.excerpt = excerpt
        self.status = 0


class _Inflater:
    """One ``Content-Encoding`` layer, inflated with a bound on each call's output."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        # gzip: the gzip wrapper only. deflate: the zlib wrapper, or raw deflate (servers
        # send both under this name), decided by the first bytes.
        wbits = zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(wbits)
        self._first = encoding == "deflate"
        self.overflow = False

    def feed(self, data: bytes, budget: int) -> bytes:
        """Inflate ``data``; at most ``budget`` bytes come out. Input left over (the output
        reached the budget) means the body is past the limit: ``overflow`` is then set."""
        try:
            out = self._inflater.decompress(data, budget)
        except zlib.error:
            if not self._first:
                raise
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inflater.decompress(data, budget)
        self._first = False
        if self._inflater.unconsumed_tail:
            self.overflow = True
        return out

    def flush(self, budget: int) -> bytes:
        return self._inflater.flush(max(budget, 1))


def _layers(header: str | None) -> list[_Inflater]:
    """The inflaters for a ``Content-Encoding`` value, in the order to apply them."""
    if not header:
        return []
    layers: list[_Inflater] = []
    for name in reversed([part.strip().lower() for part in header.split(",")]):
        if name in ("", "identity"):
            continue
        if name in ("x-gzip", "gzip"):
            layers.append(_Inflater("gzip"))
        elif name == "deflate":
            layers.append(_Inflater("deflate"))
        else:
            raise Undecodable(f"the body has Content-Encoding {name!r}, which was not asked for")
    return layers


async def read_body(response: httpx.Response, headers: Headers, limit: int, *, cut: bool) -> bytes:
    """The decoded body of a streamed ``response`` (whose headers are ``headers``), at most
    ``limit`` bytes.

    Past ``limit``: raise ``TooLarge``, or with ``cut`` return the first ``limit`` bytes. An
    encoding error raises ``Undecodable`` (with ``cut``: what was decoded so far is returned).
    The caller closes the response (which drops the connection if the body was not finished).

    The chunks come from the response's stream itself rather than ``aiter_raw()``: the same
    bytes, without the generator, chunker and context manager httpx puts round every read (a
    few per cent of a list page's request path). A transport error still names its request,
    as ``aiter_raw`` makes it.
    """
    if response.is_stream_consumed:  # an in-memory response (a mock): httpx already decoded it
        content = response.content
        if len(content) > limit:
            if cut:
                return content[:limit]
            raise TooLarge(limit)
        return content
    try:
        layers = _layers(headers.get("Content-Encoding"))
    except Undecodable:
        if cut:
            return b""
        raise
    if not layers and not cut:
        announced = headers.get("Content-Length", "")
        if announced.isascii() and announced.isdigit() and int(announced) > limit:
            raise TooLarge(limit, int(announced))
    chunks: list[bytes] = []
    size = 0
    source = response.stream
    if not isinstance(source, httpx.AsyncByteStream):
        raise TypeError("read_body reads the responses of an httpx.AsyncClient only")
    response.is_stream_consumed = True
    stream = source.__aiter__()
    finished = False
    try:
        async for raw in stream:
            data = raw
            for layer in layers:
                data = layer.feed(data, limit - size + 1)
            size += len(data)
            chunks.append(data)
            if size > limit or (layers and any(layer.overflow for layer in layers)):
                size = max(size, limit + 1)
                break
        else:
            finished = True
            for index, layer in enumerate(layers):
                data = layer.flush(limit - size + 1)
                for later in layers[index + 1 :]:
                    data = later.feed(data, limit - size + 1)
                size += len(data)
                chunks.append(data)
    except httpx.RequestError as exc:
        with contextlib.suppress(RuntimeError):  # a response that was never given its request
            exc.request = response.request
        raise
    except zlib.error as exc:
        if cut:
            return b"".join(chunks)[:limit]
        encodings = ", ".join(layer.encoding for layer in layers)
        raise Undecodable(f"the body cannot be decompressed ({encodings}: {exc})") from None
    finally:
        if not finished:
            await _abandon(response, stream)
    body = b"".join(chunks)
    if size > limit:
        if cut:
            return body[:limit]
        raise TooLarge(limit)
    return body


async def _abandon(response: httpx.Response, stream: AsyncIterator[bytes]) -> None:
    """Stop reading a body before its end.

    httpx reads a body through a chain of async generators; leaving them suspended makes trio
    warn when they are collected (and leaves their clean-up to the collector). So the
    connection is closed first, and the chain is then stepped until the failed read ends
    every generator in it (a few steps at most: only data already received can still come).
    """
    await response.aclose()
    with contextlib.suppress(Exception):
        for _ in range(_ABANDON_STEPS):
            await stream.__anext__()


_ABANDON_STEPS: Final = 64


class RequestBody(httpx.AsyncByteStream):
    """A request body sent in one piece, by an iterator object rather than a generator.

    httpx's own ``ByteStream`` iterates with an async generator, which a deadline that cuts an
    upload off leaves suspended (trio then warns when it is collected). This one has nothing
    to finalise. The request keeps the ``Content-Length`` httpx gave it.
    """

    def __init__(self, content: bytes) -> None:
        self._content = content
        self._sent = False

    def __aiter__(self) -> RequestBody:
        self._sent = False
        return self

    async def __anext__(self) -> bytes:
        if self._sent:
            raise StopAsyncIteration
        self._sent = True
        return self._content


def excerpt(content: bytes, limit: int = 200) -> str:
    """The start of a body as one line of text, for error messages."""
    text = " ".join(content[: limit * 4].decode("utf-8", "replace").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decode_success(
    status_code: int, url: str, headers: Headers, content: bytes, *, decode: bool
) -> Response:
    """The ``Response`` of a 2xx answer; with ``decode`` its body is parsed as JSON (an empty
    body gives ``None``). An HTML page or malformed JSON raises ``Undecodable``."""
    data: Any = None
    if decode and content.strip():
        content_type = headers.get("Content-Type", "").lower()
        if "html" in content_type:
            raise Undecodable(
                f"expected JSON, got an HTML page ({content_type}, {len(content)} bytes)",
                excerpt(content),
            )
        try:
            data = _json.loads(content)
        except _json.JSONDecodeError as exc:
            raise Undecodable(
                f"the body is not valid JSON (truncated?), {len(content)} bytes: {exc}",
                excerpt(content),
            ) from None
    return Response(status_code=status_code, url=url, headers=headers, data=data, content=content)
