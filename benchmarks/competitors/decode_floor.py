"""The decode floor: orjson over the very bodies a list fetch receives, with no network at all.

No client can fetch a list for less CPU than it takes to parse its JSON, so this is the floor
under every competitor's CPU figure. The bodies are fetched once per server and list (outside
any measurement) and kept in memory; a case parses all of them.
"""

from __future__ import annotations

import functools
from typing import Any

import httpx

from benchmarks.competitors.raw_httpx import PAGE_SIZE, loads
from benchmarks.harness import Server

__all__ = ["bodies", "decode", "msgspec_decode"]


@functools.cache
def _bodies(url: str, token: str, paths: tuple[str, ...]) -> tuple[bytes, ...]:
    out: list[bytes] = []
    headers = {"Authorization": f"Token {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
        for path in paths:
            first = http.get(path, params={"page_size": PAGE_SIZE})
            first.raise_for_status()
            out.append(first.content)
            pages = -(-int(first.headers["X-Result-Count"]) // PAGE_SIZE)
            for number in range(2, pages + 1):
                page = http.get(path, params={"page_size": PAGE_SIZE, "page": number})
                page.raise_for_status()
                out.append(page.content)
    return tuple(out)


def bodies(server: Server, paths: list[str]) -> tuple[bytes, ...]:
    """Every page body of ``paths`` (fetched on the first call, then kept)."""
    return _bodies(server.url, server.token, tuple(paths))


def decode(pages: tuple[bytes, ...]) -> int:
    """Parse every body with orjson (the decoder the clients use); the number of items."""
    items = 0
    for body in pages:
        decoded: list[Any] = loads(body)
        items += len(decoded)
    return items


def msgspec_decode(pages: tuple[bytes, ...]) -> int | None:
    """The same with msgspec's untyped JSON decoder (``None`` when msgspec is missing)."""
    try:
        import msgspec
    except ImportError:
        return None
    decoder = msgspec.json.Decoder()
    items = 0
    for body in pages:
        decoded: list[Any] = decoder.decode(body)
        items += len(decoded)
    return items
