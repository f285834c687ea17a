"""The practical limit: raw httpx at the same concurrency, JSON decoding only, no models.

Lists are fetched as a careful hand-written script would: page 1 first (it says the total in
``X-Result-Count``), then every other page concurrently under one semaphore shared by all lists.
JSON is decoded with orjson when it is installed, as puhuri-async does, so the baseline is not
slowed down by a slower parser. Its clients share one TLS context made once per process (the
warm-up pays for it), as puhuri-async's do: a new ``httpx.AsyncClient`` would otherwise load the
CA bundle each time (30-50 ms here), which is not the baseline's to pay.
"""

from __future__ import annotations

import asyncio
import functools
import json
import ssl
from collections.abc import Callable
from typing import Any

import httpx

from benchmarks.harness import Server

try:
    import orjson

    loads: Callable[[bytes], Any] = orjson.loads
except ImportError:  # pragma: no cover - orjson comes with the test extra
    loads = json.loads

PAGE_SIZE = 300
TIMEOUT = 120.0
"""Seconds any baseline request may take (raised where the client runs slowed down, under
callgrind)."""


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying context for every baseline client of this process."""
    return httpx.create_ssl_context()


def client(server: Server, concurrency: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(
        base_url=server.url,
        headers={"Authorization": f"Token {server.token}"},
        limits=limits,
        timeout=TIMEOUT,
        verify=tls_context(),
    )


async def get_json(
    http: httpx.AsyncClient,
    gate: asyncio.Semaphore,
    path: str,
    params: dict[str, Any] | None = None,
) -> tuple[Any, httpx.Response]:
    async with gate:
        response = await http.get(path, params=params)
    response.raise_for_status()
    return loads(response.content), response


async def fetch_list(http: httpx.AsyncClient, gate: asyncio.Semaphore, path: str) -> list[Any]:
    """Every item of a list: page 1, then the remaining pages concurrently."""
    items: list[Any]
    items, first = await get_json(http, gate, path, {"page_size": PAGE_SIZE})
    pages = -(-int(first.headers["X-Result-Count"]) // PAGE_SIZE)
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
    async with client(server, concurrency) as http:
        lists = await asyncio.gather(*(fetch_list(http, gate, path) for path in paths))
    return sum(len(items) for items in lists)


def bulk_paths(server: Server) -> list[str]:
    provider = f"marketplace-service-providers/{server.service_provider}/"
    return ["users/", f"{provider}project_permissions/"]
