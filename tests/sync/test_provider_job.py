"""The service provider's operations through SyncPuhuriClient, each effect read on the fake.

One test walks the whole job a site agent does (approve, executing, backend id, limits, OK,
done, offering users to OK, usage per component and per user, read back); the others show
errors and 7.0 servers the same way the async client does.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from puhuri_async import (
    ComponentUsage,
    ConflictError,
    PermissionDeniedError,
    PuhuriError,
    SyncPuhuriClient,
    ValidationError,
)
from puhuri_async.testing import FakeData, FakePuhuri

from .conftest import TOKEN


def test_the_whole_job_of_a_site_agent(client: SyncPuhuriClient, fake: FakePuhuri) -> None:
    me = client.get_current_user()
    assert me.uuid == fake.data.accounts["staff"]["uuid"]
    order = next(
        o
        for o in client.list_orders(state="pending-provider")
        if o.offering_type == "Marketplace.Slurm" and o.type == "Create"
    )
    client.marketplace_order_approve_by_provider(order.uuid)
    assert client.get_order(order.uuid).state == "executing"
    resource_uuid = order.marketplace_resource_uuid
    client.marketplace_order_set_backend_id(order.uuid, "job-1")
    client.marketplace_provider_resource_set_backend_id(resource_uuid, "alloc-1")
    client.marketplace_provider_resource_set_limits(resource_uuid, {"cpu": 100})
    client.marketplace_provider_resource_set_backend_metadata(resource_uuid, {"cluster": "c1"})
    client.marketplace_provider_resource_set_as_ok(resource_uuid)
    client.marketplace_order_set_state_done(order.uuid)
    assert client.get_order(order.uuid).state == "done"
    resource = client.get_marketplace_provider_resource(resource_uuid)
    assert (resource.state, resource.backend_id, resource.limits) == ("OK", "alloc-1", {"cpu": 100})
    assert resource.backend_metadata == {"cluster": "c1"}

    for account in client.list_remote_offering_users(state="Requested"):
        client.marketplace_offering_user_begin_creating(account.uuid)
        client.update_offering_user(account.uuid, f"site_{account.user_username}")
        client.marketplace_offering_user_set_ok(account.uuid)
    assert client.list_remote_offering_users(state="Requested") == []
    walked = [a for a in fake.data.offering_users if str(a["username"]).startswith("site_")]
    assert walked
    assert all(a["state"] == "OK" for a in walked)

    client.create_component_usages([ComponentUsage("cpu", "40.5")], resource=resource_uuid)
    (record,) = [r for r in client.list_component_usages(resource_uuid) if r.type == "cpu"]
    assert record.usage == Decimal("40.5")
    client.create_component_user_usage(record.uuid, "30", "alice", walked[0]["uuid"])
    client.create_component_user_usage(record.uuid, "10.5", "bob")
    parts = {
        p.username: p.usage for p in client.iter_component_user_usages(resource_uuid=resource_uuid)
    }
    assert parts == {"alice": Decimal("30"), "bob": Decimal("10.5")}


def test_errors_are_the_async_client_s(client: SyncPuhuriClient, fake: FakePuhuri) -> None:
    done = next(o for o in fake.data.orders if o["state"] == "done")
    with pytest.raises(ConflictError) as caught:
        client.marketplace_order_set_state_done(done["uuid"])
    assert caught.value.operation == "marketplace_order_set_state_done"
    ok = next(a for a in fake.data.offering_users if a["state"] == "OK")
    with pytest.raises(ValidationError):
        client.marketplace_offering_user_set_deleted(ok["uuid"])
    assert fake.data.get("offering_users", ok["uuid"])["state"] == "OK"


def test_a_member_may_not_finish_orders(fake: FakePuhuri) -> None:
    executing = next(o for o in fake.data.orders if o["state"] == "executing")
    with SyncPuhuriClient(fake.base_url, "member-token", transport=fake.transport()) as client:
        assert client.get_current_user().uuid == fake.data.accounts["member"]["uuid"]
        with pytest.raises(PermissionDeniedError):
            client.marketplace_order_set_state_done(executing["uuid"])
    assert fake.data.get("orders", executing["uuid"])["state"] == "executing"


def test_on_a_7_0_server_what_it_lacks_fails_and_the_rest_works() -> None:
    fake = FakePuhuri(FakeData.generate(users=10, seed=5), token=TOKEN, profile="7.0")
    resource = next(r for r in fake.data.resources if r["state"] == "OK")
    with SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport()) as client:
        client.marketplace_provider_resource_set_backend_metadata(resource["uuid"], {"a": 1})
        with pytest.raises(PuhuriError):
            client.marketplace_provider_resource_set_limits(resource["uuid"], {"cpu": 1})
        accounts = client.list_remote_offering_users()
    assert resource["backend_metadata"] == {"a": 1}
    assert resource["limits"] != {"cpu": 1}
    assert all(a.state is None for a in accounts)
