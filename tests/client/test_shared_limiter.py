"""One limiter for the whole client: concurrent calls share ``max_concurrency``."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from puhuri_async import PuhuriClient
from puhuri_async.testing import FakeData, FakePuhuri

from .conftest import TOKEN, ContractCheckingTransport

pytestmark = pytest.mark.asyncio


def crowding_fake() -> FakePuhuri:
    """A fake whose every answer takes a few turns of the event loop (no real waiting), so
    all the requests the client lets through at once are in flight together."""

    async def pause(_: float) -> None:
        for _ in range(10):
            await asyncio.sleep(0)

    return FakePuhuri(FakeData.generate(users=120, seed=5), token=TOKEN, latency=1.0, sleep=pause)


async def test_two_lists_share_one_limiter() -> None:
    fake = crowding_fake()
    sp = fake.data.service_provider["uuid"]
    transport = ContractCheckingTransport(fake.transport())
    async with PuhuriClient(
        fake.base_url, TOKEN, transport=transport, max_concurrency=3, page_size=5
    ) as client:
        users, permissions = await asyncio.gather(
            client.list_users(), client.list_service_provider_project_permissions(sp)
        )
    assert len(users) == len(fake.data.users)
    assert len(permissions) == len(fake.data.permissions)
    user_pages = fake.requests_for("GET", "users/")
    permission_pages = fake.requests_for("GET", f"marketplace-service-providers/{sp}/*")
    assert len(user_pages) == 24  # many pages each
    assert len(permission_pages) >= 20
    assert fake.max_in_flight == 3  # never more, over both lists together
    # the two lists were fetched at the same time, not one after the other
    order = [r.path == "/api/users/" for r in fake.requests]
    switches = sum(a != b for a, b in itertools.pairwise(order))
    assert switches > 2
