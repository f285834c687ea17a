"""Retries of the action POSTs: never repeated when not idempotent, repeated when they are."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio

from puhuri_async import (
    ComponentUsage,
    ConflictError,
    OutcomeUnknownError,
    PuhuriClient,
    ResourceReportRecord,
    RetryPolicy,
    ServerError,
)
from puhuri_async.testing import FakePuhuri, Fault

from .conftest import TOKEN, ContractCheckingTransport

pytestmark = pytest.mark.asyncio

#: Retries wait 0 s: the backoff never really sleeps.
NO_WAIT = RetryPolicy(backoff_base=0, backoff_max=0)


@pytest_asyncio.fixture
async def retrying(
    fake: FakePuhuri, contract: ContractCheckingTransport
) -> AsyncIterator[PuhuriClient]:
    async with PuhuriClient(fake.base_url, TOKEN, transport=contract, retry=NO_WAIT) as client:
        yield client


def pending_order(fake: FakePuhuri) -> str:
    return str(next(o["uuid"] for o in fake.data.orders if o["state"] == "pending-provider"))


def live_resource(fake: FakePuhuri) -> dict[str, Any]:
    return next(
        r
        for r in fake.data.resources
        if r["state"] != "Terminated" and fake.data.plan_periods.get(r["uuid"])
    )


async def test_approve_on_502_is_outcome_unknown_and_sent_once(
    retrying: PuhuriClient, fake: FakePuhuri
) -> None:
    uuid = pending_order(fake)
    fake.add_fault(Fault.error(502, method="POST", path="marketplace-orders/*", applied=True))
    with pytest.raises(OutcomeUnknownError) as caught:
        await retrying.marketplace_order_approve_by_provider(uuid)
    assert caught.value.operation == "marketplace_order_approve_by_provider"
    assert caught.value.retries == 0
    posts = fake.requests_for("POST", f"marketplace-orders/{uuid}/approve_by_provider/")
    assert len(posts) == 1
    assert posts[0].applied  # it did take effect: retrying would have been wrong
    assert fake.data.get("orders", uuid)["state"] == "executing"


NOT_IDEMPOTENT: list[tuple[str, Callable[[PuhuriClient, FakePuhuri], Any], str]] = [
    (
        "reject",
        lambda c, f: c.marketplace_order_reject_by_provider(pending_order(f)),
        "marketplace-orders/*/reject_by_provider/",
    ),
    (
        "cancel",
        lambda c, f: c.marketplace_order_cancel(pending_order(f)),
        "marketplace-orders/*/cancel/",
    ),
    (
        "submit_report",
        lambda c, f: c.marketplace_resource_submit_report(
            live_resource(f)["uuid"], [ResourceReportRecord("h", "b")]
        ),
        "marketplace-provider-resources/*/submit_report/",
    ),
    (
        "create_remote_offering_user",
        lambda c, f: c.create_remote_offering_user(
            f.data.offerings[1]["uuid"], f.data.users[-1]["uuid"]
        ),
        "marketplace-offering-users/",
    ),
]


@pytest.mark.parametrize(
    ("call", "path"), [c[1:] for c in NOT_IDEMPOTENT], ids=[c[0] for c in NOT_IDEMPOTENT]
)
async def test_other_actions_are_never_repeated(
    retrying: PuhuriClient, fake: FakePuhuri, call: Any, path: str
) -> None:
    fake.add_fault(Fault.error(504, method="POST", path=path, applied=False))
    with pytest.raises(OutcomeUnknownError):
        await call(retrying, fake)
    assert len(fake.requests_for("POST", path)) == 1


async def test_set_backend_id_on_502_is_retried_to_success(
    retrying: PuhuriClient, fake: FakePuhuri
) -> None:
    uuid = live_resource(fake)["uuid"]
    path = f"marketplace-provider-resources/{uuid}/set_backend_id/"
    fake.add_fault(Fault.error(502, method="POST", path=path, at=(1,), applied=True))
    result = await retrying.marketplace_resource_set_backend_id(uuid, "acct-9")
    posts = fake.requests_for("POST", path)
    assert [p.status for p in posts] == [502, 200]
    assert all(p.json == {"backend_id": "acct-9"} for p in posts)
    # the first attempt had already set it; the repeat found nothing to change
    assert result.status == "Resource backend_id is not changed."
    assert fake.data.get("resources", uuid)["backend_id"] == "acct-9"
    assert retrying.stats.retries == 1


async def test_set_usage_and_offerings_username_are_retried(
    retrying: PuhuriClient, fake: FakePuhuri
) -> None:
    resource = live_resource(fake)
    offering = fake.data.get("offerings", resource["offering_uuid"])
    assert offering is not None
    kind = offering["components"][0]["type"]
    fake.add_fault(Fault.error(503, method="POST", path="*/set_usage/", at=(1,), applied=True))
    fake.add_fault(
        Fault.error(504, method="POST", path="*/set_offerings_username/", at=(1,), applied=True)
    )
    await retrying.create_component_usages([ComponentUsage(kind, 4)], resource=resource["uuid"])
    sp = fake.data.service_provider["uuid"]
    user = fake.data.permissions[0]["user_uuid"]
    assert (await retrying.set_offerings_username(sp, user, "jdoe")).message
    assert [p.status for p in fake.requests_for("POST", "*/set_usage/")] == [503, 201]
    assert [p.status for p in fake.requests_for("POST", "*/set_offerings_username/")] == [504, 201]
    periods = await retrying.marketplace_resource_get_plan_periods(resource["uuid"])
    assert [u.usage for p in periods for u in p.components or () if u.type == kind] == [4]


async def test_conflict_on_approve_is_not_retried(retrying: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = str(next(o["uuid"] for o in fake.data.orders if o["state"] == "executing"))
    with pytest.raises(ConflictError) as caught:
        await retrying.marketplace_order_approve_by_provider(uuid)
    assert caught.value.status_code == 409
    assert "pending-provider" in str(caught.value)
    assert len(fake.requests) == 1


async def test_500_on_an_idempotent_post_is_not_retried(
    retrying: PuhuriClient, fake: FakePuhuri
) -> None:
    uuid = live_resource(fake)["uuid"]
    fake.add_fault(Fault.error(500, method="POST", at=(1,)))
    with pytest.raises(ServerError):
        await retrying.marketplace_resource_set_backend_id(uuid, "acct-1")
    assert len(fake.requests) == 1
