"""get_current_user (``users/me/``) and get_user (``users/{uuid}/``), for each role."""

from __future__ import annotations

import pytest

from puhuri_async import InvalidArgumentError, NotFoundError, PuhuriClient, User
from puhuri_async.testing import FakePuhuri

from .conftest import TOKEN

pytestmark = pytest.mark.asyncio

ROLES = {
    TOKEN: "staff",
    "owner-token": "owner",
    "other-owner-token": "other_owner",
    "member-token": "member",
}


@pytest.mark.parametrize("token", sorted(ROLES))
async def test_get_current_user_is_the_token_s_user(fake: FakePuhuri, token: str) -> None:
    account = fake.data.accounts[ROLES[token]]
    async with PuhuriClient(fake.base_url, token, transport=fake.transport()) as client:
        me = await client.get_current_user()
    assert isinstance(me, User)
    assert (me.uuid, me.username) == (account["uuid"], account["username"])
    (request,) = fake.requests
    assert (request.method, request.path, request.query) == ("GET", "/api/users/me/", ())


async def test_get_current_user_through_the_contract(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    me = await client.get_current_user()
    assert me.is_staff is True
    assert me.uuid == fake.data.accounts["staff"]["uuid"]


async def test_get_user_reads_one_user(client: PuhuriClient, fake: FakePuhuri) -> None:
    expected = fake.data.users[5]
    dashed = (
        "-".join(
            (expected["uuid"][:8], expected["uuid"][8:12], expected["uuid"][12:16]),
        )
        + "-"
        + expected["uuid"][16:20]
        + "-"
        + expected["uuid"][20:]
    )
    user = await client.get_user(dashed)
    assert (user.uuid, user.username, user.email) == (
        expected["uuid"],
        expected["username"],
        expected["email"],
    )
    (request,) = fake.requests
    assert request.path == f"/api/users/{expected['uuid']}/"


async def test_get_user_refuses_a_name_before_any_request(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.get_user(fake.data.users[0]["username"])
    assert caught.value.argument == "user_uuid"
    assert fake.requests == []


async def test_another_provider_s_owner_sees_only_itself(fake: FakePuhuri) -> None:
    stranger = fake.data.users[0]["uuid"]
    own = fake.data.accounts["other_owner"]["uuid"]
    async with PuhuriClient(fake.base_url, "other-owner-token", transport=fake.transport()) as c:
        assert (await c.get_user(own)).uuid == own
        with pytest.raises(NotFoundError) as caught:
            await c.get_user(stranger)
    assert caught.value.operation == "get_user"
