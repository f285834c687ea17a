"""puhuri-async: the async ``PuhuriClient`` (and the sync facade, once it is installed)."""

from __future__ import annotations

import asyncio
from typing import Any

from benchmarks.harness import Server
from puhuri_async import PuhuriClient


def client(server: Server, concurrency: int = 16) -> PuhuriClient:
    return PuhuriClient(server.url, server.token, max_concurrency=concurrency)


async def bulk(server: Server, concurrency: int = 16) -> int:
    async with client(server, concurrency) as puhuri:
        users, permissions = await asyncio.gather(
            puhuri.list_users(),
            puhuri.list_service_provider_project_permissions(server.service_provider),
        )
    return len(users) + len(permissions)


async def ssh_keys(server: Server, concurrency: int = 16) -> int:
    async with client(server, concurrency) as puhuri:
        return len(await puhuri.list_ssh_keys())


def sync_client_class() -> Any | None:
    """``SyncPuhuriClient`` if this version of puhuri-async has it, else ``None``."""
    try:
        from puhuri_async import SyncPuhuriClient
    except ImportError:
        try:
            from puhuri_async.sync import SyncPuhuriClient
        except ImportError:
            return None
    return SyncPuhuriClient
