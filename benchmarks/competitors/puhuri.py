"""puhuri-async: the async ``PuhuriClient`` (and the sync facade, once it is installed).

``stack`` says which httpx transport the client sends with: ``default`` (what a user gets:
the client chooses), ``httpx`` (httpx's own transport) or ``aiohttp`` (the aiohttp-backed
transport of ``puhuri_async._transports``), so the two stacks can be compared in one run.
"""

from __future__ import annotations

import asyncio
import importlib.util
from typing import Any

import httpx

from benchmarks.competitors.raw_httpx import tls_context
from benchmarks.harness import Server
from puhuri_async import PuhuriClient

__all__ = [
    "STACKS",
    "aiohttp_available",
    "bulk",
    "bulk_read_again",
    "client",
    "pin",
    "ssh_keys",
    "sync_client_class",
]

STACKS = ("default", "httpx", "aiohttp")
TIMEOUT: float | None = None
"""Seconds for every phase of a request, when set (under callgrind the client runs some 50
times slower than the server expects); ``None``: the client's defaults."""


def aiohttp_available() -> bool:
    """Whether aiohttp and the transport over it can be imported."""
    return (
        importlib.util.find_spec("aiohttp") is not None
        and importlib.util.find_spec("puhuri_async._transports") is not None
    )


def http_transport(stack: str, concurrency: int) -> httpx.AsyncBaseTransport | None:
    """The httpx transport for ``stack`` (``None``: the client's own choice)."""
    if stack == "default":
        return None
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    if stack == "httpx":
        return httpx.AsyncHTTPTransport(verify=tls_context(), limits=limits)
    if stack == "aiohttp":
        from puhuri_async._transports._aiohttp import AiohttpTransport

        return AiohttpTransport(verify=tls_context(), limits=limits)
    raise ValueError(f"unknown stack {stack!r}; choose from {STACKS}")


def client(server: Server, concurrency: int = 16, stack: str = "default") -> PuhuriClient:
    if TIMEOUT is None:
        return PuhuriClient(
            server.url,
            server.token,
            max_concurrency=concurrency,
            transport=http_transport(stack, concurrency),
        )
    return PuhuriClient(
        server.url,
        server.token,
        max_concurrency=concurrency,
        transport=http_transport(stack, concurrency),
        timeout=TIMEOUT,
    )


def pin(puhuri: PuhuriClient) -> PuhuriClient:
    """``puhuri`` with a fixed concurrency: its pacer held at ``max_concurrency`` (as before
    the client adapted it; for paired runs of the pacer against fixed levels)."""
    from puhuri_async._adaptive import learned

    learned(puhuri._transport, puhuri.max_concurrency).pacer.adaptive = False
    return puhuri


async def bulk_fetch(puhuri: PuhuriClient, server: Server) -> list[list[Any]]:
    """The two bulk lists, fetched at once."""
    return list(
        await asyncio.gather(
            puhuri.list_users(),
            puhuri.list_service_provider_project_permissions(server.service_provider),
        )
    )


async def _bulk_lists(puhuri: PuhuriClient, server: Server) -> int:
    return sum(map(len, await bulk_fetch(puhuri, server)))


async def bulk(
    server: Server, concurrency: int = 16, stack: str = "default", *, fixed: bool = False
) -> int:
    """The bulk lists on a fresh client (``fixed``: at ``concurrency`` throughout)."""
    async with client(server, concurrency, stack) as puhuri:
        return await _bulk_lists(pin(puhuri) if fixed else puhuri, server)


async def bulk_read_again(
    server: Server, concurrency: int = 16, *, fixed: bool = False
) -> tuple[int, float, float]:
    """The bulk lists read twice on one client; the items, wall and CPU seconds of the second
    read (the client remembers each list's count from the first: the sizes are foreseen).

    Both reads' items are kept until the second is timed: dropped before it, the 40,000 models
    of the first would be freed in its first milliseconds (their tasks let go of them only as
    the event loop runs on), 40-60 ms that are no part of reading; the time is the read's."""
    import time

    async with client(server, concurrency) as puhuri:
        if fixed:
            pin(puhuri)
        first = await bulk_fetch(puhuri, server)
        cpu0, t0 = time.process_time(), time.perf_counter()
        second = await bulk_fetch(puhuri, server)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        items = sum(map(len, second))
        del first, second
        return items, seconds, cpu


async def ssh_keys(server: Server, concurrency: int = 16, stack: str = "default") -> int:
    async with client(server, concurrency, stack) as puhuri:
        return len(await puhuri.list_ssh_keys())


def sync_client_class() -> Any | None:
    """``SyncPuhuriClient`` if this version of puhuri-async has it, else ``None``."""
    import puhuri_async

    found = getattr(puhuri_async, "SyncPuhuriClient", None)
    if found is None:
        try:
            from puhuri_async import sync
        except ImportError:
            return None
        found = getattr(sync, "SyncPuhuriClient", None)
    return found
