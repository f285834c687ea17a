"""The provider's whole job on a real Waldur 7.0.7, as the provider's owner, on a fresh order.

One pass through what the demo and a site agent do, each step's outcome as 7.0.7 gives it:
what works (with its effect read back) and what the server lacks or refuses. 7.0.7 serves only
Basic offerings here, whose orders Waldur completes on approval; the site-agent transitions
answer 405 for them, and the 8.0 actions (order ``set_backend_id``, ``set_as_ok``,
``set_limits``, ``refresh_last_sync``, the offering-user states) do not exist: the client refuses
them before sending once it knows the server is 7.x (``UnsupportedByServerError``), else the
server answers 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from puhuri_async import (
    APIError,
    ComponentUsage,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ResourceReportRecord,
    SyncPuhuriClient,
    Timeout,
    UnsupportedByServerError,
)

from ._peer import Raw, Settings

LACKING = (UnsupportedByServerError, NotFoundError)


@pytest.fixture
def owner(settings: Settings) -> Iterator[SyncPuhuriClient]:
    timeout = Timeout(connect=10.0, read=settings.timeout)
    with SyncPuhuriClient(settings.url, settings.token("owner"), timeout=timeout) as client:
        yield client


def test_the_provider_job_on_7_0_7(owner: SyncPuhuriClient, raw: Raw) -> None:
    assert owner.get_current_user().username
    order = raw.new_order("rp-job")
    assert owner.get_order(order).state == "pending-provider"
    with pytest.raises(APIError) as basic:
        owner.marketplace_order_set_state_executing(order)
    assert basic.value.status_code == 405  # site-agent offerings only

    owner.marketplace_order_approve_by_provider(order)
    done = owner.get_order(order)
    assert done.state == "done"  # a Basic order completes on approval
    with pytest.raises(ConflictError):
        owner.marketplace_order_set_state_done(order)
    with pytest.raises(APIError) as erred:
        owner.marketplace_order_set_state_erred(order, error_message="no")
    assert erred.value.status_code == 405
    with pytest.raises(LACKING):
        owner.marketplace_order_set_backend_id(order, "rp-job-order")

    resource = str(done.marketplace_resource_uuid)
    assert owner.get_marketplace_provider_resource(resource).state == "OK"
    owner.marketplace_resource_set_backend_id(resource, "rp-job-alloc")
    owner.marketplace_resource_submit_report(resource, [ResourceReportRecord("Login", "ssh x")])
    owner.marketplace_provider_resource_set_backend_metadata(resource, {"site": "rp-job"})
    for lacking in (
        lambda: owner.marketplace_provider_resource_set_limits(resource, {"tb": 2}),
        lambda: owner.marketplace_provider_resource_refresh_last_sync(resource),
        lambda: owner.marketplace_provider_resource_set_as_ok(resource),
    ):
        with pytest.raises(LACKING):
            lacking()
    # Staff only on 7.0.7, whose serializer drops the texts (refused as such when detected).
    with pytest.raises((PermissionDeniedError, UnsupportedByServerError)):
        owner.marketplace_provider_resource_set_as_erred(resource, error_message="no")
    after = owner.get_marketplace_provider_resource(resource)
    assert (after.state, after.backend_id) == ("OK", "rp-job-alloc")
    assert [r["header"] for r in after.report or []] == ["Login"]

    accounts = owner.list_remote_offering_users()
    assert accounts
    assert all("state" not in account for account in accounts)  # no states on 7.0.7
    # 7.0.7 ignores the filter: every account comes back, none with a state (the demo
    # therefore walks only accounts whose own ``state`` says Requested).
    requested = owner.list_remote_offering_users(state="Requested")
    assert {a.uuid for a in requested} == {a.uuid for a in accounts}
    if accounts:
        with pytest.raises(LACKING):
            owner.marketplace_offering_user_begin_creating(accounts[0].uuid)

    usage = ComponentUsage("tb", Decimal("1.50"), "rp-job")
    owner.create_component_usages([usage], resource=resource)
    usages = owner.list_component_usages(resource_uuid=resource)
    assert [(u.type, u.usage) for u in usages] == [("tb", Decimal("1.50"))]
    owner.create_component_user_usage(usages[0].uuid, Decimal("0.75"), "rp-job-user")
    shares = owner.list_component_user_usages(resource_uuid=resource)
    assert [(s.username, s.usage) for s in shares] == [("rp-job-user", Decimal("0.75"))]
    periods = owner.marketplace_resource_get_plan_periods(resource)
    assert any(
        (c.get("type"), c.get("usage")) == ("tb", "1.50")
        for p in periods
        for c in p.to_dict().get("components") or []
    )
    with pytest.raises(LACKING):
        owner.list_component_user_usage_limits()
