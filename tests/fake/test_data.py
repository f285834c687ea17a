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


def test_the_site_agent_offering_and_its_work() -> None:
    data = FakeData.generate(users=30, seed=3)
    offering = data.offerings[-1]
    assert offering["type"] == "Marketplace.Slurm"
    assert {c["type"]: c["billing_type"] for c in offering["components"]} == {
        "cpu": "usage",
        "gpu": "usage",
        "storage": "limit",
    }
    resources = [r for r in data.resources if r["offering_uuid"] == offering["uuid"]]
    orders = [o for o in data.orders if o["offering_uuid"] == offering["uuid"]]
    assert [r["state"] for r in resources] == ["OK", "OK", "Creating", "Creating"]
    assert [o["state"] for o in orders] == ["done", "done", "pending-provider", "executing"]
    assert all(o["resource_uuid"] is None for o in orders)  # no backend (plugin) resource
    states = {a["state"] for a in data.offering_users if a["offering_uuid"] == offering["uuid"]}
    assert states == {
        "Requested",
        "Creating",
        "Pending account linking",
        "Pending additional validation",
        "OK",
        "Requested deletion",
        "Deleting",
        "Deleted",
        "Error creating",
        "Error deleting",
    }
    assert {u["resource_uuid"] for u in data.component_usages} == {r["uuid"] for r in resources[:2]}
    assert data.component_user_usages
    assert {limit["component_type"] for limit in data.user_usage_limits} == {"storage"}
    assert resources[0]["limit_usage"] == {"storage": 750.5}
    assert data.member_projects == [resources[0]["project_uuid"]]
    assert FakeData.generate(users=30, seed=3, site_agent=False).offerings[-1]["type"] == (
        "Marketplace.Basic"
    )


@pytest.mark.parametrize(
    ("collection", "schema"),
    [
        ("component_usages", "ComponentUsage"),
        ("component_user_usages", "ComponentUserUsage"),
        ("user_usage_limits", "ComponentUserUsageLimit"),
    ],
)
def test_usage_objects_match_the_schema(collection: str, schema: str) -> None:
    data = FakeData.generate(users=30, seed=3)
    for item in getattr(data, collection):
        shaped = {k: v for k, v in item.items() if k != "usage"}  # a decimal string, see below
        validate_schema(schema, shaped, strict=True)
        if "usage" in item:
            assert re.fullmatch(r"\d+\.\d{2}", item["usage"])
