"""The provider job's operations (issue 15) against a real Waldur, each effect read back.

As the other write tests, each acts on objects of its own (a fresh order or resource, an
offering account it deletes afterwards) or leaves the seeded ones as it found them. Where the
server lacks an operation (7.0.7 lacks 15 of them), the call must fail loudly: today the
server's 404, and an error before sending once the client knows the server's version.
"""

from __future__ import annotations

import uuid as uuid_mod
from datetime import date, timedelta
from decimal import Decimal

import pytest

from puhuri_async import (
    APIError,
    ComponentUsage,
    ConflictError,
    OfferingUser,
    Order,
    PermissionDeniedError,
    PuhuriError,
    Resource,
    User,
    ValidationError,
)

from ._peer import Api, Raw, Settings, cleanup


def test_get_current_user_is_the_token_s_user(api: Api, settings: Settings) -> None:
    me = api("get_current_user")
    assert isinstance(me, User)
    assert me.uuid == settings.uuid(f"{api.role}_uuid")


def test_get_user(api: Api, raw: Raw, settings: Settings) -> None:
    creator = settings.uuid("creator_uuid")
    user = api("get_user", creator)
    assert (user.uuid, user.username) == (creator, raw.get(f"users/{creator}/")["username"])


def test_get_order_and_resource_are_what_the_server_holds(api: Api, raw: Raw) -> None:
    resource = raw.new_resource("rp-get")
    order = raw.all("marketplace-orders/", resource_uuid=resource)[0]["uuid"]
    got = api("get_order", order)
    assert isinstance(got, Order)
    # Read as the same role: the owner is not shown the order's error_traceback.
    assert got.to_dict() == raw.get(f"marketplace-orders/{order}/", role=api.role)
    read = api("get_marketplace_provider_resource", resource)
    assert isinstance(read, Resource)
    assert (read.uuid, read.state) == (resource, "OK")


def test_order_transitions_on_a_basic_offering(api: Api, raw: Raw) -> None:
    order = raw.new_order("rp-transitions")
    with pytest.raises(APIError) as executing:
        api("marketplace_order_set_state_executing", order)
    assert executing.value.status_code == 405  # site-agent offerings only
    with pytest.raises(APIError) as erred:
        api("marketplace_order_set_state_erred", order, "x")
    assert erred.value.status_code == 405
    with pytest.raises(ConflictError):
        api("marketplace_order_set_state_done", order)  # not executing
    assert raw.order(order)["state"] == "pending-provider"


def test_set_backend_metadata_is_read_back(api: Api, raw: Raw) -> None:
    resource = raw.new_resource("rp-metadata")
    metadata = {"cluster": "c1", "partitions": ["small", "gpu"]}
    result = api("marketplace_provider_resource_set_backend_metadata", resource, metadata)
    assert result.message == "The backend metadata is updated"
    assert raw.resource(resource)["backend_metadata"] == metadata


def test_set_as_erred_is_staff_only_on_7_0(api: Api, raw: Raw) -> None:
    resource = raw.new_resource("rp-erred")
    if api.role == "owner":
        with pytest.raises(PermissionDeniedError):  # (an error_message is refused before: 8.0.5)
            api("marketplace_provider_resource_set_as_erred", resource)
        assert raw.resource(resource)["state"] == "OK"
    else:
        assert api("marketplace_provider_resource_set_as_erred", resource).to_dict() == {}
        assert raw.resource(resource)["state"] == "Erred"


def test_set_end_date_by_provider_refuses_a_resource_in_use(api: Api, raw: Raw) -> None:
    resource = raw.new_resource("rp-end-date")
    api("create_component_usages", [ComponentUsage("tb", "1")], resource=resource)
    with pytest.raises(ValidationError) as caught:
        api(
            "marketplace_provider_resource_set_end_date_by_provider",
            resource,
            date.today() + timedelta(days=30),
        )
    assert "end_date" in caught.value.field_errors
    assert raw.resource(resource)["end_date"] is None


def test_usage_per_user_is_read_back(api: Api, raw: Raw) -> None:
    resource = raw.new_resource("rp-user-usage")
    api("create_component_usages", [ComponentUsage("tb", "10")], resource=resource)
    (record,) = api("list_component_usages", resource)
    assert (record.type, record.usage) == ("tb", Decimal("10.00"))
    api("create_component_user_usage", record.uuid, "6.25", "alice")
    api("create_component_user_usage", record.uuid, "3.75", "bob")
    api("create_component_user_usage", record.uuid, "4", "bob")  # replaces bob's
    parts = api("list_component_user_usages", resource_uuid=resource)
    assert {p.username: p.usage for p in parts} == {"alice": Decimal("6.25"), "bob": Decimal("4")}


def test_offering_user_patch_and_delete(api: Api, raw: Raw, settings: Settings) -> None:
    user = settings.uuid("stranger_uuid")
    offering = settings.uuid("offering_uuid")
    with cleanup(raw) as delete:
        created = raw.post(
            "marketplace-offering-users/",
            {
                "offering": f"{settings.url}marketplace-provider-offerings/{offering}/",
                "user": f"{settings.url}users/{user}/",
                "username": f"acct-{uuid_mod.uuid4().hex[:8]}",
            },
        ).json()
        delete.append(f"marketplace-offering-users/{created['uuid']}/")
        renamed = api("update_offering_user", created["uuid"], "renamed-acct")
        assert isinstance(renamed, OfferingUser)
        assert raw.get(f"marketplace-offering-users/{created['uuid']}/")["username"] == (
            "renamed-acct"
        )
        assert api("get_offering_user", created["uuid"]).username == "renamed-acct"
        listed = api("list_remote_offering_users", {"user_uuid": user})
        assert [a.uuid for a in listed] == [created["uuid"]]
        assert api("delete_offering_user", created["uuid"]) is None
    assert raw.count("marketplace-offering-users/", user_uuid=user) == 0


@pytest.mark.parametrize(
    ("operation", "arguments"),
    [
        ("marketplace_order_set_backend_id", ("orders", "pp1", "b-1")),
        ("marketplace_provider_resource_set_as_ok", ("resources", "ok1")),
        ("marketplace_provider_resource_set_limits", ("resources", "ok1", {"tb": 1})),
        ("marketplace_provider_resource_refresh_last_sync", ("resources", "ok1")),
        ("marketplace_provider_resource_set_end_date", ("resources", "ok1", "2030-01-31")),
        ("marketplace_provider_resource_set_endpoints", ("resources", "ok1", [])),
        ("marketplace_provider_resource_set_effective_id", ("resources", "ok1", "e-1")),
    ],
)
def test_what_7_0_lacks_fails_loudly(
    owner_api: Api, raw: Raw, settings: Settings, operation: str, arguments: tuple[object, ...]
) -> None:
    kind, key, *rest = arguments
    target = settings.uuid(str(kind), str(key))
    before = raw.order(target) if kind == "orders" else raw.resource(target)
    with pytest.raises(PuhuriError):
        owner_api(operation, target, *rest)
    after = raw.order(target) if kind == "orders" else raw.resource(target)
    assert after["modified"] == before["modified"]


def test_7_0_has_no_offering_user_states(owner_api: Api, settings: Settings) -> None:
    (account, *_) = owner_api(
        "list_remote_offering_users", {"offering_uuid": settings.uuid("offering_uuid")}, limit=1
    )
    assert account.state is None
    with pytest.raises(PuhuriError):
        owner_api("marketplace_offering_user_begin_creating", account.uuid)
    with pytest.raises(PuhuriError):
        owner_api("list_component_user_usage_limits")
