"""The client's write operations against a real Waldur, with each effect read back.

Every test writes to objects of its own (orders that staff creates for it, resources made by
approving such an order, a user's offering account it deletes afterwards), or sets a value that
a second run sets again, so the suite can run any number of times on the same server. The orders
are made on the storage offering: approving those creates no offering users (the cluster
offering makes one for every member of the project).
"""

from __future__ import annotations

import uuid as uuid_mod
from decimal import Decimal

import pytest

from puhuri_async import (
    ActionResult,
    ComponentUsage,
    ConflictError,
    NotFoundError,
    OfferingUser,
    PermissionDeniedError,
    ResourceReportRecord,
    ValidationError,
)

from ._peer import Api, Database, Raw, Settings, cleanup


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid_mod.uuid4().hex[:10]}"


def test_approve_by_provider(api: Api, raw: Raw) -> None:
    order = raw.new_order("rp-approve")
    result = api("marketplace_order_approve_by_provider", order)
    assert isinstance(result, ActionResult)
    assert result.to_dict() == {}  # 200 with no body
    assert result.message is None
    after = raw.order(order)
    # A Basic offering's order is done at once, never executing; its resource is OK.
    assert after["state"] == "done"
    assert raw.resource(after["marketplace_resource_uuid"])["state"] == "OK"
    with pytest.raises(ConflictError) as wrong_state:
        api("marketplace_order_approve_by_provider", order)
    assert wrong_state.value.status_code == 409
    assert "pending-provider" in str(wrong_state.value)
    assert raw.order(order)["state"] == "done"


def test_reject_by_provider(api: Api, raw: Raw) -> None:
    order = raw.new_order("rp-reject")
    result = api("marketplace_order_reject_by_provider", order)
    assert result.to_dict() == {}
    assert raw.order(order)["state"] == "rejected"
    with pytest.raises(ConflictError):
        api("marketplace_order_reject_by_provider", order)
    assert raw.order(order)["state"] == "rejected"


def test_cancel_is_a_consumer_action(api: Api, raw: Raw) -> None:
    """Staff may cancel; the provider's owner may not (403), in any state."""
    order = raw.new_order("rp-cancel")
    if api.role == "owner":
        with pytest.raises(PermissionDeniedError) as denied:
            api("marketplace_order_cancel", order)
        assert denied.value.status_code == 403
        assert raw.order(order)["state"] == "pending-provider"
        return
    result = api("marketplace_order_cancel", order)
    assert result.to_dict() == {}  # 202 with no body
    assert raw.order(order)["state"] == "canceled"
    with pytest.raises(ConflictError):
        api("marketplace_order_cancel", order)


def test_another_providers_order_is_not_found(owner_api: Api, raw: Raw, settings: Settings) -> None:
    other = settings.uuid("other_order")
    before = raw.order(other)["state"]
    for operation in (
        "marketplace_order_approve_by_provider",
        "marketplace_order_reject_by_provider",
    ):
        with pytest.raises(NotFoundError):
            owner_api(operation, other)
    assert raw.order(other)["state"] == before


def test_set_backend_id(api: Api, raw: Raw) -> None:
    resource = raw.new_resource("rp-backend-id")
    value = _unique("acct")
    result = api("marketplace_resource_set_backend_id", resource, value)
    assert result.message == "Resource backend_id has been changed."
    assert result["status"] == result.message
    assert raw.resource(resource)["backend_id"] == value
    again = api("marketplace_resource_set_backend_id", resource, value)
    assert again.message == "Resource backend_id is not changed."
    other = _unique("acct")
    api("marketplace_provider_resource_set_backend_id", resource, other)
    assert raw.resource(resource)["backend_id"] == other


def test_submit_report(api: Api, raw: Raw) -> None:
    resource = raw.new_resource("rp-report")
    records = [
        ResourceReportRecord("Login", f"ssh {_unique('u')}@hpc.example.org"),
        ResourceReportRecord("Quota", "5 TB"),
    ]
    result = api("marketplace_resource_submit_report", resource, records)
    assert result.message == "Report is submitted"
    assert raw.resource(resource)["report"] == [r.to_request() for r in records]
    second = [ResourceReportRecord("Login", "ssh other@hpc.example.org")]
    api("marketplace_provider_resource_submit_report", resource, second)
    assert raw.resource(resource)["report"] == [second[0].to_request()]


def _tb_usage(raw: Raw, resource: str) -> list[str]:
    periods = raw.get(f"marketplace-provider-resources/{resource}/plan_periods/")
    return [c["usage"] for p in periods for c in p["components"] if c["type"] == "tb"]


def test_create_component_usages(api: Api, raw: Raw) -> None:
    resource = raw.new_resource("rp-usage")
    assert (
        api("create_component_usages", [ComponentUsage("tb", "12.50")], resource=resource) is None
    )
    assert _tb_usage(raw, resource) == ["12.50"]
    # A second report of the month replaces the first.
    api("create_component_usages", [ComponentUsage("tb", Decimal("3.25"))], resource_uuid=resource)
    assert _tb_usage(raw, resource) == ["3.25"]
    (period,) = raw.get(f"marketplace-provider-resources/{resource}/plan_periods/")
    api("create_component_usages", [ComponentUsage("tb", "4")], plan_period=period["uuid"])
    assert _tb_usage(raw, resource) == ["4.00"]
    listed = raw.all("marketplace-component-usages/", resource_uuid=resource)
    assert [(u["type"], u["usage"]) for u in listed] == [("tb", "4.00")]


def test_a_usage_lands_in_the_current_month(api: Api, raw: Raw, db: Database) -> None:
    resource = raw.new_resource("rp-usage-db")
    api("create_component_usages", [ComponentUsage("tb", "7.75", "seven")], resource=resource)
    rows = db.rows(
        "select u.usage, u.billing_period, u.description, date_trunc('month', now())::date "
        "from marketplace_componentusage u join marketplace_resource r on r.id = u.resource_id "
        f"where replace(r.uuid::text, '-', '') = '{resource}'"
    )
    assert len(rows) == 1
    usage, period, description, month = rows[0]
    assert (Decimal(usage), period, description) == (Decimal("7.75"), month, "seven")


def test_create_remote_offering_user(api: Api, raw: Raw, settings: Settings) -> None:
    user = settings.uuid("stranger_uuid")
    offering = settings.uuid("offering_uuid")
    username = _unique("acct")
    with cleanup(raw) as delete:
        created = api("create_remote_offering_user", offering, user, username)
        delete.append(f"marketplace-offering-users/{created.uuid}/")
        assert isinstance(created, OfferingUser)
        assert (created.username, created.user_uuid, created.offering_uuid) == (
            username,
            user,
            offering,
        )
        stored = raw.get(f"marketplace-offering-users/{created.uuid}/")
        assert stored == created.to_dict()
        # A second account for the same user and offering is refused.
        with pytest.raises(ValidationError) as duplicate:
            api("create_remote_offering_user", offering, user, _unique("acct"))
        assert "unique" in str(duplicate.value)
    assert raw.count("marketplace-offering-users/", user_uuid=user) == 0


def test_set_offerings_username(api: Api, raw: Raw, settings: Settings) -> None:
    user = settings.uuid("first_bulk_user_uuid")
    username = _unique("rp")
    result = api("set_offerings_username", settings.uuid("provider_uuid"), user, username)
    assert result.message == "Offering users have been set."
    accounts = raw.all("marketplace-offering-users/", user_uuid=user)
    assert accounts
    assert {a["username"] for a in accounts} == {username}
    assert settings.uuid("offering_uuid") in {a["offering_uuid"] for a in accounts}


def test_set_offerings_username_of_an_unknown_user(api: Api, settings: Settings) -> None:
    unknown = uuid_mod.uuid4().hex
    with pytest.raises(ValidationError) as refused:
        api("set_offerings_username", settings.uuid("provider_uuid"), unknown, "x")
    assert refused.value.status_code == 400
    assert "is not found" in str(refused.value)
