"""create_remote_offering_user and set_offerings_username."""

from __future__ import annotations

import pytest

from puhuri_async import ActionResult, OfferingUser, PuhuriClient, ValidationError
from puhuri_async.testing import FakePuhuri

pytestmark = pytest.mark.asyncio


def new_pair(fake: FakePuhuri) -> tuple[str, str]:
    """An offering and a user who has no account on it yet."""
    offering = fake.data.offerings[0]["uuid"]
    taken = {o["user_uuid"] for o in fake.data.offering_users if o["offering_uuid"] == offering}
    user = next(u["uuid"] for u in fake.data.users if u["uuid"] not in taken)
    return offering, user


async def test_uuids_are_sent_as_api_urls(client: PuhuriClient, fake: FakePuhuri) -> None:
    offering, user = new_pair(fake)
    created = await client.create_remote_offering_user(offering, user, username="abc")
    assert isinstance(created, OfferingUser)
    assert (created.offering_uuid, created.user_uuid, created.username) == (offering, user, "abc")
    (request,) = fake.requests
    assert (request.method, request.path, request.query) == (
        "POST",
        "/api/marketplace-offering-users/",
        (),
    )
    assert request.status == 201
    assert request.json == {
        "offering": f"{fake.base_url}marketplace-provider-offerings/{offering}/",
        "user": f"{fake.base_url}users/{user}/",
        "username": "abc",
    }


async def test_urls_on_the_api_origin_are_kept(client: PuhuriClient, fake: FakePuhuri) -> None:
    offering, user = new_pair(fake)
    offering_url = f"{fake.base_url}marketplace-provider-offerings/{offering.upper()}"
    user_url = f"{fake.base_url}users/{user}/"
    created = await client.create_remote_offering_user(offering=offering_url, user=user_url)
    assert created.user_uuid == user
    assert fake.requests[0].json == {
        "offering": f"{fake.base_url}marketplace-provider-offerings/{offering}/",
        "user": user_url,
    }  # no username: the server picks one


async def test_duplicate_is_the_servers_validation_error(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    existing = fake.data.offering_users[0]
    with pytest.raises(ValidationError) as caught:
        await client.create_remote_offering_user(existing["offering_uuid"], existing["user_uuid"])
    assert caught.value.status_code == 400
    assert len(fake.requests) == 1


async def test_set_offerings_username(client: PuhuriClient, fake: FakePuhuri) -> None:
    sp = fake.data.service_provider["uuid"]
    user = fake.data.permissions[0]["user_uuid"]
    result = await client.set_offerings_username(
        service_provider_uuid=sp, user_uuid=user.upper(), username="jdoe"
    )
    assert isinstance(result, ActionResult)
    assert result["detail"] == "Offering users have been set."
    (request,) = fake.requests
    assert request.method == "POST"
    assert request.path == f"/api/marketplace-service-providers/{sp}/set_offerings_username/"
    assert request.json == {"user_uuid": user, "username": "jdoe"}
    accounts = [o for o in fake.data.offering_users if o["user_uuid"] == user]
    assert accounts
    assert {o["username"] for o in accounts} == {"jdoe"}
