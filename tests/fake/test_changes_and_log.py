"""Data changing between pages, and the request log."""

from __future__ import annotations

import httpx
import pytest

from puhuri_async.testing import DataChange, FakeData, FakePuhuri

from ._util import client_for

pytestmark = pytest.mark.anyio


async def page(client: httpx.AsyncClient, path: str, number: int, size: int = 5) -> list[str]:
    response = await client.get(path, params={"page": number, "page_size": size})
    assert response.status_code == 200
    return [item["uuid"] for item in response.json()]


async def test_insert_between_pages_shifts_items(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    before = [u["uuid"] for u in fake.data.users]
    fake.schedule_change(DataChange("users", insert=2, after=1, path="users/"))
    first = await page(client, "users/", 1)
    second = await page(client, "users/", 2)
    assert first == before[:5]
    assert second == before[3:8]  # two items of page 1 are seen again
    response = await client.head("users/")
    assert response.headers["X-Result-Count"] == str(len(before) + 2)
    third = await page(client, "users/", 3)
    assert third == before[8:13]  # the change happened once


async def test_delete_between_pages_skips_items(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    before = [o["uuid"] for o in fake.data.orders]
    fake.schedule_change(DataChange("orders", delete=3, after=1, path="marketplace-orders/"))
    first = await page(client, "marketplace-orders/", 1)
    second = await page(client, "marketplace-orders/", 2)
    assert first == before[:5]
    assert second == before[8:13]
    assert set(before) - set(first) - set(second) >= set(before[5:8])


async def test_insert_at_the_end_and_on_a_later_request(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    sp = fake.data.service_provider["uuid"]
    path = f"marketplace-service-providers/{sp}/users/"
    total = int((await client.head(path)).headers["X-Result-Count"])
    fake.schedule_change(DataChange("users", insert=1, at=-1, after=2, path=path, method=None))
    await client.head(path)
    assert int((await client.head(path)).headers["X-Result-Count"]) == total
    assert int((await client.head(path)).headers["X-Result-Count"]) == total + 1
    newest = fake.data.users[-1]
    assert any(p["user_uuid"] == newest["uuid"] for p in fake.data.permissions)


async def test_changes_called_from_the_test(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    first = await page(client, "marketplace-provider-resources/", 1)
    added = fake.insert("resources", 1)
    assert (await page(client, "marketplace-provider-resources/", 1))[0] == added[0]["uuid"]
    removed = fake.delete("resources", 2)
    assert [r["uuid"] for r in removed] == [added[0]["uuid"], first[0]]
    assert (await page(client, "marketplace-provider-resources/", 1))[0] == first[1]
    assert (await client.get(f"marketplace-resources/{first[0]}/")).status_code == 404


def test_every_collection_can_change() -> None:
    data = FakeData.generate(users=10)
    for name in (
        "users",
        "ssh_keys",
        "projects",
        "permissions",
        "resources",
        "orders",
        "offering_users",
    ):
        size = len(getattr(data, name))
        data.insert(name, 2, at=1)
        assert len(getattr(data, name)) == size + 2
        data.delete(name, 1, at=-1)
        assert len(getattr(data, name)) == size + 1
    with pytest.raises(ValueError, match="collection"):
        data.insert("customers")
    with pytest.raises(ValueError, match="collection"):
        DataChange("customers", insert=1)
    with pytest.raises(ValueError, match="insert"):
        DataChange("users")


async def test_request_log(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    order = next(o for o in fake.data.orders if o["state"] == "pending-provider")
    await client.get(
        "marketplace-orders/",
        params=[("state", "pending-provider"), ("state", "done"), ("field", "uuid")],
    )
    await client.post(f"marketplace-orders/{order['uuid']}/approve_by_provider/", json={})
    await client.post(f"marketplace-orders/{order['uuid']}/approve_by_provider/", json={})
    await client.post(
        f"marketplace-orders/{order['uuid']}/reject_by_provider/",
        json={"provider_rejection_comment": "late"},
    )
    listing, first, second, reject = fake.requests
    assert (listing.index, listing.method, listing.path) == (0, "GET", "/api/marketplace-orders/")
    assert listing.query == (("state", "pending-provider"), ("state", "done"), ("field", "uuid"))
    assert listing.param("state") == ["pending-provider", "done"]
    assert listing.json is None
    assert (listing.status, listing.applied, listing.fault) == (200, True, None)
    assert ("authorization", "Token test-token-123") in listing.headers
    assert (first.status, first.applied, first.json) == (200, True, {})
    assert (second.status, second.applied) == (409, False)
    assert reject.json == {"provider_rejection_comment": "late"}
    approvals = fake.requests_for(
        "POST", f"/api/marketplace-orders/{order['uuid']}/approve_by_provider/"
    )
    assert approvals == [first, second]
    assert fake.requests_for("post", "marketplace-orders/*/approve_by_provider/") == approvals
    assert fake.requests_for(path="marketplace-orders/*") == [listing, first, second, reject]
    assert fake.requests_for(path="marketplace-orders/?*") == [first, second, reject]
    assert fake.requests_for("GET") == [listing]
    fake.clear_requests()
    assert fake.requests == []


async def test_log_keeps_bodies_that_are_not_json(fake: FakePuhuri) -> None:
    async with client_for(fake) as http:
        await http.post("marketplace-component-usages/set_usage/", content=b"not json")
    (record,) = fake.requests
    assert record.json is None
    assert record.status == 400
