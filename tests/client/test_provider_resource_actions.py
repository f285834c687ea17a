"""The provider's resource operations: read one, OK / erred, limits, metadata, sync, end date,
and the 8.1 endpoints and effective id; each effect read on the fake's data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from _requests import sent

from puhuri_async import (
    ActionResult,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    PuhuriClient,
    PuhuriError,
    Resource,
    ResourceEndpoint,
    UnsupportedByServerError,
    ValidationError,
)
from puhuri_async.testing import FakeData, FakePuhuri

from .conftest import TOKEN

pytestmark = pytest.mark.asyncio


def resource_in(fake: FakePuhuri, state: str) -> dict[str, Any]:
    return next(r for r in fake.data.resources if r["state"] == state)


def later(days: int) -> date:
    return datetime.now(UTC).date() + timedelta(days=days)


async def test_get_provider_resource(client: PuhuriClient, fake: FakePuhuri) -> None:
    expected = resource_in(fake, "OK")
    resource = await client.get_marketplace_provider_resource(expected["uuid"])
    assert isinstance(resource, Resource)
    assert (resource.uuid, resource.state, resource.limits) == (
        expected["uuid"],
        "OK",
        expected["limits"],
    )
    (request,) = sent(fake)
    path = f"/api/marketplace-provider-resources/{expected['uuid']}/"
    assert (request.method, request.path) == ("GET", path)


async def test_another_provider_does_not_see_the_resource(fake: FakePuhuri) -> None:
    uuid = resource_in(fake, "OK")["uuid"]
    async with PuhuriClient(fake.base_url, "other-owner-token", transport=fake.transport()) as c:
        with pytest.raises(NotFoundError):
            await c.get_marketplace_provider_resource(uuid)
        with pytest.raises(NotFoundError):
            await c.marketplace_provider_resource_set_as_ok(uuid)


async def test_set_as_ok_moves_a_creating_resource_to_ok(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    resource = resource_in(fake, "Creating")
    result = await client.marketplace_provider_resource_set_as_ok(resource["uuid"])
    assert isinstance(result, ActionResult)
    assert result.to_dict() == {}
    assert resource["state"] == "OK"
    (request,) = sent(fake)
    assert request.path == f"/api/marketplace-provider-resources/{resource['uuid']}/set_as_ok/"
    assert (request.method, request.json) == ("POST", None)


async def test_set_as_ok_clears_the_error_of_an_erred_resource(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    resource = resource_in(fake, "OK")
    await client.marketplace_provider_resource_set_as_erred(resource["uuid"], error_message="x")
    assert resource["state"] == "Erred"
    await client.marketplace_provider_resource_set_as_ok(resource["uuid"])
    assert (resource["state"], resource["error_message"]) == ("OK", "")


async def test_set_as_erred_with_keywords(client: PuhuriClient, fake: FakePuhuri) -> None:
    resource = resource_in(fake, "Creating")
    await client.marketplace_provider_resource_set_as_erred(
        resource["uuid"], error_message="no quota", error_traceback="Traceback: ..."
    )
    assert resource["state"] == "Erred"
    assert (resource["error_message"], resource["error_traceback"]) == (
        "no quota",
        "Traceback: ...",
    )
    (request,) = sent(fake)
    assert request.json == {"error_message": "no quota", "error_traceback": "Traceback: ..."}


async def test_set_as_erred_with_waldur_client_s_error_details(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    resource = resource_in(fake, "OK")
    details = {"error_message": "disk lost"}
    await client.marketplace_provider_resource_set_as_erred(resource["uuid"], details)
    assert (resource["state"], resource["error_message"]) == ("Erred", "disk lost")
    assert sent(fake)[0].json == {"error_message": "disk lost"}
    assert details == {"error_message": "disk lost"}  # the caller's mapping is not changed


async def test_set_as_erred_without_texts_sends_an_empty_object(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    resource = resource_in(fake, "OK")
    await client.marketplace_provider_resource_set_as_erred(resource["uuid"])
    assert sent(fake)[0].json == {}
    assert resource["state"] == "Erred"


async def test_on_7_0_set_as_erred_is_staff_only_and_its_texts_are_refused() -> None:
    """7.0.7 lets only staff set a resource erred, and its serializer drops the texts: the
    client refuses them before sending rather than lose them without a word."""
    fake = FakePuhuri(FakeData.generate(users=10, seed=3), profile="7.0")
    resource = resource_in(fake, "OK")
    async with PuhuriClient(fake.base_url, "owner-token", transport=fake.transport()) as owner:
        with pytest.raises(PermissionDeniedError):
            await owner.marketplace_provider_resource_set_as_erred(resource["uuid"])
    assert resource["state"] == "OK"
    async with PuhuriClient(fake.base_url, "test-token", transport=fake.transport()) as staff:
        before = len(sent(fake))
        with pytest.raises(UnsupportedByServerError) as refused:
            await staff.marketplace_provider_resource_set_as_erred(
                resource["uuid"], error_message="x"
            )
        assert refused.value.argument == "error_message"
        assert len(sent(fake)) == before  # nothing was sent
        await staff.marketplace_provider_resource_set_as_erred(resource["uuid"])
        with pytest.raises(PuhuriError):  # 7.0.7 has no set_as_ok
            await staff.marketplace_provider_resource_set_as_ok(resource["uuid"])
    assert resource["state"] == "Erred"
    assert resource["error_message"] != "x"


async def test_set_limits_replaces_the_limits(client: PuhuriClient, fake: FakePuhuri) -> None:
    resource = resource_in(fake, "OK")
    result = await client.marketplace_provider_resource_set_limits(
        resource["uuid"], {"cpu": 1000, "gpu": 0}
    )
    assert result.message == "The resource limits are updated"
    assert resource["limits"] == {"cpu": 1000, "gpu": 0}
    assert sent(fake)[0].json == {"limits": {"cpu": 1000, "gpu": 0}}
    read = await client.get_marketplace_provider_resource(resource["uuid"])
    assert read.limits == {"cpu": 1000, "gpu": 0}


@pytest.mark.parametrize(
    ("limits", "argument"),
    [({"cpu": 1.5}, "limits['cpu']"), ({"cpu": True}, "limits['cpu']"), ({}, "limits")],
)
async def test_set_limits_refuses_what_it_would_have_to_round(
    client: PuhuriClient, fake: FakePuhuri, limits: Any, argument: str
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.marketplace_provider_resource_set_limits(
            resource_in(fake, "OK")["uuid"], limits
        )
    assert caught.value.argument == argument
    assert sent(fake) == []


async def test_set_backend_metadata_replaces_it(client: PuhuriClient, fake: FakePuhuri) -> None:
    resource = resource_in(fake, "OK")
    metadata = {"cluster": "c1", "partitions": ("small", "gpu")}
    result = await client.marketplace_provider_resource_set_backend_metadata(
        resource["uuid"], metadata
    )
    assert result.message == "The backend metadata is updated"
    assert resource["backend_metadata"] == {"cluster": "c1", "partitions": ["small", "gpu"]}
    assert sent(fake)[0].json == {"backend_metadata": resource["backend_metadata"]}


async def test_refresh_last_sync_stamps_the_resource(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    resource = resource_in(fake, "OK")
    before = datetime.now(UTC)
    result = await client.marketplace_provider_resource_refresh_last_sync(resource["uuid"])
    assert result.to_dict() == {}
    assert sent(fake)[0].json is None
    read = await client.get_marketplace_provider_resource(resource["uuid"])
    assert read.last_sync is not None
    assert read.last_sync >= before - timedelta(seconds=1)


async def test_set_end_date_by_provider(client: PuhuriClient, fake: FakePuhuri) -> None:
    resource = resource_in(fake, "OK")
    day = later(30)
    await client.marketplace_provider_resource_set_end_date_by_provider(resource["uuid"], day)
    assert resource["end_date"] == day.isoformat()
    (request,) = sent(fake)
    assert request.path.endswith("/set_end_date_by_provider/")
    assert request.json == {"end_date": day.isoformat()}
    assert (await client.get_marketplace_provider_resource(resource["uuid"])).end_date == day


async def test_an_end_date_too_soon_is_the_server_s_400(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    resource = resource_in(fake, "OK")
    with pytest.raises(ValidationError) as caught:
        await client.marketplace_provider_resource_set_end_date_by_provider(
            resource["uuid"], later(2).isoformat()
        )
    assert "end_date" in caught.value.field_errors


@pytest.mark.parametrize("value", [datetime.now(UTC), "30.6.2027", 20270630, None])
async def test_an_end_date_must_be_a_day(
    client: PuhuriClient, fake: FakePuhuri, value: Any
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.marketplace_provider_resource_set_end_date_by_provider(
            resource_in(fake, "OK")["uuid"], value
        )
    assert caught.value.argument == "end_date"
    assert sent(fake) == []


async def test_the_8_1_actions_on_an_8_1_server() -> None:
    fake = FakePuhuri(FakeData.generate(users=10, seed=3), token=TOKEN, profile="8.1")
    resource = resource_in(fake, "OK")
    uuid = resource["uuid"]
    async with PuhuriClient(fake.base_url, "owner-token", transport=fake.transport()) as client:
        await client.marketplace_provider_resource_set_end_date(uuid, later(40))
        await client.marketplace_provider_resource_set_endpoints(
            uuid,
            [
                ResourceEndpoint("Login", "ssh://login.example.org"),
                {"name": "Portal", "url": "https://portal.example.org/"},
            ],
        )
        await client.marketplace_provider_resource_set_effective_id(uuid, "acct-42")
        read = await client.get_marketplace_provider_resource(uuid)
    assert read.end_date == later(40)
    assert [(e["name"], e["url"]) for e in resource["endpoints"]] == [
        ("Login", "ssh://login.example.org"),
        ("Portal", "https://portal.example.org/"),
    ]
    assert read.effective_id == "acct-42"
    paths = [r.path.rsplit("/", 2)[-2] for r in sent(fake)[:3]]
    assert paths == ["set_end_date", "set_endpoints", "set_effective_id"]
    assert sent(fake)[1].json == {
        "endpoints": [
            {"name": "Login", "url": "ssh://login.example.org"},
            {"name": "Portal", "url": "https://portal.example.org/"},
        ]
    }


async def test_an_8_0_server_lacks_the_8_1_actions(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = resource_in(fake, "OK")["uuid"]
    for call in (
        client.marketplace_provider_resource_set_end_date(uuid, later(40)),
        client.marketplace_provider_resource_set_endpoints(uuid, []),
        client.marketplace_provider_resource_set_effective_id(uuid, "e"),
    ):
        with pytest.raises(PuhuriError):
            await call
    assert fake.data.get("resources", uuid)["effective_id"] != "e"


async def test_a_project_member_does_not_see_provider_resources(fake: FakePuhuri) -> None:
    resource = resource_in(fake, "OK")
    async with PuhuriClient(fake.base_url, "member-token", transport=fake.transport()) as client:
        with pytest.raises(NotFoundError):
            await client.marketplace_provider_resource_set_limits(resource["uuid"], {"cpu": 1})
    assert resource["limits"] != {"cpu": 1}
