"""DRF's OPTIONS answers: for every role, the fields of the viewset's serializer, per profile."""

from __future__ import annotations

import pytest

from puhuri_async.testing import DEFAULT_TOKENS, FakeData, FakePuhuri

from ._util import client_as

pytestmark = pytest.mark.anyio

STAFF = "test-token-123"
TOKENS = [STAFF, *DEFAULT_TOKENS]


def make(profile: str) -> FakePuhuri:
    return FakePuhuri(FakeData.generate(users=10, seed=2), token=STAFF, profile=profile)


def writable(answer: dict) -> set[str]:
    return {name for name, info in answer["actions"]["POST"].items() if not info["read_only"]}


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("profile", ["7.0", "8.0"])
async def test_every_role_sees_the_post_fields(profile: str, token: str) -> None:
    fake = make(profile)
    order = fake.data.orders[0]["uuid"]
    async with client_as(fake, token) as client:
        usage = await client.options("marketplace-component-usages/set_usage/")
        reject = await client.options(f"marketplace-orders/{order}/reject_by_provider/")
        unseen = await client.options(f"marketplace-orders/{'f' * 32}/set_state_done/")
    assert usage.status_code == reject.status_code == unseen.status_code == 200
    assert usage.headers["allow"] == "POST, OPTIONS"
    body = usage.json()
    assert body["name"] == "Set usage"
    assert body["renders"] == ["application/json", "text/html"]
    assert "multipart/form-data" in body["parses"]
    # The viewset's serializer (ComponentUsage), not the action's body: date is listed on 7.0.7
    # too, whose set_usage drops it.
    assert {"date", "description", "recurring"} <= writable(body)
    assert "usages" not in body["actions"]["POST"]
    assert "provider_rejection_comment" not in writable(reject.json())
    assert reject.json()["name"] == "Reject by provider"


async def test_7_fields_are_the_measured_ones() -> None:
    async with client_as(make("7.0"), "owner-token") as client:
        answer = (await client.options("marketplace-component-usages/set_usage/")).json()
    fields = answer["actions"]["POST"]
    assert fields["date"] == {
        "type": "datetime",
        "required": True,
        "read_only": False,
        "label": "Date",
    }
    assert writable(answer) == {
        "description",
        "usage",
        "date",
        "recurring",
        "billing_period",
        "modified_by",
    }


async def test_lists_and_reads() -> None:
    fake = make("8.0")
    async with client_as(fake, "owner-token") as owner:
        orders = await owner.options("marketplace-orders/")
        me = await owner.options("users/me/")
        users = await owner.options("users/")
        version = await owner.options("version/")
    assert (orders.json()["name"], orders.headers["allow"]) == ("Order List", "GET, HEAD, OPTIONS")
    assert "actions" not in orders.json()  # the fake serves no POST there
    assert me.json()["name"] == "Me"
    assert "actions" not in me.json()
    assert users.json()["name"] == "User List"
    assert version.status_code == 403
    async with client_as(fake, STAFF) as staff:
        assert (await staff.options("version/")).json()["name"] == "Version Detail"
        accounts = await staff.options("marketplace-offering-users/")
    assert {"user", "offering", "username"} <= writable(accounts.json())


async def test_options_needs_a_token() -> None:
    fake = make("8.0")
    async with client_as(fake, "wrong") as client:
        assert (await client.options("marketplace-orders/")).status_code == 401


async def test_options_probes_what_a_version_has() -> None:
    for profile, status in (("7.0", 404), ("8.0", 200)):
        fake = make(profile)
        resource = fake.data.resources[0]["uuid"]
        async with client_as(fake, "member-token") as client:
            probe = await client.options(f"marketplace-provider-resources/{resource}/set_limits/")
        assert probe.status_code == status, profile
