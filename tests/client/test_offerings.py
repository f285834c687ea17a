"""get_marketplace_offering (and its later name, get_marketplace_provider_offering)."""

from __future__ import annotations

import pytest

from puhuri_async import InvalidArgumentError, NotFoundError, Offering, PuhuriClient
from puhuri_async.testing import FakePuhuri

pytestmark = pytest.mark.asyncio


async def test_get_offering_with_components(client: PuhuriClient, fake: FakePuhuri) -> None:
    wanted = fake.data.offerings[0]
    offering = await client.get_marketplace_offering(wanted["uuid"])
    assert isinstance(offering, Offering)
    assert offering.uuid == wanted["uuid"]
    types = [component["type"] for component in offering["components"]]
    assert types == [component.type for component in offering.components]
    assert types == [c["type"] for c in wanted["components"]]
    assert offering.to_dict() == wanted


async def test_alias_gives_the_same(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = fake.data.offerings[1]["uuid"]
    assert await client.get_marketplace_provider_offering(uuid) == (
        await client.get_marketplace_offering(uuid)
    )


async def test_unknown_offering_is_not_found(client: PuhuriClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.get_marketplace_offering("0" * 32)
    assert caught.value.status_code == 404
    assert "get_marketplace_offering" in str(caught.value)


async def test_bad_offering_uuid(client: PuhuriClient, fake: FakePuhuri) -> None:
    with pytest.raises(InvalidArgumentError, match="offering_uuid"):
        await client.get_marketplace_offering("offering-1")
    assert fake.requests == []
