"""The deterministic data generator."""

from __future__ import annotations

import re

import pytest
from _openapi import validate_schema

from puhuri_async.testing import FakeData

UUID = re.compile(r"^[0-9a-f]{32}$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


def test_same_seed_same_data() -> None:
    first = FakeData.generate(users=30, seed=4)
    second = FakeData.generate(users=30, seed=4)
    other = FakeData.generate(users=30, seed=5)
    assert first.users == second.users
    assert first.orders == second.orders
    assert first.permissions == second.permissions
    assert first.users != other.users


def test_sizes_follow_arguments() -> None:
    data = FakeData.generate(
        users=40,
        ssh_keys=7,
        projects=4,
        permissions=60,
        resources=9,
        orders=15,
        offerings=3,
        offering_users=2,
        site_agent=False,
    )
    sizes = {
        name: len(getattr(data, name))
        for name in (
            "users",
            "ssh_keys",
            "projects",
            "permissions",
            "resources",
            "orders",
            "offerings",
            "offering_users",
        )
    }
    assert sizes == {
        "users": 40,
        "ssh_keys": 7,
        "projects": 4,
        "permissions": 60,
        "resources": 9,
        "orders": 15,
        "offerings": 3,
        "offering_users": 2,
    }
    pairs = {(p["user_uuid"], p["project_uuid"]) for p in data.permissions}
    assert len(pairs) == 60


def test_defaults_scale_with_users() -> None:
    data = FakeData.generate(users=200, site_agent=False)
    assert (len(data.ssh_keys), len(data.permissions), len(data.projects)) == (200, 200, 10)
    assert len(data.resources) == 20
    assert len(data.orders) == 12
    assert data.provider_projects() == data.projects


def test_variety_of_states() -> None:
    data = FakeData.generate(users=100)
    order_states = [o["state"] for o in data.orders]
    assert set(order_states) == {
        "pending-consumer",
        "pending-provider",
        "pending-project",
        "pending-start-date",
        "executing",
        "done",
        "erred",
        "canceled",
        "rejected",
    }
    assert order_states.count("pending-provider") >= 3
    assert {r["state"] for r in data.resources} == {
        "Creating",
        "OK",
        "Erred",
        "Updating",
        "Terminating",
        "Terminated",
    }
    assert {o["type"] for o in data.orders} >= {"Create", "Update", "Terminate"}
    assert all(len(o["components"]) >= 2 for o in data.offerings)
    assert {c["type"] for c in data.offerings[0]["components"]} == {"cpu", "gpu", "storage"}


def test_formats_and_relations() -> None:
    data = FakeData.generate(users=20, base_url="https://core.example/api", site_agent=False)
    assert data.base_url == "https://core.example/api/"
    for user in data.users:
        assert UUID.match(user["uuid"])
        assert TIMESTAMP.match(user["date_joined"])
        assert user["url"] == f"https://core.example/api/users/{user['uuid']}/"
    for resource in data.resources:
        assert data.get("projects", resource["project_uuid"]) is not None
        assert resource["provider_uuid"] == data.customer["uuid"]
        assert data.plan_periods[resource["uuid"]][0]["components"] == []
    for key in data.ssh_keys:
        assert data.get("users", key["user_uuid"]) is not None
        assert key["public_key"].startswith(key["type"] + " ")


@pytest.mark.parametrize(
    ("collection", "schema"),
    [
        ("users", "User"),
        ("ssh_keys", "SshKey"),
        ("projects", "Project"),
        ("permissions", "ProjectPermissionLog"),
        ("resources", "Resource"),
        ("orders", "OrderDetails"),
        ("offering_users", "OfferingUser"),
        ("offerings", "ProviderOfferingDetails"),
    ],
)
def test_objects_match_the_schema(collection: str, schema: str) -> None:
    data = FakeData.generate(users=30, seed=3)
    for item in getattr(data, collection):
        validate_schema(schema, item, strict=True)
    validate_schema("ServiceProvider", data.service_provider, strict=True)


@pytest.mark.parametrize(
    "sizes",
    [
        {"users": -1},
        {"orders": -2},
        {"offerings": 0},
        {"users": 0, "permissions": 3},
        {"projects": 0, "permissions": 1},
        {"resources": 0, "orders": 1},
    ],
)
def test_impossible_sizes_are_refused(sizes: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="must be"):
        FakeData.generate(**sizes)


def test_empty_data() -> None:
    data = FakeData.generate(users=0, projects=0, resources=0, orders=0, offerings=0)
    assert data.users == data.resources == data.orders == []
