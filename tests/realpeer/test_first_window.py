"""The first window against a real Waldur: pages 1-4 asked for at once on a list's first read.

Waldur's pagination answers a page past the end ``404 {"detail": "Invalid page."}``: the client
must drop those pages without an error, keep the ones page 1's count covers, and on a second read
of the same list ask for its pages only. The items must be those read with page 1 alone first
(``users/``: its ordering, by username, is unique; ``keys/`` has none, see
``test_known_failures.py``).
"""

from __future__ import annotations

import asyncio

from puhuri_async import PuhuriClient

from ._peer import Raw, Settings


def test_the_first_window_drops_the_pages_past_the_end(settings: Settings, raw: Raw) -> None:
    provider = settings.uuid("provider_uuid")

    async def read() -> dict[str, object]:
        found: dict[str, object] = {}
        token = settings.token("staff")
        async with PuhuriClient(settings.url, token, timeout=settings.timeout) as client:
            projects = await client.list_service_provider_projects(provider)  # one page
            found["short"] = (len(projects), client.stats.requests, client.stats.errors)
            await client.list_service_provider_projects(provider)
            found["short again"] = client.stats.requests - 4
            before = client.stats.requests
            users = await client.list_users()  # pages 1-4 at once, then the rest
            found["users"] = [user.uuid for user in users]
            found["users asked"] = (client.stats.requests - before, client.stats.errors)
        async with PuhuriClient(settings.url, token, timeout=settings.timeout, first_window=1) as c:
            found["users alone"] = [user.uuid for user in await c.list_users()]
        return found

    found = asyncio.run(read())
    count = raw.count(f"marketplace-service-providers/{provider}/projects/")
    assert 0 < count <= 300, "the seed's provider has one page of projects"
    assert found["short"] == (count, 4, 0)  # pages 2-4 answered 404: dropped, no error
    assert found["short again"] == 1  # remembered: page 1 alone
    users = raw.count("users/")
    pages = -(-users // 300)
    assert pages > 4, "the seed has more than 1,200 users"
    assert found["users asked"] == (pages, 0)  # each page once
    assert found["users"] == found["users alone"]  # the same items in the same order
    assert len(set(found["users"])) == users  # type: ignore[call-overload]
