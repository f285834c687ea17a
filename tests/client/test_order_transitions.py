"""get_order and the site's order transitions: executing, done, erred, and the order's backend_id.

Each runs against FakePuhuri through the contract-checking transport (so every request and
response is also checked against the schema subset); the effects are read on the fake's data.
"""

from __future__ import annotations

from typing import Any

import pytest
from _requests import sent

from puhuri_async import (
    ActionResult,
    APIError,
    ConflictError,
    NotFoundError,
    Order,
    PermissionDeniedError,
    PuhuriClient,
    PuhuriError,
)
from puhuri_async.testing import FakeData, FakePuhuri

pytestmark = pytest.mark.asyncio

SLURM = "Marketplace.Slurm"
BASIC = "Marketplace.Basic"


def order_of(fake: FakePuhuri, state: str, offering_type: str) -> dict[str, Any]:
    return next(
        o for o in fake.data.orders if o["state"] == state and o["offering_type"] == offering_type
    )


async def test_get_order_reads_one_order(client: PuhuriClient, fake: FakePuhuri) -> None:
    expected = fake.data.orders[3]
    order = await client.get_order(expected["uuid"])
    assert isinstance(order, Order)
    assert order.uuid == expected["uuid"]
    assert order.state == expected["state"]
    assert order.marketplace_resource_uuid == expected["marketplace_resource_uuid"]
    (request,) = sent(fake)
    assert (request.method, request.path) == ("GET", f"/api/marketplace-orders/{expected['uuid']}/")
    assert request.query == ()


async def test_get_order_of_an_unknown_uuid_is_not_found(client: PuhuriClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.get_order("0" * 32)
    assert caught.value.operation == "get_order"


async def test_executing_then_done_walks_a_site_agent_order(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    order = order_of(fake, "pending-provider", SLURM)
    resource = fake.data.get("resources", order["marketplace_resource_uuid"])
    assert resource is not None
    executing = await client.marketplace_order_set_state_executing(order["uuid"])
    assert isinstance(executing, ActionResult)
    assert executing.to_dict() == {}  # 200 with no body
    assert fake.data.get("orders", order["uuid"])["state"] == "executing"
    done = await client.marketplace_order_set_state_done(order["uuid"])
    assert done.to_dict() == {}
    assert fake.data.get("orders", order["uuid"])["state"] == "done"
    assert resource["state"] == "OK"  # a Create order done: its resource is OK
    first, second = sent(fake)
    assert (first.method, first.path) == (
        "POST",
        f"/api/marketplace-orders/{order['uuid']}/set_state_executing/",
    )
    assert (second.method, second.path) == (
        "POST",
        f"/api/marketplace-orders/{order['uuid']}/set_state_done/",
    )
    assert first.json is None  # the actions take no body; none is sent
    assert second.json is None
    assert (await client.get_order(order["uuid"])).state == "done"


async def test_done_from_another_state_is_a_conflict(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    order = order_of(fake, "pending-provider", BASIC)
    with pytest.raises(ConflictError) as caught:
        await client.marketplace_order_set_state_done(order["uuid"])
    assert caught.value.status_code == 409
    assert "executing" in caught.value.detail
    assert fake.data.get("orders", order["uuid"])["state"] == "pending-provider"
    assert len(sent(fake)) == 1  # a 409 is never retried


async def test_done_finishes_an_executing_basic_order(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    order = order_of(fake, "executing", BASIC)
    await client.marketplace_order_set_state_done(order["uuid"])
    assert fake.data.get("orders", order["uuid"])["state"] == "done"


async def test_executing_on_a_basic_offering_is_405(client: PuhuriClient, fake: FakePuhuri) -> None:
    order = order_of(fake, "pending-provider", BASIC)
    with pytest.raises(APIError) as caught:
        await client.marketplace_order_set_state_executing(order["uuid"])
    assert caught.value.status_code == 405
    assert fake.data.get("orders", order["uuid"])["state"] == "pending-provider"


async def test_executing_from_done_is_a_conflict(client: PuhuriClient, fake: FakePuhuri) -> None:
    order = order_of(fake, "done", SLURM)
    with pytest.raises(ConflictError):
        await client.marketplace_order_set_state_executing(order["uuid"])
    assert fake.data.get("orders", order["uuid"])["state"] == "done"


async def test_erred_sends_both_texts_and_fails_order_and_resource(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    order = order_of(fake, "executing", SLURM)
    result = await client.marketplace_order_set_state_erred(
        order["uuid"], "no nodes", "Traceback: ..."
    )
    assert result.to_dict() == {}
    (request,) = sent(fake)
    assert request.path == f"/api/marketplace-orders/{order['uuid']}/set_state_erred/"
    assert request.json == {"error_message": "no nodes", "error_traceback": "Traceback: ..."}
    stored = fake.data.get("orders", order["uuid"])
    assert (stored["state"], stored["error_message"]) == ("erred", "no nodes")
    assert stored["error_traceback"] == "Traceback: ..."
    resource = fake.data.get("resources", order["marketplace_resource_uuid"])
    assert resource is not None
    assert resource["state"] == "Erred"


async def test_erred_sends_empty_texts_by_default_as_waldur_client_does(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    order = order_of(fake, "pending-provider", SLURM)
    await client.marketplace_order_set_state_erred(order["uuid"])
    assert sent(fake)[0].json == {"error_message": "", "error_traceback": ""}


async def test_order_set_backend_id_sets_it_and_says_when_it_did_not_change(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    uuid = fake.data.orders[0]["uuid"]
    first = await client.marketplace_order_set_backend_id(uuid, "job-4711")
    assert first.message == "Order backend_id has been changed."
    assert fake.data.get("orders", uuid)["backend_id"] == "job-4711"
    again = await client.marketplace_order_set_backend_id(uuid, "job-4711")
    assert again.message == "Order backend_id is not changed."
    assert sent(fake)[0].json == {"backend_id": "job-4711"}
    assert (await client.get_order(uuid)).backend_id == "job-4711"


@pytest.mark.parametrize(
    ("token", "error"),
    [("member-token", PermissionDeniedError), ("other-owner-token", NotFoundError)],
)
async def test_only_the_provider_moves_its_orders(
    fake: FakePuhuri, token: str, error: type[APIError]
) -> None:
    order = order_of(fake, "executing", SLURM)
    async with PuhuriClient(fake.base_url, token, transport=fake.transport()) as client:
        for call in (
            client.marketplace_order_set_state_done(order["uuid"]),
            client.marketplace_order_set_state_erred(order["uuid"], "x"),
            client.marketplace_order_set_backend_id(order["uuid"], "b"),
        ):
            with pytest.raises(error):
                await call
    assert fake.data.get("orders", order["uuid"])["state"] == "executing"


async def test_the_owner_of_the_provider_may_finish_its_orders(fake: FakePuhuri) -> None:
    order = order_of(fake, "executing", SLURM)
    async with PuhuriClient(fake.base_url, "owner-token", transport=fake.transport()) as client:
        await client.marketplace_order_set_state_done(order["uuid"])
    assert fake.data.get("orders", order["uuid"])["state"] == "done"


async def test_a_7_0_server_has_no_order_backend_id() -> None:
    """7.0.7 lacks the route: an error (today the server's 404), never a silent success."""
    fake = FakePuhuri(FakeData.generate(users=10, seed=3), profile="7.0")
    uuid = fake.data.orders[0]["uuid"]
    before = fake.data.get("orders", uuid)["backend_id"]
    async with PuhuriClient(fake.base_url, "test-token", transport=fake.transport()) as client:
        with pytest.raises(PuhuriError):
            await client.marketplace_order_set_backend_id(uuid, "b")
    assert fake.data.get("orders", uuid)["backend_id"] == before
