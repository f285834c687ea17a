"""The order state machine: approve, reject and cancel from every state."""

from __future__ import annotations

import httpx
import pytest

from puhuri_async.testing import FakePuhuri

pytestmark = pytest.mark.anyio

STATES = [
    "pending-consumer",
    "pending-provider",
    "pending-project",
    "pending-start-date",
    "executing",
    "done",
    "erred",
    "canceled",
    "rejected",
]


def new_order(fake: FakePuhuri, state: str, order_type: str = "Update") -> dict:
    return fake.data.add_order(resource=fake.data.resources[0], state=state, order_type=order_type)


@pytest.mark.parametrize("state", STATES)
async def test_approve(client: httpx.AsyncClient, fake: FakePuhuri, state: str) -> None:
    order = new_order(fake, state)
    response = await client.post(
        f"marketplace-orders/{order['uuid']}/approve_by_provider/", json={}
    )
    if state == "pending-provider":
        assert response.status_code == 200
        assert response.json() == {"detail": "Order has been approved."}
        assert order["state"] == "executing"
        assert order["provider_reviewed_at"] is not None
    else:
        assert response.status_code == 409
        assert response.json() == {"detail": "Valid states for operation: pending-provider."}
        assert order["state"] == state
    listed = await client.get(f"marketplace-orders/{order['uuid']}/")
    assert listed.json()["state"] == order["state"]


@pytest.mark.parametrize("state", STATES)
async def test_reject(client: httpx.AsyncClient, fake: FakePuhuri, state: str) -> None:
    order = new_order(fake, state)
    response = await client.post(
        f"marketplace-orders/{order['uuid']}/reject_by_provider/",
        json={"provider_rejection_comment": "No capacity left."},
    )
    if state == "pending-provider":
        assert response.status_code == 200
        assert response.content == b""
        assert order["state"] == "rejected"
        assert order["provider_rejection_comment"] == "No capacity left."
    else:
        assert response.status_code == 409
        assert response.json() == {"detail": "Valid states for operation: pending-provider."}
        assert order["state"] == state
        assert order["provider_rejection_comment"] == ""


@pytest.mark.parametrize("state", STATES)
async def test_cancel(client: httpx.AsyncClient, fake: FakePuhuri, state: str) -> None:
    order = new_order(fake, state)
    response = await client.post(f"marketplace-orders/{order['uuid']}/cancel/")
    if state in ("pending-consumer", "pending-provider", "pending-start-date", "executing"):
        assert response.status_code == 202
        assert response.content == b""
        assert order["state"] == "canceled"
    else:
        assert response.status_code == 409
        assert response.json() == {
            "detail": "Valid states for operation: pending-consumer, pending-provider, "
            "pending-start-date, executing."
        }
        assert order["state"] == state


async def test_second_approval_conflicts(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    order = new_order(fake, "pending-provider")
    path = f"marketplace-orders/{order['uuid']}/approve_by_provider/"
    assert (await client.post(path, json={})).status_code == 200
    assert (await client.post(path, json={})).status_code == 409


async def test_rejecting_a_create_order_terminates_its_new_resource(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    resource = fake.data.add_resource(
        project=fake.data.projects[0], offering=fake.data.offerings[0], state="Creating"
    )
    order = fake.data.add_order(resource=resource, state="pending-provider", order_type="Create")
    response = await client.post(f"marketplace-orders/{order['uuid']}/reject_by_provider/", json={})
    assert response.status_code == 200
    assert resource["state"] == "Terminated"
    assert order["provider_rejection_comment"] == ""


async def test_approved_orders_leave_the_pending_list(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    pending = (await client.get("marketplace-orders/", params={"state": "pending-provider"})).json()
    assert len(pending) >= 3
    for order in pending:
        response = await client.post(
            f"marketplace-orders/{order['uuid']}/approve_by_provider/", json={}
        )
        assert response.status_code == 200
    after = await client.get("marketplace-orders/", params={"state": "pending-provider"})
    assert after.json() == []
    assert after.headers["X-Result-Count"] == "0"


@pytest.mark.parametrize("action", ["approve_by_provider", "reject_by_provider", "cancel"])
async def test_unknown_order_is_404(client: httpx.AsyncClient, action: str) -> None:
    response = await client.post(f"marketplace-orders/{'a' * 32}/{action}/", json={})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


async def test_wrong_method_and_unknown_path(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    order = fake.data.orders[0]["uuid"]
    wrong = await client.get(f"marketplace-orders/{order}/approve_by_provider/")
    assert wrong.status_code == 405
    assert wrong.json() == {"detail": 'Method "GET" not allowed.'}
    unknown = await client.get("no-such-endpoint/")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "text/html; charset=utf-8"  # Django's, not DRF's
