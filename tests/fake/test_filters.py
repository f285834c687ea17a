"""Filters, field selection and ordering of the lists."""

from __future__ import annotations

import httpx
import pytest

from puhuri_async.testing import FakePuhuri

pytestmark = pytest.mark.anyio


async def all_items(client: httpx.AsyncClient, path: str, params: list[tuple[str, str]]) -> list:
    response = await client.get(path, params=[*params, ("page_size", "300")])
    assert response.status_code == 200, response.text
    return response.json()


async def test_repeated_state_is_a_union(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    orders = await all_items(
        client, "marketplace-orders/", [("state", "pending-provider"), ("state", "done")]
    )
    expected = [o["uuid"] for o in fake.data.orders if o["state"] in ("pending-provider", "done")]
    assert [o["uuid"] for o in orders] == expected
    assert len(expected) >= 5


async def test_state_and_type_together(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    orders = await all_items(
        client, "marketplace-orders/", [("state", "pending-provider"), ("type", "Create")]
    )
    assert all(o["state"] == "pending-provider" and o["type"] == "Create" for o in orders)
    assert len(orders) == sum(
        o["state"] == "pending-provider" and o["type"] == "Create" for o in fake.data.orders
    )


@pytest.mark.parametrize(
    ("path", "name", "valid", "value"),
    [
        ("marketplace-orders/", "state", "done", "Pending-provider"),
        ("marketplace-orders/", "state", "done", "approved"),
        ("marketplace-orders/", "type", "Create", "create"),
        ("marketplace-provider-resources/", "state", "OK", "ok"),
        ("marketplace-resources/", "state", "OK", "Deleted"),
        ("marketplace-offering-users/", "state", "OK", "ok"),
    ],
)
async def test_values_outside_the_enum_are_400(
    client: httpx.AsyncClient, path: str, name: str, valid: str, value: str
) -> None:
    response = await client.get(path, params=[(name, valid), (name, value)])
    assert response.status_code == 400
    assert response.json() == {
        name: [f"Select a valid choice. {value} is not one of the available choices."]
    }


async def test_uuid_filters(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    resource = fake.data.resources[1]
    orders = await all_items(client, "marketplace-orders/", [("resource_uuid", resource["uuid"])])
    assert orders
    assert {o["marketplace_resource_uuid"] for o in orders} == {resource["uuid"]}
    raw = resource["uuid"]
    dashed = f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}".upper()
    assert await all_items(client, "marketplace-orders/", [("resource_uuid", dashed)]) == orders
    bad = await client.get("marketplace-orders/", params={"resource_uuid": "not-a-uuid"})
    assert bad.status_code == 400
    assert bad.json() == {"resource_uuid": ["Enter a valid UUID."]}
    offering = fake.data.offerings[0]["uuid"]
    resources = await all_items(
        client,
        "marketplace-provider-resources/",
        [("offering_uuid", offering), ("provider_uuid", fake.data.customer["uuid"])],
    )
    assert [r["uuid"] for r in resources] == [
        r["uuid"] for r in fake.data.resources if r["offering_uuid"] == offering
    ]


async def test_related_and_simple_filters(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    project = fake.data.projects[0]["uuid"]
    users = await all_items(client, "users/", [("project_uuid", project)])
    members = {p["user_uuid"] for p in fake.data.permissions if p["project_uuid"] == project}
    assert {u["uuid"] for u in users} == members
    keys = await all_items(client, "keys/", [("user_uuid", fake.data.users[0]["uuid"])])
    assert [k["user_uuid"] for k in keys] == [fake.data.users[0]["uuid"]]
    assert await all_items(client, "users/", [("is_active", "false")]) == []
    assert len(await all_items(client, "users/", [("is_active", "true")])) == 25
    providers = await all_items(
        client, "marketplace-service-providers/", [("customer_uuid", fake.data.customer["uuid"])]
    )
    assert [p["uuid"] for p in providers] == [fake.data.service_provider["uuid"]]
    other = await all_items(client, "marketplace-service-providers/", [("customer_uuid", "0" * 32)])
    assert other == []
    pending = await all_items(client, "marketplace-orders/", [("can_approve_as_provider", "true")])
    assert {o["state"] for o in pending} == {"pending-provider"}


async def test_unknown_filters_are_ignored(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    orders = await all_items(client, "marketplace-orders/", [("stat", "done"), ("bogus", "1")])
    assert len(orders) == len(fake.data.orders)


async def test_field_selection(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    resources = await all_items(
        client,
        "marketplace-provider-resources/",
        [("field", "uuid"), ("field", "state"), ("field", "no_such_field")],
    )
    assert resources
    assert all(set(r) == {"uuid", "state"} for r in resources)
    everything = await all_items(
        client, "marketplace-provider-resources/", [("field", "no_such_field")]
    )
    assert set(everything[0]) == set(fake.data.resources[0])
    offering = fake.data.offerings[0]["uuid"]
    response = await client.get(
        f"marketplace-provider-offerings/{offering}/", params=[("field", "components")]
    )
    assert list(response.json()) == ["components"]


async def test_ordering(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    users = await all_items(client, "users/", [("o", "-full_name,username")])
    names = [u["full_name"] for u in users]
    assert names == sorted(names, reverse=True)
    refused = await client.get("users/", params={"o": "no_such_field"})
    assert refused.status_code == 400  # measured: every list with o= refuses what it lacks
    assert refused.json() == {
        "o": ["Select a valid choice. no_such_field is not one of the available choices."]
    }
    keys = await client.get("keys/", params={"o": "uuid"})  # keys/ offers name only
    assert keys.status_code == 400


async def test_provider_lists(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    sp = fake.data.service_provider["uuid"]
    base = f"marketplace-service-providers/{sp}"
    projects = await all_items(client, f"{base}/projects/", [])
    permissions = await all_items(client, f"{base}/project_permissions/", [])
    users = await all_items(client, f"{base}/users/", [])
    keys = await all_items(client, f"{base}/keys/", [])
    project_ids = {p["uuid"] for p in projects}
    assert project_ids == {
        r["project_uuid"] for r in fake.data.resources if r["state"] != "Terminated"
    }
    assert {p["project_uuid"] for p in permissions} <= project_ids
    assert {u["uuid"] for u in users} == {p["user_uuid"] for p in permissions}
    assert all(u["projects_count"] >= 1 for u in users)
    assert {k["user_uuid"] for k in keys} <= {u["uuid"] for u in users}
    mine = await all_items(client, f"{base}/project_permissions/", [("user", users[0]["uuid"])])
    assert {p["user_uuid"] for p in mine} == {users[0]["uuid"]}
    for action in ("users", "keys", "projects", "project_permissions"):
        missing = await client.get(f"marketplace-service-providers/{'0' * 32}/{action}/")
        assert missing.status_code == 404
        assert missing.json() == {"detail": "Not found."}
