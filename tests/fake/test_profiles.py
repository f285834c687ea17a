"""Server profiles: what Waldur 7.0.7, 8.0.5 and 8.1 serve, ignore, drop and how they shape it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from puhuri_async.testing import PROFILES, FakeData, FakePuhuri, ServerProfile

from ._util import client_as, client_for

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def make(profile: str) -> FakePuhuri:
    return FakePuhuri(
        FakeData.generate(users=30, seed=2),
        token="test-token-123",
        profile=profile,
        clock=lambda: NOW,
    )


@pytest.fixture
def old() -> FakePuhuri:
    return make("7.0")


@pytest.fixture
async def http(old: FakePuhuri) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(old) as client:
        yield client


def ok_resource(fake: FakePuhuri) -> dict:
    return next(
        r
        for r in fake.data.resources
        if r["state"] == "OK" and r["offering_type"] == "Marketplace.Basic"
    )


def test_profiles_by_name_and_alias() -> None:
    assert set(PROFILES) == {"7.0", "8.0", "8.1"}
    for alias, name in (("7", "7.0"), ("7.0.7", "7.0"), ("8", "8.0"), ("8.0.5", "8.0")):
        assert FakePuhuri(profile=alias).profile is PROFILES[name]
    custom = ServerProfile("custom", "9.9.9", missing=frozenset({"version"}))
    assert FakePuhuri(profile=custom).profile is custom
    with pytest.raises(ValueError, match=r"unknown server profile '6\.0'"):
        FakePuhuri(profile="6.0")


@pytest.mark.parametrize(
    ("profile", "version"), [("7.0", "7.0.7"), ("8.0", "8.0.5"), ("8.1", "8.1.2")]
)
async def test_version_answers_the_profile(profile: str, version: str) -> None:
    async with client_for(make(profile)) as client:
        assert (await client.get("version/")).json() == {"version": version}


MISSING_ON_7 = [
    ("POST", "marketplace-orders/{order}/set_backend_id/"),
    ("POST", "marketplace-provider-resources/{resource}/set_as_ok/"),
    ("POST", "marketplace-provider-resources/{resource}/set_limits/"),
    ("POST", "marketplace-provider-resources/{resource}/refresh_last_sync/"),
    ("POST", "marketplace-provider-resources/{resource}/set_end_date/"),
    ("POST", "marketplace-provider-resources/{resource}/set_endpoints/"),
    ("POST", "marketplace-provider-resources/{resource}/set_effective_id/"),
    ("POST", "marketplace-offering-users/{account}/begin_creating/"),
    ("POST", "marketplace-offering-users/{account}/set_ok/"),
    ("POST", "marketplace-offering-users/{account}/set_deleted/"),
    ("GET", "component-user-usage-limits/"),
    ("OPTIONS", "marketplace-provider-resources/{resource}/set_limits/"),
    ("GET", "no-such-endpoint/"),
]


@pytest.mark.parametrize(("method", "path"), MISSING_ON_7)
async def test_what_7_lacks_answers_djangos_html_404(
    http: httpx.AsyncClient, old: FakePuhuri, method: str, path: str
) -> None:
    filled = path.format(
        order=old.data.orders[0]["uuid"],
        resource=ok_resource(old)["uuid"],
        account=old.data.offering_users[0]["uuid"],
    )
    response = await http.request(method, filled, json={} if method == "POST" else None)
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert b"<h1>Not Found</h1>" in response.content


@pytest.mark.parametrize("action", ["set_end_date", "set_endpoints", "set_effective_id"])
async def test_the_8_1_actions_exist_on_8_1_only(action: str) -> None:
    for profile, status in (("8.0", 404), ("8.1", 400)):
        fake = make(profile)
        async with client_for(fake) as client:
            path = f"marketplace-provider-resources/{ok_resource(fake)['uuid']}/{action}/"
            response = await client.post(path, json={"end_date": "x", "endpoints": 1})
        assert response.status_code == status, profile


async def test_sub_lists_ignore_every_filter_on_7(old: FakePuhuri) -> None:
    sp = old.data.service_provider["uuid"]
    user = old.data.permissions[0]["user_uuid"]
    queries = {
        "keys/": {"user_uuid": user},
        "projects/": {"name": "no project has this name"},
        "project_permissions/": {"username": "nobody-at-all"},
    }
    for profile in ("8.0", "7.0"):
        fake = make(profile)
        async with client_for(fake) as client:
            for sub, params in queries.items():
                path = f"marketplace-service-providers/{sp}/{sub}"
                everything = await client.get(path, params={"page_size": 300})
                filtered = await client.get(path, params={"page_size": 300, **params})
                count = filtered.headers["X-Result-Count"]
                if profile == "7.0":
                    assert count == everything.headers["X-Result-Count"], sub
                else:
                    assert int(count) < int(everything.headers["X-Result-Count"]), sub


async def test_offering_users_have_no_state_on_7(http: httpx.AsyncClient) -> None:
    every = await http.get("marketplace-offering-users/", params={"page_size": 300})
    by_state = await http.get(
        "marketplace-offering-users/", params={"page_size": 300, "state": "Deleted"}
    )
    assert by_state.headers["X-Result-Count"] == every.headers["X-Result-Count"]
    for account in every.json():
        assert "state" not in account
        assert account["propagation_date"] is None
        assert len(account) == 16


async def test_usage_date_is_dropped_on_7(old: FakePuhuri, http: httpx.AsyncClient) -> None:
    resource = ok_resource(old)
    body = {
        "resource": resource["uuid"],
        "date": "2024-11-30T12:00:00Z",
        "usages": [{"type": "cpu", "amount": "11.00"}],
    }
    assert (
        await http.post("marketplace-component-usages/set_usage/", json=body)
    ).status_code == 201
    usage = old.data.component_usages[0]
    assert usage["billing_period"] == "2025-03-01"  # the clock's month, not November
    assert usage["date"].startswith("2025-03-14")
    new = make("8.0")
    async with client_for(new) as client:
        body["resource"] = ok_resource(new)["uuid"]
        await client.post("marketplace-component-usages/set_usage/", json=body)
    assert new.data.component_usages[0]["billing_period"] == "2024-11-01"


async def test_rejection_comment_is_dropped_on_7(old: FakePuhuri, http: httpx.AsyncClient) -> None:
    order = next(o for o in old.data.orders if o["state"] == "pending-provider")
    path = f"marketplace-orders/{order['uuid']}/reject_by_provider/"
    response = await http.post(path, json={"provider_rejection_comment": "No capacity."})
    assert (response.status_code, response.content) == (200, b"")
    assert order["state"] == "rejected"
    assert order["provider_rejection_comment"] == ""


async def test_approval_answers_no_body_on_7(old: FakePuhuri, http: httpx.AsyncClient) -> None:
    order = next(o for o in old.data.orders if o["state"] == "pending-provider")
    response = await http.post(f"marketplace-orders/{order['uuid']}/approve_by_provider/", json={})
    assert (response.status_code, response.content) == (200, b"")
    assert "content-type" not in response.headers
    assert order["state"] == "executing"


async def test_set_as_erred_is_staff_only_and_keeps_no_message_on_7(old: FakePuhuri) -> None:
    resource = ok_resource(old)
    path = f"marketplace-provider-resources/{resource['uuid']}/set_as_erred/"
    body = {"error_message": "Backend down."}
    async with client_as(old, "owner-token") as owner:
        assert (await owner.post(path, json=body)).status_code == 403
    assert resource["state"] == "OK"
    async with client_for(old) as staff:
        assert (await staff.post(path, json=body)).status_code == 200
    assert resource["state"] == "Erred"
    assert resource["error_message"] == ""


async def test_7_shapes(old: FakePuhuri, http: httpx.AsyncClient) -> None:
    sp = old.data.service_provider["uuid"]
    provider = (await http.get("marketplace-service-providers/")).json()[0]
    assert provider["organization_group"] is None
    assert "organization_groups" not in provider
    permissions = await http.get(f"marketplace-service-providers/{sp}/project_permissions/")
    first = permissions.json()[0]
    assert first["role"] == old.data.permissions[0]["role"].split(".")[1].lower()  # "admin"
    assert "role_name" not in first
    order = (await http.get(f"marketplace-orders/{old.data.orders[0]['uuid']}/")).json()
    assert "url" not in order
    assert order["offering_terms_of_service"] == ""
    assert order["resource_uuid"] is None
    resource = (
        await http.get(f"marketplace-provider-resources/{ok_resource(old)['uuid']}/")
    ).json()
    assert resource["offering_customer_uuid"] == resource["provider_uuid"]
    assert "last_sync" not in resource
    me = (await http.get("users/me/")).json()
    assert me["token"] == "test-token-123"
    assert "token_expires_at" not in me
    usages = (await http.get("marketplace-component-usages/")).json()
    assert all(isinstance(u["usage"], str) for u in usages)
    assert usages


async def test_usage_amounts_are_decimal_strings_in_both_versions() -> None:
    for profile in ("7.0", "8.0"):
        async with client_for(make(profile)) as client:
            usages = (await client.get("marketplace-component-usages/")).json()
            per_user = (await client.get("marketplace-component-user-usages/")).json()
        assert usages
        assert per_user
        assert all(isinstance(u["usage"], str) and "." in u["usage"] for u in usages + per_user)


async def test_cancel_states_per_version() -> None:
    for profile, accepted in (("7.0", False), ("8.0", True)):
        fake = make(profile)
        order = fake.data.add_order(resource=ok_resource(fake), state="pending-start-date")
        async with client_for(fake) as client:
            response = await client.post(f"marketplace-orders/{order['uuid']}/cancel/")
        assert (response.status_code == 202) is accepted, profile
    assert response.status_code == 202
    old = make("7.0")
    order = old.data.add_order(resource=ok_resource(old), state="done")
    async with client_for(old) as client:
        refused = await client.post(f"marketplace-orders/{order['uuid']}/cancel/")
    assert refused.json() == {
        "detail": "Valid states for operation: pending-consumer, pending-provider, executing."
    }


async def test_7_names_the_model_of_a_missing_object(http: httpx.AsyncClient) -> None:
    order = await http.get(f"marketplace-orders/{'a' * 32}/")
    assert order.json() == {"detail": "No Order matches the given query."}
    account = await http.post(f"marketplace-offering-users/{'a' * 32}/", json={})
    assert account.status_code == 405
    resource = await http.get(f"marketplace-provider-resources/{'a' * 32}/")
    assert resource.json() == {"detail": "No Resource matches the given query."}
    async with client_for(make("8.0")) as new:
        assert (await new.get(f"marketplace-orders/{'a' * 32}/")).json() == {"detail": "Not found."}


async def test_7_refuses_the_order_filters_it_does_not_know(http: httpx.AsyncClient) -> None:
    state = await http.get("marketplace-orders/", params={"state": "pending-start-date"})
    assert state.status_code == 400
    assert state.json() == {
        "state": ["Select a valid choice. pending-start-date is not one of the available choices."]
    }
    assert (await http.get("marketplace-orders/", params={"type": "Restore"})).status_code == 400
    assert (await http.get("marketplace-orders/", params={"state": "pending-project"})).is_success


async def test_7_team_rows_have_no_offering_user_state(
    old: FakePuhuri, http: httpx.AsyncClient
) -> None:
    resource = ok_resource(old)
    team = (await http.get(f"marketplace-provider-resources/{resource['uuid']}/team/")).json()
    assert team
    assert all("offering_user_state" not in row for row in team)


async def test_set_as_erred_on_7_refuses_non_staff_before_looking(old: FakePuhuri) -> None:
    async with client_as(old, "owner-token") as owner:
        path = f"marketplace-provider-resources/{'a' * 32}/set_as_erred/"
        assert (await owner.post(path, json={})).status_code == 403


async def test_a_path_without_its_final_slash_is_redirected(http: httpx.AsyncClient) -> None:
    response = await http.get("users", params={"page_size": 5})
    assert response.status_code == 301
    assert response.headers["location"] == "/api/users/?page_size=5"
    assert (await http.get("no-such-thing")).status_code == 404


async def test_7_sub_lists_cannot_be_ordered(old: FakePuhuri, http: httpx.AsyncClient) -> None:
    sp = old.data.service_provider["uuid"]
    for sub, field in (("keys/", "name"), ("users/", "username"), ("project_permissions/", "role")):
        path = f"marketplace-service-providers/{sp}/{sub}"
        assert (await http.get(path, params={"o": field})).status_code == 400, sub
        assert (await http.get(path, params={"o": "customer_name"})).status_code == 200
    async with client_for(make("8.0")) as new:
        assert (
            await new.get(f"marketplace-service-providers/{sp}/keys/", params={"o": "name"})
        ).is_success
    usages = await http.get("marketplace-component-usages/", params={"o": "whatever"})
    assert usages.status_code == 200  # 7.0.7's usage lists have no ordering filter


async def test_7_sub_lists_take_the_provider_filters(
    old: FakePuhuri, http: httpx.AsyncClient
) -> None:
    sp = old.data.service_provider["uuid"]
    path = f"marketplace-service-providers/{sp}/users/"
    mine = await http.get(path, params={"customer_uuid": old.data.customer["uuid"]})
    assert mine.status_code == 200
    other = await http.get(path, params={"customer_uuid": old.data.other_customer["uuid"]})
    assert other.json() == {"detail": "No ServiceProvider matches the given query."}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("marketplace-provider-resources/", {"plan_uuid": "a" * 32}),
        ("marketplace-resources/", {"offering_slug": "no-such-offering"}),
        ("marketplace-orders/", {"resource_name": "no such resource"}),
        ("marketplace-service-providers/{sp}/users/", {"project_uuid": "a" * 32}),
    ],
)
async def test_more_filters_7_ignores(path: str, params: dict[str, str]) -> None:
    counts = {}
    for profile in ("7.0", "8.0"):
        fake = make(profile)
        async with client_for(fake) as client:
            filled = path.format(sp=fake.data.service_provider["uuid"])
            everything = await client.get(filled)
            filtered = await client.get(filled, params=params)
        counts[profile] = (everything.headers["X-Result-Count"], filtered.headers["X-Result-Count"])
    assert counts["7.0"][0] == counts["7.0"][1]
    assert counts["8.0"][1] == "0"
