"""The demo's job against the fake, its effects read from the fake's own state.

Each test runs :func:`run_demo` in-process on a FakePuhuri with a site agent's work waiting
(``add_site_work``), as the provider's owner, then checks what the fake holds: orders finished
(done, or erred with the site's reason), allocations with their backend id and limits,
resources OK or erred, offering users walked to OK with the site's usernames, usage per
component and per user, and the summary's counts against all of it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from puhuri_async import InvalidArgumentError, PuhuriClient
from puhuri_async._demo import (
    OWNER_TOKEN,
    STEPS,
    WRITES,
    DemoSummary,
    Site,
    add_site_work,
    run_demo,
    usage_amounts,
)
from puhuri_async.testing import FakeData, FakePuhuri, Quirks

pytestmark = pytest.mark.asyncio

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
MONTH = "2025-03-01"
SITE_AGENT = "Marketplace.Slurm"


class Before:
    """What the fake held before the demo ran: the orders and accounts it has to handle."""

    def __init__(self, data: Any) -> None:
        self.pending = [o["uuid"] for o in data.orders if o["state"] == "pending-provider"]
        self.site_orders = [
            o["uuid"]
            for o in data.orders
            if o["offering_type"] == SITE_AGENT
            and o["state"] in ("pending-provider", "executing", "erred")
        ]
        self.restarted = [
            o["uuid"]
            for o in data.orders
            if o["offering_type"] == SITE_AGENT and o["state"] == "erred"
        ]
        self.requested = [u["uuid"] for u in data.offering_users if u["state"] == "Requested"]
        self.accounts = {u["uuid"] for u in data.offering_users}


@pytest.fixture
def fake() -> FakePuhuri:
    data = FakeData.generate(users=60, seed=4)
    add_site_work(data, users=60)
    return FakePuhuri(data, clock=lambda: NOW)


@pytest.fixture
def client(fake: FakePuhuri) -> PuhuriClient:
    return PuhuriClient(fake.base_url, OWNER_TOKEN, transport=fake.transport())


async def demo(client: PuhuriClient, **options: Any) -> DemoSummary:
    async with client:
        return await run_demo(client, **options)


def order(fake: FakePuhuri, uuid: str) -> dict[str, Any]:
    found = fake.data.get("orders", uuid)
    assert found is not None
    return found


def resource_of(fake: FakePuhuri, an_order: dict[str, Any]) -> dict[str, Any]:
    found = fake.data.get("resources", an_order["marketplace_resource_uuid"])
    assert found is not None
    return found


async def test_every_order_is_finished_on_the_site(fake: FakePuhuri, client: PuhuriClient) -> None:
    before = Before(fake.data)
    site = Site()
    summary = await demo(client, write=True, site=site)
    steps = summary.steps

    assert not [u for u in before.pending if order(fake, u)["state"] == "pending-provider"]
    assert steps["orders_pending"] == steps["orders_approved"] == len(before.pending)
    assert steps["orders_restarted"] == len(before.restarted) == 1
    assert steps["orders_executing"] == len(before.site_orders)
    done = [u for u in before.site_orders if order(fake, u)["state"] == "done"]
    erred = [u for u in before.site_orders if order(fake, u)["state"] == "erred"]
    assert sorted(done + erred) == sorted(before.site_orders)
    assert (steps["orders_done"], steps["orders_erred"]) == (len(done), len(erred))
    assert len(erred) == 1  # the one over the site's capacity
    failed = order(fake, erred[0])
    assert "capacity" in failed["error_message"]
    assert failed["limits"]["cpu"] > site.capacity["cpu"]
    assert resource_of(fake, failed)["state"] == "Erred"
    assert "capacity" in resource_of(fake, failed)["error_message"]
    assert steps["resources_set_erred"] == 1

    created = [u for u in done if order(fake, u)["type"] == "Create"]
    assert steps["allocations_created"] == steps["resources_set_ok"] == len(created)
    for uuid in created:
        the_order = order(fake, uuid)
        resource = resource_of(fake, the_order)
        account, limits = site.allocations[resource["uuid"]]
        assert resource["state"] == "OK"
        assert resource["backend_id"] == account
        assert resource["limits"] == limits == the_order["limits"]
        assert [r["header"] for r in resource["report"]] == ["Login", "Documentation"]
    updated = [u for u in done if order(fake, u)["type"] == "Update"]
    assert updated
    for uuid in updated:
        assert resource_of(fake, order(fake, uuid))["limits"] == order(fake, uuid)["limits"]
    assert steps["limits_set"] == len(created) + len(updated)


async def test_offering_users_are_made_and_walked_to_ok(
    fake: FakePuhuri, client: PuhuriClient
) -> None:
    before = Before(fake.data)
    site = Site()
    summary = await demo(client, write=True, site=site)
    accounts = {u["uuid"]: u for u in fake.data.offering_users}
    new = set(accounts) - before.accounts
    assert summary.steps["offering_users_created"] == len(new) > 0
    walked = [u for u in [*before.requested, *new] if u in site.accounts]
    assert summary.steps["offering_users_ok"] == len(walked)
    assert set(walked) >= new
    for uuid in walked:
        assert (accounts[uuid]["state"], accounts[uuid]["username"]) == ("OK", site.accounts[uuid])
    site_offerings = {o["uuid"] for o in fake.data.offerings if o["type"] == SITE_AGENT}
    projects = {
        r["project_uuid"]
        for r in fake.data.resources
        if r["offering_uuid"] in site_offerings and r["state"] == "OK"
    }
    members = {p["user_uuid"] for p in fake.data.permissions if p["project_uuid"] in projects}
    have = {(u["offering_uuid"], u["user_uuid"]) for u in fake.data.offering_users}
    for resource in fake.data.resources:
        if resource["offering_uuid"] in site_offerings and resource["state"] == "OK":
            for user in members:
                if any(
                    p["user_uuid"] == user and p["project_uuid"] == resource["project_uuid"]
                    for p in fake.data.permissions
                ):
                    assert (resource["offering_uuid"], user) in have


async def test_usage_is_reported_per_component_and_per_user_and_read_back(
    fake: FakePuhuri, client: PuhuriClient
) -> None:
    summary = await demo(client, write=True)
    steps = summary.steps
    async with PuhuriClient(fake.base_url, OWNER_TOKEN, transport=fake.transport()) as again:
        provider = fake.data.offerings[0]["customer_uuid"]
        ok = await again.list_marketplace_resources(provider_uuid=provider, state="OK")
    usage_types = {
        o["uuid"]: [c["type"] for c in o["components"] if c["billing_type"] == "usage"]
        for o in fake.data.offerings
    }
    billed = [r for r in ok if usage_types[str(r["offering_uuid"])]]
    assert steps["resources_ok"] == len(ok)
    assert steps["usages_reported"] == steps["usages_verified"] == len(billed)
    for index, resource in enumerate(billed):
        kinds = usage_types[str(resource["offering_uuid"])]
        sent = {u.type: u.amount for u in usage_amounts(index, kinds)}
        stored = {
            u["type"]: Decimal(u["usage"])
            for u in fake.data.component_usages
            if u["resource_uuid"] == resource["uuid"] and u["billing_period"] == MONTH
        }
        assert stored == sent
    shares = [
        u for u in fake.data.component_user_usages if u["created"].startswith("2025-03-14T12")
    ]
    assert steps["user_usages_reported"] == steps["user_usages_read"] == len(shares) > 0
    usages = {u["uuid"]: u for u in fake.data.component_usages}
    parts: dict[str, Decimal] = {}
    for share in shares:
        usage = share["component_usage"].rstrip("/").rsplit("/", 1)[-1]
        parts[usage] = parts.get(usage, Decimal(0)) + Decimal(share["usage"])
    for usage, total in parts.items():
        assert usages[usage]["billing_period"] == MONTH
        assert total == Decimal(usages[usage]["usage"])


async def test_read_only_it_changes_nothing(fake: FakePuhuri, client: PuhuriClient) -> None:
    before = Before(fake.data)
    summary = await demo(client)
    assert [r for r in fake.requests if r.method != "GET"] == []
    assert set(summary.steps) == {key for key, _ in STEPS} - WRITES
    assert summary.steps["orders_pending"] == len(before.pending)
    assert all(order(fake, u)["state"] == "pending-provider" for u in before.pending)
    assert summary.user.startswith("provider-owner")
    assert "Acting as: provider-owner" in "\n".join(summary.lines())


async def test_it_picks_the_provider_the_token_owns() -> None:
    fake = FakePuhuri(FakeData.generate(users=30, seed=2), quirks=Quirks(all_providers_listed=True))
    async with PuhuriClient(fake.base_url, OWNER_TOKEN, transport=fake.transport()) as owner:
        assert len(await owner.list_service_providers()) > 1
        summary = await run_demo(owner)
    own = next(sp for sp in fake.data.service_providers if sp["uuid"] in summary.provider)
    assert fake.data.offerings[0]["customer_uuid"] == own["customer_uuid"]
    with pytest.raises(InvalidArgumentError, match="no service provider of organisation"):
        async with PuhuriClient(fake.base_url, OWNER_TOKEN, transport=fake.transport()) as owner:
            await run_demo(owner, provider_uuid="1" * 32)


async def test_on_a_7_0_server_it_goes_as_far_as_the_server_goes() -> None:
    """7.0 lacks set_as_ok and set_limits, keeps set_as_erred for staff, has no user states."""
    data = FakeData.generate(users=60, seed=4)
    add_site_work(data, users=60)
    fake = FakePuhuri(data, profile="7.0", clock=lambda: NOW)
    before = Before(fake.data)
    async with PuhuriClient(fake.base_url, OWNER_TOKEN, transport=fake.transport()) as client:
        summary = await run_demo(client, write=True)
    assert summary.lacking == [
        "marketplace_provider_resource_set_as_erred",
        "marketplace_provider_resource_set_as_ok",
        "marketplace_provider_resource_set_limits",
    ]
    assert "Skipped, the server lacks them" in "\n".join(summary.lines())
    steps = summary.steps
    assert (steps["resources_set_ok"], steps["limits_set"], steps["resources_set_erred"]) == (
        0,
        0,
        0,
    )
    states = {order(fake, u)["state"] for u in before.site_orders}
    assert states == {"done", "erred"}  # every order finished all the same
    for uuid in before.site_orders:
        the_order = order(fake, uuid)
        expected = "OK" if the_order["state"] == "done" else "Erred"
        if the_order["type"] == "Create":
            assert resource_of(fake, the_order)["state"] == expected  # moved by the order
    assert steps["offering_users_ok"] == 0  # no states to walk on 7.0
    assert steps["usages_verified"] == steps["usages_reported"] > 0
