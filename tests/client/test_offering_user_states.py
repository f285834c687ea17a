"""Offering users: the list, one read, PATCH, DELETE and the eight state transitions."""

from __future__ import annotations

from typing import Any

import pytest

from puhuri_async import (
    ActionResult,
    InvalidArgumentError,
    NotFoundError,
    OfferingUser,
    PermissionDeniedError,
    PuhuriClient,
    PuhuriError,
    ValidationError,
)
from puhuri_async.testing import FakeData, FakePuhuri

pytestmark = pytest.mark.asyncio


def account_in(fake: FakePuhuri, state: str) -> dict[str, Any]:
    return next(a for a in fake.data.offering_users if a["state"] == state)


def state_of(fake: FakePuhuri, uuid: str) -> str:
    return str(fake.data.get("offering_users", uuid)["state"])


async def test_list_every_offering_user(client: PuhuriClient, fake: FakePuhuri) -> None:
    accounts = await client.list_remote_offering_users()
    assert all(isinstance(a, OfferingUser) for a in accounts)
    assert sorted(a.uuid for a in accounts) == sorted(a["uuid"] for a in fake.data.offering_users)
    assert fake.requests[0].path == "/api/marketplace-offering-users/"


async def test_list_by_state_and_offering(client: PuhuriClient, fake: FakePuhuri) -> None:
    offering = fake.data.offering_users[0]["offering_uuid"]
    found = await client.list_remote_offering_users(
        {"offering_uuid": offering}, state=["OK", "Requested"]
    )
    expected = [
        a["uuid"]
        for a in fake.data.offering_users
        if a["offering_uuid"] == offering and a["state"] in ("OK", "Requested")
    ]
    assert sorted(a.uuid for a in found) == sorted(expected)
    request = fake.requests[0]
    assert request.param("state") == ["OK", "Requested"]
    assert request.param("offering_uuid") == [offering]


async def test_iter_streams_the_same_accounts(client: PuhuriClient, fake: FakePuhuri) -> None:
    streamed = [a.uuid async for a in client.iter_remote_offering_users(state="OK")]
    expected = [a["uuid"] for a in fake.data.offering_users if a["state"] == "OK"]
    assert sorted(streamed) == sorted(expected)


async def test_get_offering_user(client: PuhuriClient, fake: FakePuhuri) -> None:
    expected = account_in(fake, "Requested")
    account = await client.get_offering_user(expected["uuid"])
    assert (account.uuid, account.username, account.state) == (
        expected["uuid"],
        expected["username"],
        "Requested",
    )
    assert fake.requests[0].path == f"/api/marketplace-offering-users/{expected['uuid']}/"


async def test_update_offering_user_patches_the_username(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    uuid = account_in(fake, "OK")["uuid"]
    account = await client.update_offering_user(uuid, "jdoe_site")
    assert isinstance(account, OfferingUser)
    assert account.username == "jdoe_site"
    assert fake.data.get("offering_users", uuid)["username"] == "jdoe_site"
    (request,) = fake.requests
    assert (request.method, request.path) == ("PATCH", f"/api/marketplace-offering-users/{uuid}/")
    assert request.json == {"username": "jdoe_site"}


@pytest.mark.parametrize("username", ["", "   ", "x" * 101, None, 7])
async def test_update_refuses_a_bad_username(
    client: PuhuriClient, fake: FakePuhuri, username: Any
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.update_offering_user(account_in(fake, "OK")["uuid"], username)
    assert caught.value.argument == "username"
    assert fake.requests == []


async def test_delete_offering_user(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = account_in(fake, "Deleted")["uuid"]
    assert await client.delete_offering_user(uuid) is None
    assert fake.data.get("offering_users", uuid) is None
    (request,) = fake.requests
    assert (request.method, request.json) == ("DELETE", None)
    with pytest.raises(NotFoundError):
        await client.delete_offering_user(uuid)


async def test_delete_offering_user_by_its_url_as_waldur_client_takes_it(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    account = account_in(fake, "Deleted")
    uuid = account["uuid"]
    dashed = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}".upper()
    await client.delete_offering_user(account["url"].replace(uuid, dashed))
    assert fake.data.get("offering_users", account["uuid"]) is None
    assert fake.requests[0].path == f"/api/marketplace-offering-users/{account['uuid']}/"


async def test_walk_a_requested_account_to_ok(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = account_in(fake, "Requested")["uuid"]
    result = await client.marketplace_offering_user_begin_creating(uuid)
    assert isinstance(result, ActionResult)
    assert result.to_dict() == {}
    assert state_of(fake, uuid) == "Creating"
    await client.marketplace_offering_user_set_ok(uuid)
    assert state_of(fake, uuid) == "OK"
    assert (await client.get_offering_user(uuid)).state == "OK"
    # The first transition asks what the server is (``version/``) first: only the POSTs here.
    paths = [(r.method, r.path, r.json) for r in fake.requests_for("POST")]
    assert paths == [
        ("POST", f"/api/marketplace-offering-users/{uuid}/begin_creating/", None),
        ("POST", f"/api/marketplace-offering-users/{uuid}/set_ok/", None),
    ]


async def test_a_wrong_transition_is_the_server_s_400(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    uuid = account_in(fake, "OK")["uuid"]
    with pytest.raises(ValidationError) as caught:
        await client.marketplace_offering_user_set_deleted(uuid)
    assert caught.value.status_code == 400
    assert "Deleting" in caught.value.detail
    assert state_of(fake, uuid) == "OK"
    assert len(fake.requests_for("POST")) == 1


async def test_pending_linking_keeps_the_comment_then_validation_completes(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    uuid = account_in(fake, "Creating")["uuid"]
    await client.marketplace_offering_user_set_pending_account_linking(
        uuid, comment="Link your account", comment_url="https://id.example.org/link"
    )
    stored = fake.data.get("offering_users", uuid)
    assert stored["state"] == "Pending account linking"
    assert stored["service_provider_comment"] == "Link your account"
    assert stored["service_provider_comment_url"] == "https://id.example.org/link"
    posts = fake.requests_for("POST")
    assert posts[0].json == {
        "comment": "Link your account",
        "comment_url": "https://id.example.org/link",
    }
    await client.marketplace_offering_user_set_pending_additional_validation(uuid)
    assert fake.requests_for("POST")[1].json == {}
    assert state_of(fake, uuid) == "Pending additional validation"
    await client.marketplace_offering_user_set_validation_complete(uuid)
    assert (state_of(fake, uuid), stored["service_provider_comment"]) == ("OK", "")


async def test_error_creating_then_again(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = account_in(fake, "Creating")["uuid"]
    await client.marketplace_offering_user_set_error_creating(uuid)
    assert state_of(fake, uuid) == "Error creating"
    await client.marketplace_offering_user_begin_creating(uuid)
    assert state_of(fake, uuid) == "Creating"


async def test_deleting_then_deleted(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = account_in(fake, "Requested deletion")["uuid"]
    await client.marketplace_offering_user_set_deleting(uuid)
    assert state_of(fake, uuid) == "Deleting"
    await client.marketplace_offering_user_set_deleted(uuid)
    assert state_of(fake, uuid) == "Deleted"


@pytest.mark.parametrize("url", ["ftp://x.example.org/", "id.example.org/link", ""])
async def test_a_comment_url_must_be_http(client: PuhuriClient, fake: FakePuhuri, url: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.marketplace_offering_user_set_pending_account_linking(
            account_in(fake, "Creating")["uuid"], comment_url=url
        )
    assert caught.value.argument == "comment_url"
    assert fake.requests == []


async def test_the_owner_walks_its_accounts_others_may_not(fake: FakePuhuri) -> None:
    uuid = account_in(fake, "Requested")["uuid"]
    async with PuhuriClient(fake.base_url, "other-owner-token", transport=fake.transport()) as c:
        with pytest.raises(NotFoundError):
            await c.marketplace_offering_user_begin_creating(uuid)
    async with PuhuriClient(fake.base_url, "owner-token", transport=fake.transport()) as c:
        await c.marketplace_offering_user_begin_creating(uuid)
    assert state_of(fake, uuid) == "Creating"


async def test_a_member_may_read_its_account_but_not_move_it(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    member = fake.data.accounts["member"]["uuid"]
    made = await client.create_remote_offering_user(fake.data.offerings[0]["uuid"], member, "m1")
    fake.data.get("offering_users", made.uuid)["state"] = "Requested"
    async with PuhuriClient(fake.base_url, "member-token", transport=fake.transport()) as c:
        seen = await c.list_remote_offering_users()
        assert made.uuid in [a.uuid for a in seen]
        assert all(a.user_uuid == member for a in seen)
        with pytest.raises(PermissionDeniedError):
            await c.marketplace_offering_user_set_ok(made.uuid)
    assert state_of(fake, made.uuid) == "Requested"  # the 403 came before any change


async def test_7_0_has_no_states_and_no_transitions() -> None:
    fake = FakePuhuri(FakeData.generate(users=10, seed=3), profile="7.0")
    async with PuhuriClient(fake.base_url, "test-token", transport=fake.transport()) as client:
        accounts = await client.list_remote_offering_users()
        assert accounts
        assert all(a.state is None for a in accounts)
        with pytest.raises(PuhuriError):
            await client.marketplace_offering_user_set_ok(accounts[0].uuid)
        renamed = await client.update_offering_user(accounts[0].uuid, "kept-on-7")
    assert renamed.username == "kept-on-7"
