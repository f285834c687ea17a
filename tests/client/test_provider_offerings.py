"""list_marketplace_provider_offerings / iter_ and get_marketplace_provider_offering."""

from __future__ import annotations

import pytest
from _requests import sent

from puhuri_async import InvalidArgumentError, Offering, PuhuriClient
from puhuri_async.testing import FakePuhuri

pytestmark = pytest.mark.asyncio


async def test_list_every_offering(client: PuhuriClient, fake: FakePuhuri) -> None:
    offerings = await client.list_marketplace_provider_offerings()
    assert all(isinstance(o, Offering) for o in offerings)
    assert sorted(o.uuid for o in offerings) == sorted(o["uuid"] for o in fake.data.offerings)
    (request,) = sent(fake)
    assert (request.method, request.path) == ("GET", "/api/marketplace-provider-offerings/")


async def test_filter_as_waldur_client_does(client: PuhuriClient, fake: FakePuhuri) -> None:
    customer = fake.data.customer["uuid"]
    offerings = await client.list_marketplace_provider_offerings(
        {"customer_uuid": customer, "state": "Active"}
    )
    expected = [
        o["uuid"]
        for o in fake.data.offerings
        if o["customer_uuid"] == customer and o["state"] == "Active"
    ]
    assert expected
    assert sorted(o.uuid for o in offerings) == sorted(expected)
    assert fake.requests[0].param("customer_uuid") == [customer]
    assert fake.requests[0].param("state") == ["Active"]


async def test_iter_and_get_agree(client: PuhuriClient, fake: FakePuhuri) -> None:
    streamed = [o async for o in client.iter_marketplace_provider_offerings()]
    one = await client.get_marketplace_provider_offering(streamed[0].uuid)
    assert one.to_dict() == streamed[0].to_dict()
    assert [c.type for c in one.components] == [
        c["type"] for c in fake.data.get("offerings", one.uuid)["components"]
    ]


async def test_a_state_the_schema_does_not_know_is_refused(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.list_marketplace_provider_offerings(state="active")
    assert caught.value.argument == "state"
    assert fake.requests == []


@pytest.mark.parametrize(
    ("token", "count"), [("owner-token", 3), ("other-owner-token", 0), ("member-token", 0)]
)
async def test_each_provider_sees_its_own_offerings(
    fake: FakePuhuri, token: str, count: int
) -> None:
    own = sorted(o["uuid"] for o in fake.data.offerings)
    assert len(own) == 3  # all three belong to the provider the owner token owns
    async with PuhuriClient(fake.base_url, token, transport=fake.transport()) as c:
        seen = sorted(o.uuid for o in await c.list_marketplace_provider_offerings())
    assert seen == (own if count else [])
