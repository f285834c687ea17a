"""The pure parts of the wire, as tables: ``Link`` and ``X-Result-Count`` as the paginator reads
them, and response bodies as the client inflates them (every layer bounded)."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest

from puhuri_async import (
    DecodeError,
    PaginationError,
    ResponseLimits,
    ResponseTooLargeError,
    RetryPolicy,
)
from puhuri_async._body import TooLarge, read_body
from puhuri_async._http import Transport
from puhuri_async._page_wire import page_number, page_url, parse_count, parse_links
from puhuri_async._response import Headers

from ._fakes import API, TOKEN

pytestmark = pytest.mark.anyio

BASE = f"{API}users/?page=3&page_size=10"
NONE = RetryPolicy.none()


@pytest.mark.parametrize(
    ("header", "links"),
    [
        (None, {}),
        ("", {}),
        (f'<{API}users/?page=4>; rel="next"', {"next": f"{API}users/?page=4"}),
        (f"<{API}users/?page=4>; REL=NEXT", {"next": f"{API}users/?page=4"}),
        ('<?page=4>; rel="next"', {"next": f"{API}users/?page=4"}),
        ("</api/users/?page=4>; rel=next", {"next": f"{API}users/?page=4"}),
        ('<a/>; rel="prev next"', {"prev": f"{API}users/a/", "next": f"{API}users/a/"}),
        (
            '<x>; title="a, b; <c>"; rel=next, <y>; rel=last',
            {"next": f"{API}users/x", "last": f"{API}users/y"},
        ),
        ("<x>; rel=next; rel=prev", {"next": f"{API}users/x"}),  # the first rel counts
        ('<x>; rel="ne\\xt"', {"next": f"{API}users/x"}),  # a quoted-pair
        ("<x>; title=no-rel, <y>; rel=next", {"next": f"{API}users/y"}),
        (" , <x>; rel=next , ", {"next": f"{API}users/x"}),
        ("<x>; rel=next, <x>; rel=next", {"next": f"{API}users/x"}),  # the same twice
    ],
)
def test_links(header: str | None, links: dict[str, str]) -> None:
    assert parse_links(header, BASE) == links


@pytest.mark.parametrize(
    "header",
    ["x; rel=next", "<x; rel=next", '<x>; rel="next', "<x> rel=next", "<x>; rel=next <y>"],
)
def test_malformed_links(header: str) -> None:
    with pytest.raises(PaginationError, match="malformed Link"):
        parse_links(header, BASE)


def test_two_next_links() -> None:
    with pytest.raises(PaginationError, match="two next pages"):
        parse_links("<x>; rel=next, <y>; rel=next", BASE)


@pytest.mark.parametrize(
    ("header", "count"),
    [(None, None), ("0", 0), ("1234", 1234), (" 7 ", 7), ("7, 7", 7), ("9" * 15, 10**15 - 1)],
)
def test_counts(header: str | None, count: int | None) -> None:
    assert parse_count(header) == count


@pytest.mark.parametrize("header", ["", "-1", "1.0", "1e3", "²", "٣", "9" * 16, "7, 8", "x"])
def test_implausible_counts(header: str) -> None:
    with pytest.raises(PaginationError, match="X-Result-Count"):
        parse_count(header)


@pytest.mark.parametrize(
    ("url", "number"),
    [
        (f"{API}users/?page=2", 2),
        (f"{API}users/?my_page=3&page=4&name=page%3D9", 4),
        (f"{API}users/?pa%67e=5", 5),
        (f"{API}users/?name=x", None),
    ],
)
def test_page_numbers(url: str, number: int | None) -> None:
    assert page_number(url) == number


@pytest.mark.parametrize("url", [f"{API}users/?page=x", f"{API}users/?page=1&page=2"])
def test_unusable_page_numbers(url: str) -> None:
    with pytest.raises(PaginationError):
        page_number(url)


def test_page_urls_keep_the_query_and_set_the_page() -> None:
    assert page_url(f"{API}users/", "", 1, 300) == f"{API}users/?page=1&page_size=300"
    assert page_url(f"{API}users/", "a=1&b=2", 5, 10) == f"{API}users/?a=1&b=2&page=5&page_size=10"


# -- bodies ---------------------------------------------------------------------------------------


class Chunks(httpx.AsyncByteStream):
    """A body that arrives in pieces, as from the network (httpx has not read it)."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


BODY = b'{"uuid": "' + b"a" * 32 + b'", "name": "x"}'


def split(data: bytes, size: int = 7) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize(
    ("encoding", "encoded"),
    [
        ("gzip", gzip.compress(BODY)),
        ("x-gzip", gzip.compress(BODY)),
        ("deflate", zlib.compress(BODY)),
        ("deflate", raw_deflate(BODY)),  # servers send both under this name
        ("gzip, gzip", gzip.compress(gzip.compress(BODY))),
        ("identity", BODY),
        ("", BODY),
    ],
)
async def test_encodings_are_inflated_piece_by_piece(encoding: str, encoded: bytes) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Encoding": encoding}, stream=Chunks(*split(encoded))
        )

    async with Transport(API, TOKEN, transport=httpx.MockTransport(answer)) as transport:
        response = await transport.request("GET", "x/", operation="op")
    assert response.content == BODY
    assert response.data["name"] == "x"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "gzip, deflate"])
async def test_every_layer_is_bounded(encoding: str) -> None:
    inner = b"[" + b"0," * 500_000 + b"0]"
    encoded = inner
    for name in [part.strip() for part in encoding.split(",")]:
        encoded = gzip.compress(encoded) if name == "gzip" else zlib.compress(encoded)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": encoding}, stream=Chunks(encoded))

    limits = ResponseLimits(max_body_size=10_000)
    transport = Transport(API, TOKEN, transport=httpx.MockTransport(answer), response_limits=limits)
    async with transport:
        with pytest.raises(ResponseTooLargeError) as info:
            await transport.request("GET", "x/", operation="op")
    assert info.value.limit == 10_000
    assert transport.stats.bytes_received == 0  # nothing past the limit was kept


async def test_a_body_exactly_at_the_limit_is_taken() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Encoding": "gzip"}, stream=Chunks(gzip.compress(BODY))
        )

    limits = ResponseLimits(max_body_size=len(BODY))
    transport = Transport(API, TOKEN, transport=httpx.MockTransport(answer), response_limits=limits)
    async with transport:
        assert (await transport.request("GET", "x/", operation="op")).content == BODY


@pytest.mark.parametrize("body", [b"\x1f\x8b\x08garbage", b"not compressed at all"])
async def test_a_body_that_does_not_inflate_is_a_decode_error(body: bytes) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=Chunks(body))

    transport = Transport(API, TOKEN, transport=httpx.MockTransport(answer), retry=NONE)
    async with transport:
        with pytest.raises(DecodeError, match="cannot be decompressed"):
            await transport.request("GET", "x/", operation="op")


class Breaks(httpx.AsyncByteStream):
    """A body whose connection fails after the first piece, raising without its request."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"uuid": '
        raise httpx.ReadError("connection reset")


async def test_a_failed_read_names_its_request_and_leaves_the_stream_consumed() -> None:
    request = httpx.Request("GET", f"{API}x/")
    response = httpx.Response(200, stream=Breaks(), request=request)
    with pytest.raises(httpx.ReadError) as info:
        await read_body(response, Headers(), 10_000, cut=False)
    assert info.value.request is request
    assert response.is_stream_consumed  # nothing reads it a second time


async def test_the_headers_given_decide_the_encoding_and_the_announced_size() -> None:
    encoded = gzip.compress(BODY)
    response = httpx.Response(200, stream=Chunks(*split(encoded)))
    headers = Headers([("Content-Encoding", "gzip")])
    assert await read_body(response, headers, 10_000, cut=False) == BODY
    announced = Headers([("Content-Length", "20000")])
    with pytest.raises(TooLarge) as info:
        await read_body(httpx.Response(200, stream=Chunks(BODY)), announced, 10_000, cut=False)
    assert info.value.announced == 20_000
