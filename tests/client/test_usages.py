"""create_component_usages: POST marketplace-component-usages/set_usage/."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from puhuri_async import ComponentUsage, PuhuriClient
from puhuri_async.testing import FakePuhuri

pytestmark = pytest.mark.asyncio

PATH = "/api/marketplace-component-usages/set_usage/"


def usable(fake: FakePuhuri) -> tuple[dict[str, Any], list[str]]:
    """A resource that takes usage, and its offering's component types."""
    resource = next(
        r
        for r in fake.data.resources
        if r["state"] != "Terminated" and fake.data.plan_periods.get(r["uuid"])
    )
    offering = fake.data.get("offerings", resource["offering_uuid"])
    assert offering is not None
    return resource, [c["type"] for c in offering["components"]]


async def test_report_for_a_resource(client: PuhuriClient, fake: FakePuhuri) -> None:
    resource, types = usable(fake)
    amounts: list[Any] = [10, Decimal("12.50"), 0.1]
    usages = [
        ComponentUsage(type=kind, amount=amount, description="Usage")
        for kind, amount in zip(types, amounts, strict=False)
    ]
    result = await client.create_component_usages(usages=usages, resource=resource["uuid"])
    assert result is None  # 201 with no body
    (request,) = fake.requests
    assert (request.method, request.path, request.query) == ("POST", PATH, ())
    assert request.status == 201
    assert request.json == {
        "usages": [
            {"type": kind, "amount": text, "description": "Usage"}
            for kind, text in zip(types, ["10", "12.50", "0.1"], strict=False)
        ],
        "resource": resource["uuid"],
    }
    periods = await client.marketplace_resource_get_plan_periods(resource["uuid"])
    stored = {u.type: u.usage for p in periods for u in p.components or ()}
    assert stored[types[0]] == Decimal("10")


async def test_report_for_a_plan_period_with_date(client: PuhuriClient, fake: FakePuhuri) -> None:
    resource, types = usable(fake)
    period = fake.data.plan_periods[resource["uuid"]][-1]["uuid"]
    usage = ComponentUsage(types[0], "3.25", recurring=True)
    await client.create_component_usages([usage], plan_period=period, date=date(2024, 5, 1))
    assert fake.requests_for("POST")[0].json == {
        "usages": [{"type": types[0], "amount": "3.25", "description": "", "recurring": True}],
        "plan_period": period,
        "date": "2024-05-01T00:00:00+00:00",
    }


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        (datetime(2024, 5, 3, 12, 0, tzinfo=UTC), "2024-05-03T12:00:00+00:00"),
        ("2024-05-03T12:00:00Z", "2024-05-03T12:00:00Z"),
    ],
)
async def test_date_forms(client: PuhuriClient, fake: FakePuhuri, given: Any, sent: str) -> None:
    resource, types = usable(fake)
    await client.create_component_usages(
        [ComponentUsage(types[0], 1)], resource=resource["uuid"], date=given
    )
    assert fake.requests_for("POST")[0].json["date"] == sent


async def test_second_report_replaces_the_first(client: PuhuriClient, fake: FakePuhuri) -> None:
    resource, types = usable(fake)
    for amount in ("5", "7.5"):
        await client.create_component_usages(
            [ComponentUsage(types[0], amount)], resource=resource["uuid"]
        )
    periods = await client.marketplace_resource_get_plan_periods(resource["uuid"])
    reported = [u for p in periods for u in p.components or () if u.type == types[0]]
    assert [u.usage for u in reported] == [Decimal("7.50")]


async def test_usages_as_mappings_and_dashed_uuid(client: PuhuriClient, fake: FakePuhuri) -> None:
    resource, types = usable(fake)
    uuid = resource["uuid"]
    dashed = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
    await client.create_component_usages(
        [{"type": types[0], "amount": 2}],
        resource=dashed,  # type: ignore[list-item]
    )
    assert fake.requests[0].json["resource"] == uuid
    assert fake.requests[0].json["usages"] == [{"type": types[0], "amount": "2", "description": ""}]


async def test_the_keyword_names_of_waldur_client_0_6_4(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    resource, types = usable(fake)
    period = fake.data.plan_periods[resource["uuid"]][-1]["uuid"]
    usage = ComponentUsage(type=types[0], amount=5)
    await client.create_component_usages(usages=[usage], resource_uuid=resource["uuid"])
    await client.create_component_usages(plan_period_uuid=period, usages=[usage])
    first, second = (request.json for request in fake.requests)
    assert first == {
        "usages": [{"type": types[0], "amount": "5", "description": ""}],
        "resource": resource["uuid"],
    }
    assert second == {
        "usages": [{"type": types[0], "amount": "5", "description": ""}],
        "plan_period": period,
    }
