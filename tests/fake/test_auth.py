"""Token authentication as DRF answers it."""

from __future__ import annotations

import httpx
import pytest

from puhuri_async.testing import FakeData, FakePuhuri

from ._util import TOKEN

pytestmark = pytest.mark.anyio


async def get_users(fake: FakePuhuri, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url) as http:
        return await http.get("users/", headers=headers)


@pytest.mark.parametrize("header", [f"Token {TOKEN}", f"Bearer {TOKEN}", f"token {TOKEN}"])
async def test_accepted(fake: FakePuhuri, header: str) -> None:
    response = await get_users(fake, {"Authorization": header})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Authentication credentials were not provided."),
        ({"Authorization": f"Basic {TOKEN}"}, "Authentication credentials were not provided."),
        ({"Authorization": "Token wrong-token"}, "Invalid token."),
        ({"Authorization": "Bearer wrong-token"}, "Invalid token."),
        ({"Authorization": "Token"}, "Invalid token header. No credentials provided."),
        (
            {"Authorization": f"Token {TOKEN} extra"},
            "Invalid token header. Token string should not contain spaces.",
        ),
    ],
)
async def test_rejected(fake: FakePuhuri, headers: dict[str, str], detail: str) -> None:
    response = await get_users(fake, headers)
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response.headers["WWW-Authenticate"] == "Token"
    assert fake.requests[-1].status == 401
    assert not fake.requests[-1].applied


async def test_posts_need_the_token_too(fake: FakePuhuri) -> None:
    order = next(o for o in fake.data.orders if o["state"] == "pending-provider")
    async with httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url) as http:
        response = await http.post(
            f"marketplace-orders/{order['uuid']}/approve_by_provider/", json={}
        )
    assert response.status_code == 401
    assert order["state"] == "pending-provider"


async def test_no_token_configured_accepts_anyone() -> None:
    fake = FakePuhuri(FakeData.generate(users=3), token=None)
    response = await get_users(fake, {})
    assert response.status_code == 200


async def test_unknown_urls_are_404_before_any_token_is_checked(fake: FakePuhuri) -> None:
    for path in ("no-such-endpoint/", "/elsewhere/"):
        response = await get_path(fake, path)
        assert response.status_code == 404
        assert response.headers["content-type"] == "text/html; charset=utf-8"
    old = FakePuhuri(FakeData.generate(users=3), profile="7.0")
    resource = old.data.resources[0]["uuid"]
    missing = await get_path(old, f"marketplace-provider-resources/{resource}/set_limits/")
    assert missing.status_code == 404
    assert (await get_path(old, "users/")).status_code == 401


async def get_path(fake: FakePuhuri, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url) as http:
        return await http.get(path)
