"""Component usages read back, usage per user (set_user_usage), per-user usages and limits."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from _requests import sent

from puhuri_async import (
    ComponentUsage,
    ComponentUsageRecord,
    ComponentUserUsage,
    ComponentUserUsageLimit,
    PermissionDeniedError,
    PuhuriClient,
    PuhuriError,
)
from puhuri_async.testing import FakeData, FakePuhuri

pytestmark = pytest.mark.asyncio


def usage_record(fake: FakePuhuri) -> dict[str, Any]:
    return fake.data.component_usages[0]


async def test_list_component_usages_of_a_resource(client: PuhuriClient, fake: FakePuhuri) -> None:
    resource = usage_record(fake)["resource_uuid"]
    records = await client.list_component_usages(resource)
    expected = [u["uuid"] for u in fake.data.component_usages if u["resource_uuid"] == resource]
    assert sorted(r.uuid for r in records) == sorted(expected)
    assert all(isinstance(r, ComponentUsageRecord) for r in records)
    assert all(isinstance(r.usage, Decimal) for r in records)
    (request,) = sent(fake)
    assert request.path == "/api/marketplace-component-usages/"
    assert request.param("resource_uuid") == [resource]


async def test_list_component_usages_takes_waldur_client_s_positional_filters(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    resource = usage_record(fake)["resource_uuid"]
    await client.list_component_usages(resource, "2020-01-01", "2099-12-31", None, type="cpu")
    request = sent(fake)[0]
    assert request.param("date_after") == ["2020-01-01"]
    assert request.param("date_before") == ["2099-12-31"]
    assert request.param("type") == ["cpu"]
    assert request.param("billing_period") == []


async def test_iter_component_usages(client: PuhuriClient, fake: FakePuhuri) -> None:
    streamed = [r.uuid async for r in client.iter_component_usages()]
    assert sorted(streamed) == sorted(u["uuid"] for u in fake.data.component_usages)


async def test_report_a_month_then_each_user_s_part_and_read_it_back(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    resource = next(r for r in fake.data.resources if r["state"] == "OK")
    offering = fake.data.get("offerings", resource["offering_uuid"])
    component = offering["components"][0]["type"]
    await client.create_component_usages(
        [ComponentUsage(component, "30")], resource=resource["uuid"]
    )
    (record,) = [
        r for r in await client.list_component_usages(resource["uuid"]) if r.type == component
    ]
    account = fake.data.offering_users[0]
    await client.create_component_user_usage(record.uuid, "12.50", "jdoe", account["uuid"])
    await client.create_component_user_usage(record.uuid, Decimal("17.5"), "asmith")
    body = sent(fake)[-2].json
    assert body == {
        "usage": "12.50",
        "username": "jdoe",
        "user": f"{fake.base_url}marketplace-offering-users/{account['uuid']}/",
    }
    assert sent(fake)[-2].path == (
        f"/api/marketplace-component-usages/{record.uuid}/set_user_usage/"
    )
    assert sent(fake)[-1].json == {"usage": "17.5", "username": "asmith"}
    parts = await client.list_component_user_usages(resource_uuid=resource["uuid"])
    mine = {p.username: p.usage for p in parts if p.component_usage.endswith(f"{record.uuid}/")}
    assert mine == {"jdoe": Decimal("12.50"), "asmith": Decimal("17.5")}
    assert all(isinstance(p, ComponentUserUsage) for p in parts)


async def test_a_second_report_for_a_username_replaces_it(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    record = usage_record(fake)["uuid"]
    await client.create_component_user_usage(record, 3, "jdoe")
    await client.create_component_user_usage(record, 4, "jdoe")
    stored = [
        u
        for u in fake.data.component_user_usages
        if u["component_usage"].endswith(f"/{record}/") and u["username"] == "jdoe"
    ]
    assert len(stored) == 1
    assert Decimal(str(stored[0]["usage"])) == 4


async def test_date_is_sent_as_a_timestamp(client: PuhuriClient, fake: FakePuhuri) -> None:
    moment = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
    await client.create_component_user_usage(usage_record(fake)["uuid"], 1, "jdoe", date=moment)
    assert sent(fake)[0].json["date"] == moment.isoformat()


@pytest.mark.parametrize("token", ["other-owner-token", "member-token"])
async def test_only_the_provider_reports_user_usage(fake: FakePuhuri, token: str) -> None:
    record = usage_record(fake)["uuid"]
    before = len(fake.data.component_user_usages)
    async with PuhuriClient(fake.base_url, token, transport=fake.transport()) as client:
        with pytest.raises(PermissionDeniedError):
            await client.create_component_user_usage(record, 1, "jdoe")
    assert len(fake.data.component_user_usages) == before


async def test_list_component_user_usage_limits(client: PuhuriClient, fake: FakePuhuri) -> None:
    limits = await client.list_component_user_usage_limits()
    assert sorted(item.uuid for item in limits) == sorted(
        u["uuid"] for u in fake.data.user_usage_limits
    )
    assert all(isinstance(item, ComponentUserUsageLimit) for item in limits)
    assert sent(fake)[0].path == "/api/component-user-usage-limits/"


async def test_7_0_has_no_user_usage_limits() -> None:
    fake = FakePuhuri(FakeData.generate(users=10, seed=3), profile="7.0")
    async with PuhuriClient(fake.base_url, "test-token", transport=fake.transport()) as client:
        with pytest.raises(PuhuriError):
            await client.list_component_user_usage_limits()
        assert await client.list_component_usages()  # the usages themselves are there
