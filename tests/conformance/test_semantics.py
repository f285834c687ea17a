"""Semantics a real server has: empty 200 answers, consumer-only actions."""

from __future__ import annotations

import pytest

from puhuri_async import ActionResult, PermissionDeniedError, PuhuriClient
from puhuri_async.testing import FakeData, FakePuhuri, Quirks

pytestmark = pytest.mark.asyncio


def pending(fake: FakePuhuri, offering_type: str = "Marketplace.Basic") -> str:
    return str(
        next(
            o["uuid"]
            for o in fake.data.orders
            if o["state"] == "pending-provider"
            and fake.data.get("offerings", o["offering_uuid"])["type"] == offering_type
        )
    )


@pytest.mark.parametrize(("profile", "message"), [("7.0", None), ("8.0", "str")])
async def test_approve_answers_and_a_basic_order_is_done_at_once(
    profile: str, message: str | None
) -> None:
    fake = FakePuhuri(
        FakeData.generate(users=10, orders=10, seed=3),
        profile=profile,
        quirks=Quirks(basic_orders_complete=True),
    )
    order = pending(fake)
    async with PuhuriClient(fake.base_url, "owner-token", transport=fake.transport()) as client:
        result = await client.marketplace_order_approve_by_provider(order)
        after = await client.list_orders(state="done")
    assert isinstance(result, ActionResult)
    if message is None:
        assert dict(result) == {}
        assert result.message is None
    else:
        assert isinstance(result.message, str)
    assert order in {o.uuid for o in after}  # a Basic offering's order: done, never executing


async def test_cancel_by_the_provider_is_forbidden_and_says_why() -> None:
    fake = FakePuhuri(FakeData.generate(users=10, orders=10, seed=3), profile="7.0")
    order = pending(fake)
    async with PuhuriClient(fake.base_url, "owner-token", transport=fake.transport()) as client:
        with pytest.raises(PermissionDeniedError) as refused:
            await client.marketplace_order_cancel(order)
    assert refused.value.status_code == 403
    assert refused.value.hint is not None
    assert "consumer action" in str(refused.value)
    assert fake.data.get("orders", order)["state"] == "pending-provider"
