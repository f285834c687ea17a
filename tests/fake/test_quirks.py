"""Real-server behaviours a client must survive, each switched on alone."""

from __future__ import annotations

import httpx
import pytest

from puhuri_async.testing import FakeData, FakePuhuri, Quirks

from ._util import client_for

pytestmark = pytest.mark.anyio


def keys_named_alike(count: int = 60, seed: int = 3) -> FakeData:
    data = FakeData.generate(users=count, seed=seed)
    for number, key in enumerate(data.ssh_keys):
        key["name"] = "id_rsa" if number % 5 else f"key-{number:03d}"
    data.touch("ssh_keys")
    return data


async def read_pages(client: httpx.AsyncClient, path: str, size: int) -> tuple[list[str], int]:
    seen: list[str] = []
    first = await client.get(path, params={"page_size": size})
    count = int(first.headers["X-Result-Count"])
    pages = -(-count // size)
    for number in range(1, pages + 1):
        page = await client.get(path, params={"page_size": size, "page": number})
        assert page.headers["X-Result-Count"] == str(count)
        seen += [key["uuid"] for key in page.json()]
    return seen, count


def test_real_turns_every_quirk_on() -> None:
    real = Quirks.real(tie_seed=4)
    assert (real.unstable_ties, real.schema_nulls, real.basic_orders_complete) == (True,) * 3
    assert real.all_providers_listed
    assert real.tie_seed == 4
    assert Quirks() == Quirks(False, 0, False, False, False)


@pytest.mark.parametrize("path", ["keys/", "marketplace-service-providers/{sp}/keys/"])
async def test_unstable_ties_overlap_and_skip_with_a_stable_count(path: str) -> None:
    data = keys_named_alike()
    path = path.format(sp=data.service_provider["uuid"])
    stable = FakePuhuri(data, token="test-token-123")
    async with client_for(stable) as client:
        seen, count = await read_pages(client, path, 10)
    assert len(seen) == len(set(seen)) == count
    unstable = FakePuhuri(data, token="test-token-123", quirks=Quirks(unstable_ties=True))
    async with client_for(unstable) as client:
        seen, count = await read_pages(client, path, 10)
        again, _ = await read_pages(client, path, 10)
    assert len(seen) == count
    assert len(set(seen)) < count  # some came twice, as many never
    assert seen == again  # deterministic for a seed
    names = [k["name"] for k in (await client_get_all(unstable, path))]
    assert names == sorted(names)


async def client_get_all(fake: FakePuhuri, path: str) -> list[dict]:
    async with client_for(fake) as client:
        return list((await client.get(path, params={"page_size": 300})).json())


async def test_unstable_ties_depend_on_the_seed() -> None:
    data = keys_named_alike()
    orders = []
    for seed in (1, 2):
        fake = FakePuhuri(
            data, token="test-token-123", quirks=Quirks(unstable_ties=True, tie_seed=seed)
        )
        async with client_for(fake) as client:
            orders.append((await read_pages(client, "keys/", 10))[0])
    assert orders[0] != orders[1]


async def test_schema_nulls_in_limit_usage() -> None:
    data = FakeData.generate(users=25, seed=1)
    fake = FakePuhuri(data, token="test-token-123", quirks=Quirks(schema_nulls=True))
    async with client_for(fake) as client:
        items = (
            await client.get("marketplace-provider-resources/", params={"page_size": 300})
        ).json()
    by_uuid = {r["uuid"]: r for r in items}
    agent = [r for r in data.resources if r["offering_type"] == "Marketplace.Slurm"]
    reported = [r for r in agent if r["current_usages"]]
    quiet = [r for r in agent if not r["current_usages"]]
    assert reported
    assert quiet
    for resource in quiet:
        assert by_uuid[resource["uuid"]]["limit_usage"] == {"storage": None}
    for resource in reported:
        assert by_uuid[resource["uuid"]]["limit_usage"] == {"storage": 750.5}
    basic = next(r for r in data.resources if r["offering_type"] == "Marketplace.Basic")
    assert by_uuid[basic["uuid"]]["limit_usage"] is None
    assert basic["limit_usage"] == {}  # the data keeps the schema's shape
    async with client_for(FakePuhuri(data, token="test-token-123")) as client:
        plain = (await client.get(f"marketplace-provider-resources/{quiet[0]['uuid']}/")).json()
    assert plain["limit_usage"] == {}


async def test_basic_orders_complete_on_approval() -> None:
    data = FakeData.generate(users=25, seed=1)
    fake = FakePuhuri(data, token="test-token-123", quirks=Quirks(basic_orders_complete=True))
    basic = data.add_resource(
        project=data.projects[0], offering=data.offerings[0], state="Creating"
    )
    order = data.add_order(resource=basic, state="pending-provider", order_type="Create")
    agent = next(
        o
        for o in data.orders
        if o["offering_type"] == "Marketplace.Slurm" and o["state"] == "pending-provider"
    )
    async with client_for(fake) as client:
        for target in (order, agent):
            path = f"marketplace-orders/{target['uuid']}/approve_by_provider/"
            assert (await client.post(path, json={})).status_code == 200
    assert (order["state"], basic["state"]) == ("done", "OK")
    assert agent["state"] == "executing"  # the site agent's offering waits for its agent


async def test_all_providers_listed() -> None:
    data = FakeData.generate(users=5)
    for quirks, expected in ((Quirks(), 1), (Quirks(all_providers_listed=True), 2)):
        fake = FakePuhuri(data, token="test-token-123", quirks=quirks)
        async with client_for(fake) as client:
            listed = (await client.get("marketplace-service-providers/")).json()
        assert len(listed) == expected
    assert listed[1]["uuid"] == data.other_service_provider["uuid"]


async def test_a_completed_basic_resource_brings_accounts_for_the_project() -> None:
    data = FakeData.generate(users=25, seed=1)
    fake = FakePuhuri(data, token="test-token-123", quirks=Quirks(basic_orders_complete=True))
    project = data.projects[1]
    basic = data.add_resource(project=project, offering=data.offerings[0], state="Creating")
    order = data.add_order(resource=basic, state="pending-provider", order_type="Create")
    members = {p["user_uuid"] for p in data.permissions if p["project_uuid"] == project["uuid"]}
    before = {
        a["user_uuid"] for a in data.offering_users if a["offering_uuid"] == basic["offering_uuid"]
    }
    async with client_for(fake) as client:
        path = f"marketplace-orders/{order['uuid']}/approve_by_provider/"
        assert (await client.post(path, json={})).status_code == 200
    added = [
        a
        for a in data.offering_users
        if a["offering_uuid"] == basic["offering_uuid"] and a["user_uuid"] not in before
    ]
    assert {a["user_uuid"] for a in added} == members - before
    assert {(a["username"], a["state"]) for a in added} == {("", "Requested")}


async def test_offering_users_tie_on_username_too() -> None:
    data = FakeData.generate(users=60, seed=2)
    offering, users = data.offerings[0], data.users
    taken = {a["user_uuid"] for a in data.offering_users if a["offering_uuid"] == offering["uuid"]}
    for user in [u for u in users if u["uuid"] not in taken][:40]:
        data.add_offering_user(offering=offering, user=user, username="")
    quirky = FakePuhuri(data, token="test-token-123", quirks=Quirks(unstable_ties=True))
    async with client_for(quirky) as client:
        seen, count = await read_pages(client, "marketplace-offering-users/", 10)
    assert len(seen) == count
    assert len(set(seen)) < count
