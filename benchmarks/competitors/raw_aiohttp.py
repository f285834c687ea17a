"""Another practical limit: raw aiohttp + orjson, the same requests as the raw httpx baseline.

aiohttp's HTTP parser and connection pool are written in C; this is what the same hand-written
script (page 1 for the count, then every other page concurrently under one semaphore) costs
over it. No models, JSON decoding only. One TLS context per process, as for raw httpx.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from benchmarks.competitors import raw_httpx
from benchmarks.competitors.raw_httpx import PAGE_SIZE, loads, tls_context
from benchmarks.harness import Server

__all__ = ["fetch_known_pages", "fetch_lists", "get_json", "session"]


def session(server: Server, concurrency: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=concurrency, ssl=tls_context())
    return aiohttp.ClientSession(
        base_url=server.url,
        connector=connector,
        headers={"Authorization": f"Token {server.token}"},
        timeout=aiohttp.ClientTimeout(total=raw_httpx.TIMEOUT),
    )


async def get_json(
    http: aiohttp.ClientSession,
    gate: asyncio.Semaphore,
    path: str,
    params: dict[str, Any] | None = None,
) -> tuple[Any, int | None]:
    """The decoded body of ``path`` and its ``X-Result-Count``."""
    async with gate, http.get(path, params=params) as response:
        response.raise_for_status()
        body = await response.read()
        count = response.headers.get("X-Result-Count")
    return loads(body), None if count is None else int(count)


async def fetch_list(http: aiohttp.ClientSession, gate: asyncio.Semaphore, path: str) -> list[Any]:
    """Every item of a list: page 1, then the remaining pages concurrently."""
    items, count = await get_json(http, gate, path, {"page_size": PAGE_SIZE})
    assert count is not None, "the server sent no X-Result-Count"
    pages = -(-count // PAGE_SIZE)
    rest = await asyncio.gather(
        *(
            get_json(http, gate, path, {"page_size": PAGE_SIZE, "page": number})
            for number in range(2, pages + 1)
        )
    )
    out: list[Any] = items
    for page, _ in rest:
        out.extend(page)
    return out


async def fetch_lists(server: Server, paths: list[str], concurrency: int) -> int:
    """Fetch ``paths`` concurrently; the number of items received."""
    gate = asyncio.Semaphore(concurrency)
    async with session(server, concurrency) as http:
        lists = await asyncio.gather(*(fetch_list(http, gate, path) for path in paths))
    return sum(len(items) for items in lists)


async def fetch_known_pages(server: Server, paths: list[str], concurrency: int) -> int:
    """The measured floor: every page of ``paths`` asked for at once (their numbers known
    beforehand, no count first), ``concurrency`` in flight, bodies read and not decoded: what
    the network and the server take, with the least a client can do. The items counted."""
    counts = [server.counts[name] for name in ("users", "permissions")]
    gate = asyncio.Semaphore(concurrency)

    async def page(http: aiohttp.ClientSession, path: str, number: int) -> None:
        params = {"page_size": PAGE_SIZE, "page": number}
        async with gate, http.get(path, params=params) as response:
            response.raise_for_status()
            await response.read()

    async with session(server, concurrency) as http:
        await asyncio.gather(
            *(
                page(http, path, number)
                for path, count in zip(paths, counts, strict=True)
                for number in range(1, -(-count // PAGE_SIZE) + 1)
            )
        )
    return sum(counts)
