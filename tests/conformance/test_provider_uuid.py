"""``provider_uuid`` is the provider's customer uuid: a ServiceProvider uuid is translated."""

from __future__ import annotations

import pytest

from puhuri_async import PuhuriClient, SyncPuhuriClient
from puhuri_async.testing import FakeData, FakePuhuri

OWNER = "owner-token"


def make_fake() -> FakePuhuri:
    return FakePuhuri(FakeData.generate(users=20, orders=15, seed=6), profile="7.0")


def lookups(fake: FakePuhuri) -> int:
    return len(fake.requests_for("GET", "marketplace-service-providers/*/"))


@pytest.mark.asyncio
async def test_orders_and_resources_by_service_provider_uuid() -> None:
    fake = make_fake()
    sp = fake.data.service_provider
    customer = sp["customer_uuid"]
    orders = {o["uuid"] for o in fake.data.orders if o["provider_uuid"] == customer}
    resources = {r["uuid"] for r in fake.data.resources if r["provider_uuid"] == customer}
    assert orders
    assert resources
    async with PuhuriClient(fake.base_url, OWNER, transport=fake.transport()) as client:
        assert {o.uuid for o in await client.list_orders(provider_uuid=sp["uuid"])} == orders
        found = await client.list_marketplace_resources(provider_uuid=sp["uuid"])
        assert {r.uuid for r in found} == resources
        streamed = [o.uuid async for o in client.iter_orders(provider_uuid=sp["uuid"])]
        assert set(streamed) == orders
        # The customer's uuid (what the filter compares) works as before.
        by_customer = await client.list_orders(provider_uuid=customer)
        assert {o.uuid for o in by_customer} == orders
    sent = [dict(r.query).get("provider_uuid") for r in fake.requests_for("GET", "*orders/")]
    assert set(sent) == {customer}
    assert lookups(fake) == 2  # once per uuid and client: the provider's, then the customer's


def test_sync_orders_by_service_provider_uuid() -> None:
    fake = make_fake()
    sp = fake.data.service_provider
    expected = {o["uuid"] for o in fake.data.orders if o["provider_uuid"] == sp["customer_uuid"]}
    with SyncPuhuriClient(fake.base_url, OWNER, transport=fake.transport()) as client:
        assert {o.uuid for o in client.list_orders(provider_uuid=sp["uuid"])} == expected
