"""Regression tests for the library bugs this suite found, at the layer that was fixed."""

from __future__ import annotations

import pytest
import respx

from puhuri_async import DecodeError, OutcomeUnknownError, PuhuriClient, RetryPolicy

from ._support import TOKEN, use_fake_time

pytestmark = pytest.mark.anyio

API = "https://puhuri.test/api/"
HTML = "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>"


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("body", ["html", "truncated"])
async def test_undecodable_200_of_a_get_is_retried(body: str) -> None:
    """A proxy's HTML page or a cut JSON body with status 200 is a failed attempt: a GET retries
    it (it used to raise ``DecodeError`` at once, so a bulk fetch died on one bad page)."""
    bad = (
        {"text": HTML, "headers": {"Content-Type": "text/html"}}
        if body == "html"
        else {"content": b'[{"uuid": "ab', "headers": {"Content-Type": "application/json"}}
    )
    with respx.mock(base_url=API, assert_all_mocked=True) as router:
        route = router.get("marketplace-provider-offerings/" + "a" * 32 + "/")
        route.side_effect = [
            respx.MockResponse(200, **bad),  # type: ignore[arg-type]
            respx.MockResponse(200, json={"uuid": "a" * 32, "name": "HPC"}),
        ]
        async with PuhuriClient(API, TOKEN) as client:
            fake_time = use_fake_time(client)
            offering = await client.get_marketplace_provider_offering("a" * 32)
            assert client.stats.retries == 1
    assert offering.name == "HPC"
    assert route.call_count == 2
    assert len(fake_time.sleeps) == 1


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_undecodable_200_of_a_get_gives_decode_error_when_retries_run_out() -> None:
    with respx.mock(base_url=API, assert_all_mocked=True) as router:
        route = router.get("users/").respond(200, text=HTML, headers={"Content-Type": "text/html"})
        async with PuhuriClient(API, TOKEN, retry=RetryPolicy(max_attempts=3)) as client:
            use_fake_time(client)
            with pytest.raises(DecodeError) as info:
                await client.list_users()
    first = [call for call in route.calls if call.request.url.params.get("page") == "1"]
    assert len(first) == 3  # pages 2-4 went with it (first_window), cancelled by its error
    assert info.value.retries == 2
    assert "HTML page" in str(info.value)
    assert str(info.value).endswith("(after 2 retries)")


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_undecodable_200_of_a_post_is_outcome_unknown_and_sent_once() -> None:
    """A non-idempotent POST answered by a proxy page may or may not have run: never repeated,
    reported as ``OutcomeUnknownError`` (it used to be a bare ``DecodeError``)."""
    with respx.mock(base_url=API, assert_all_mocked=True) as router:
        route = router.post("marketplace-orders/abc/approve_by_provider/").respond(
            200, text=HTML, headers={"Content-Type": "text/html"}
        )
        async with PuhuriClient(API, TOKEN) as client:
            with pytest.raises(OutcomeUnknownError) as info:
                await client._transport.request(
                    "POST",
                    "marketplace-orders/abc/approve_by_provider/",
                    operation="marketplace_order_approve_by_provider",
                    json={},
                )
    assert route.call_count == 1
    assert isinstance(info.value.cause, DecodeError)
    assert "HTML page" in str(info.value)
    assert "not retried" in str(info.value)


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_permission_with_unhashable_uuids_is_a_decode_error() -> None:
    """A permission row whose uuids are not strings made the deduplication raise ``TypeError``
    (unhashable list); such a row is now left out of deduplication, and its bad fields raise
    ``DecodeError`` when read (list items convert their attributes lazily). Found by the
    hostile-input property test."""
    sp = "c" * 32
    with respx.mock(base_url=API, assert_all_mocked=True) as router:
        router.get(f"marketplace-service-providers/{sp}/project_permissions/").respond(
            200, json=[{"user_uuid": [], "project_uuid": {}, "role_name": "PROJECT.ADMIN"}]
        )
        async with PuhuriClient(API, TOKEN, retry=RetryPolicy.none()) as client:
            (permission,) = await client.list_service_provider_project_permissions(sp)
    assert permission.role_name == "PROJECT.ADMIN"
    assert permission["user_uuid"] == []
    operation = "list_service_provider_project_permissions"
    for name in ("user_uuid", "project_uuid"):
        with pytest.raises(DecodeError, match=rf"{operation}.*\$\.{name}"):
            getattr(permission, name)
