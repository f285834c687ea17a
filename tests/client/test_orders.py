"""list_orders / iter_orders and the provider's approve, reject and cancel actions."""

from __future__ import annotations

import pytest
from _requests import sent

from puhuri_async import ActionResult, ConflictError, Order, PuhuriClient
from puhuri_async.testing import FakePuhuri

pytestmark = pytest.mark.asyncio


def order_in(fake: FakePuhuri, state: str, index: int = 0) -> str:
    uuids = [o["uuid"] for o in fake.data.orders if o["state"] == state]
    return str(uuids[index])


async def test_list_orders_by_state_and_type(client: PuhuriClient, fake: FakePuhuri) -> None:
    orders = await client.list_orders({"state": "pending-provider"}, type=["Create", "Update"])
    expected = [
        o["uuid"]
        for o in fake.data.orders
        if o["state"] == "pending-provider" and o["type"] in ("Create", "Update")
    ]
    assert [o.uuid for o in orders] == expected
    assert all(isinstance(o, Order) for o in orders)
    (request,) = sent(fake)
    assert (request.method, request.path) == ("GET", "/api/marketplace-orders/")
    assert request.param("state") == ["pending-provider"]
    assert request.param("type") == ["Create", "Update"]  # repeated, not comma-joined
    assert request.json is None


async def test_list_orders_by_resource_as_the_seed_does(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    order = fake.data.orders[0]
    found = await client.list_orders({"resource_uuid": order["marketplace_resource_uuid"]})
    assert order["uuid"] in [o["uuid"] for o in found]
    assert all(o.marketplace_resource_uuid == order["marketplace_resource_uuid"] for o in found)


async def test_iter_orders_streams_every_order(client: PuhuriClient, fake: FakePuhuri) -> None:
    assert [o.uuid async for o in client.iter_orders()] == [o["uuid"] for o in fake.data.orders]


async def test_approve_posts_an_empty_object(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = order_in(fake, "pending-provider")
    result = await client.marketplace_order_approve_by_provider(uuid)
    assert isinstance(result, ActionResult)
    assert result["detail"] == result.message == "Order has been approved."
    (request,) = fake.requests
    assert request.method == "POST"
    assert request.path == f"/api/marketplace-orders/{uuid}/approve_by_provider/"
    assert request.query == ()
    assert request.json == {}
    assert fake.data.get("orders", uuid)["state"] == "executing"


async def test_reject_with_comment(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = order_in(fake, "pending-provider")
    dashed = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}".upper()
    result = await client.marketplace_order_reject_by_provider(dashed, comment="No capacity")
    assert isinstance(result, ActionResult)
    assert result.to_dict() == {}  # the server answers with no body
    assert result.message is None
    (request,) = fake.requests_for("POST")
    assert request.path == f"/api/marketplace-orders/{uuid}/reject_by_provider/"
    assert request.json == {"provider_rejection_comment": "No capacity"}
    assert fake.data.get("orders", uuid)["state"] == "rejected"


async def test_reject_without_comment_sends_no_comment(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    uuid = order_in(fake, "pending-provider")
    await client.marketplace_order_reject_by_provider(uuid)
    assert fake.requests[0].json == {}


async def test_cancel_sends_no_body_and_gets_202(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = order_in(fake, "pending-consumer")
    result = await client.marketplace_order_cancel(uuid)
    assert isinstance(result, ActionResult)
    assert dict(result) == {}
    (request,) = fake.requests
    assert (request.method, request.path) == ("POST", f"/api/marketplace-orders/{uuid}/cancel/")
    assert request.json is None
    assert request.status == 202
    assert fake.data.get("orders", uuid)["state"] == "canceled"


@pytest.mark.parametrize(
    "call",
    [
        "marketplace_order_approve_by_provider",
        "marketplace_order_reject_by_provider",
        "marketplace_order_cancel",
    ],
)
async def test_wrong_state_is_a_conflict_sent_once(
    client: PuhuriClient, fake: FakePuhuri, call: str
) -> None:
    uuid = order_in(fake, "done")
    with pytest.raises(ConflictError) as caught:
        await getattr(client, call)(uuid)
    assert caught.value.status_code == 409
    assert caught.value.operation == call
    assert caught.value.retries == 0
    assert len(fake.requests) == 1
