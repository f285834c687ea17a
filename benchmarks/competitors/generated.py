"""waldur-api-client: the client generated from the OpenAPI schema (httpx, attrs models).

Its ``asyncio_all`` functions follow ``Link`` page by page (100 per page); lists are fetched
concurrently with ``asyncio.gather``, as its documentation suggests.
"""

from __future__ import annotations

import asyncio

from waldur_api_client import AuthenticatedClient
from waldur_api_client.api.keys import keys_list
from waldur_api_client.api.marketplace_service_providers import (
    marketplace_service_providers_project_permissions_list as permissions_list,
)
from waldur_api_client.api.users import users_list

from benchmarks.harness import Server


def _client(server: Server) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=server.origin, token=server.token)


async def bulk(server: Server) -> int:
    async with _client(server) as client:
        users, permissions = await asyncio.gather(
            users_list.asyncio_all(client=client),
            permissions_list.asyncio_all(server.service_provider, client=client),  # type: ignore[arg-type]
        )
    return len(users) + len(permissions)


async def ssh_keys(server: Server) -> int:
    async with _client(server) as client:
        return len(await keys_list.asyncio_all(client=client))
