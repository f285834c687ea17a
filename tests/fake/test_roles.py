"""Who sees what and who may do what: staff, support, the provider's owner, another provider's
owner and a project member, with 404 and 403 where the real server answers them."""

from __future__ import annotations

import httpx
import pytest

from puhuri_async.testing import DEFAULT_TOKENS, FakeData, FakePuhuri

from ._util import client_as

pytestmark = pytest.mark.anyio

STAFF = "staff-token-1"


@pytest.fixture
def fake() -> FakePuhuri:
    return FakePuhuri(FakeData.generate(users=30, seed=6), token=STAFF)


async def get(fake: FakePuhuri, token: str, path: str, **params: object) -> httpx.Response:
    async with client_as(fake, token) as client:
        return await client.get(path, params={"page_size": 300, **params})


async def post(fake: FakePuhuri, token: str, path: str, body: object = None) -> httpx.Response:
    async with client_as(fake, token) as client:
        return await client.post(path, json=body if body is not None else {})


def test_default_tokens_and_accounts(fake: FakePuhuri) -> None:
    assert fake.tokens == DEFAULT_TOKENS
    assert set(fake.data.accounts) == {"staff", "support", "owner", "other_owner", "member"}
    listed = {u["uuid"] for u in fake.data.users}
    assert not listed & {u["uuid"] for u in fake.data.accounts.values()}
    with pytest.raises(ValueError, match="unknown role 'admin'"):
        FakePuhuri(tokens={"t": "admin"})


async def test_unknown_token_is_refused(fake: FakePuhuri) -> None:
    response = await get(fake, "nobody-has-this", "users/")
    assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})


@pytest.mark.parametrize(
    ("token", "status"),
    [(STAFF, 200), ("support-token", 200), ("owner-token", 403), ("member-token", 403)],
)
async def test_version_is_for_staff_and_support(fake: FakePuhuri, token: str, status: int) -> None:
    response = await get(fake, token, "version/")
    assert response.status_code == status
    if status == 403:
        assert response.json() == {"detail": "You do not have permission to perform this action."}


async def test_users_me_is_the_caller_with_its_token(fake: FakePuhuri) -> None:
    for token, role in [(STAFF, "staff"), *DEFAULT_TOKENS.items()]:
        me = (await get(fake, token, "users/me/")).json()
        assert me["uuid"] == fake.data.accounts[role]["uuid"]
        assert me["token"] == token
    other = fake.data.accounts["owner"]["uuid"]
    staff_view = (await get(fake, STAFF, f"users/{other}/")).json()
    assert "token" not in staff_view
    assert staff_view["is_active"] is True


async def test_users_hide_staff_fields_and_strangers_from_non_staff(fake: FakePuhuri) -> None:
    staff = await get(fake, STAFF, "users/")
    assert int(staff.headers["X-Result-Count"]) == len(fake.data.users)
    assert "is_staff" in staff.json()[0]
    owner = await get(fake, "owner-token", "users/")
    assert owner.json()
    for user in owner.json():
        assert not {"is_active", "is_staff", "is_support", "description"} & set(user)
    in_projects = {p["user_uuid"] for p in fake.data.permissions}
    me = fake.data.accounts["owner"]["uuid"]
    assert me in {u["uuid"] for u in owner.json()}  # a user always sees itself
    assert {u["uuid"] for u in owner.json()} - {me} <= in_projects
    member = await get(fake, "member-token", "users/")
    project = fake.data.member_projects[0]
    mates = {p["user_uuid"] for p in fake.data.permissions if p["project_uuid"] == project}
    itself = fake.data.accounts["member"]["uuid"]
    assert {u["uuid"] for u in member.json()} == mates | {itself}
    other = await get(fake, "other-owner-token", "users/")
    assert [u["uuid"] for u in other.json()] == [fake.data.accounts["other_owner"]["uuid"]]
    stranger = next(u for u in fake.data.users if u["uuid"] not in mates)
    assert (await get(fake, "member-token", f"users/{stranger['uuid']}/")).status_code == 404
    support = await get(fake, "support-token", "users/")
    assert "is_staff" in support.json()[0]


async def test_keys_of_non_staff_are_their_own(fake: FakePuhuri) -> None:
    assert (await get(fake, "owner-token", "keys/")).json() == []
    owner = fake.data.accounts["owner"]
    fake.data.add_ssh_key(user=owner)
    mine = (await get(fake, "owner-token", "keys/")).json()
    assert [k["user_uuid"] for k in mine] == [owner["uuid"]]
    everyone = await get(fake, STAFF, "keys/")
    assert int(everyone.headers["X-Result-Count"]) == len(fake.data.ssh_keys)


async def test_orders_are_the_providers_and_the_consumers(fake: FakePuhuri) -> None:
    orders = fake.data.orders
    owner = await get(fake, "owner-token", "marketplace-orders/")
    assert int(owner.headers["X-Result-Count"]) == len(orders)
    other = await get(fake, "other-owner-token", "marketplace-orders/")
    assert other.json() == []
    assert (
        await get(fake, "other-owner-token", f"marketplace-orders/{orders[0]['uuid']}/")
    ).status_code == 404
    member = await get(fake, "member-token", "marketplace-orders/")
    project = fake.data.member_projects[0]
    assert {o["uuid"] for o in member.json()} == {
        o["uuid"] for o in orders if o["project_uuid"] == project
    }


async def test_provider_lists_are_the_providers(fake: FakePuhuri) -> None:
    for path in ("marketplace-provider-resources/", "marketplace-provider-offerings/"):
        owner = await get(fake, "owner-token", path)
        assert int(owner.headers["X-Result-Count"]) > 0
        for token in ("other-owner-token", "member-token"):
            assert (await get(fake, token, path)).json() == [], (path, token)
    resource = fake.data.resources[0]
    path = f"marketplace-provider-resources/{resource['uuid']}/"
    assert (await get(fake, "member-token", path)).status_code == 404
    consumer = await get(fake, "owner-token", "marketplace-resources/")
    assert consumer.json() == []  # the provider's owner is no consumer of its own resources


async def test_provider_sub_lists_need_the_owner(fake: FakePuhuri) -> None:
    sp = fake.data.service_provider["uuid"]
    for sub in ("users/", "keys/", "projects/", "project_permissions/"):
        path = f"marketplace-service-providers/{sp}/{sub}"
        assert (await get(fake, "owner-token", path)).status_code == 200
        for token in ("other-owner-token", "member-token", "support-token"):
            response = await get(fake, token, path)
            assert response.status_code == 403, (sub, token)
    other_sp = fake.data.other_service_provider["uuid"]
    own = await get(fake, "other-owner-token", f"marketplace-service-providers/{other_sp}/users/")
    assert (own.status_code, own.json()) == (200, [])


async def test_offering_users_are_the_providers(fake: FakePuhuri) -> None:
    owner = await get(fake, "owner-token", "marketplace-offering-users/")
    assert int(owner.headers["X-Result-Count"]) == len(fake.data.offering_users)
    for token in ("other-owner-token", "member-token"):
        assert (await get(fake, token, "marketplace-offering-users/")).json() == []


async def test_cancel_is_the_consumers_action(fake: FakePuhuri) -> None:
    order = next(o for o in fake.data.orders if o["state"] == "pending-consumer")
    path = f"marketplace-orders/{order['uuid']}/cancel/"
    response = await post(fake, "owner-token", path)
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You do not have permission to perform this action."},
    )
    assert order["state"] == "pending-consumer"
    assert (await post(fake, STAFF, path)).status_code == 202


async def test_approval_needs_the_provider_and_sight_comes_first(fake: FakePuhuri) -> None:
    project = fake.data.member_projects[0]
    order = next(
        o
        for o in fake.data.orders
        if o["state"] == "pending-provider" and o["project_uuid"] == project
    )
    path = f"marketplace-orders/{order['uuid']}/approve_by_provider/"
    assert (await post(fake, "other-owner-token", path)).status_code == 404
    assert (await post(fake, "member-token", path)).status_code == 403
    assert (await post(fake, "support-token", path)).status_code == 403
    assert order["state"] == "pending-provider"
    assert (await post(fake, "owner-token", path)).status_code == 200
    assert order["state"] == "executing"


async def test_reporting_usage_needs_the_provider(fake: FakePuhuri) -> None:
    resource = next(r for r in fake.data.resources if r["state"] == "OK")
    body = {"resource": resource["uuid"], "usages": [{"type": "cpu", "amount": "1.00"}]}
    path = "marketplace-component-usages/set_usage/"
    assert (await post(fake, "member-token", path, body)).status_code == 403
    assert (await post(fake, "member-token", path, {"usages": []})).status_code == 400  # body first
    assert (await post(fake, "owner-token", path, body)).status_code == 201
    usages = await get(fake, "member-token", "marketplace-component-usages/")
    assert int(usages.headers["X-Result-Count"]) == len(fake.data.component_usages)  # no filter


async def test_token_none_accepts_anyone_as_staff_unless_a_role_token() -> None:
    fake = FakePuhuri(FakeData.generate(users=5), token=None)
    async with httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url) as client:
        me = (await client.get("users/me/")).json()
    assert me["uuid"] == fake.data.accounts["staff"]["uuid"]
    member = (await get(fake, "member-token", "users/me/")).json()
    assert member["uuid"] == fake.data.accounts["member"]["uuid"]
