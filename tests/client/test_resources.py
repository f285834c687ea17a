"""Resources: list/iter, set_backend_id, submit_report, team, plan periods and the aliases."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from _requests import sent

from puhuri_async import (
    ActionResult,
    PlanPeriod,
    PuhuriClient,
    Resource,
    ResourceReportRecord,
    ResourceState,
    TeamMember,
)
from puhuri_async.testing import FakePuhuri

from .conftest import ContractCheckingTransport

pytestmark = pytest.mark.asyncio

LIST_PATH = "/api/marketplace-provider-resources/"


def live_resource(fake: FakePuhuri) -> dict[str, Any]:
    return next(r for r in fake.data.resources if r["state"] != "Terminated")


async def test_list_with_the_seed_arguments(client: PuhuriClient, fake: FakePuhuri) -> None:
    sp = fake.data.service_provider
    offering = fake.data.offerings[0]["uuid"]
    fields = ["name", "offering", "state", "limits", "plan", "project", "url"]
    resources = await client.list_marketplace_resources(
        provider_uuid=sp["customer_uuid"], state="OK", offering_uuid=offering, fields=fields
    )
    expected = [
        r for r in fake.data.resources if r["state"] == "OK" and r["offering_uuid"] == offering
    ]
    assert resources
    assert len(resources) == len(expected)
    assert all(isinstance(r, Resource) for r in resources)
    assert all(set(r.keys()) == set(fields) for r in resources)  # nothing invented
    assert resources[0].state is ResourceState.OK
    assert resources[0].uuid is None
    assert "uuid" not in resources[0]
    lookup, request = sent(fake)  # provider_uuid checked once: a customer's, sent as given
    assert lookup.status == 404
    assert (request.method, request.path) == ("GET", LIST_PATH)
    assert request.param("provider_uuid") == [sp["customer_uuid"]]
    assert request.param("state") == ["OK"]
    assert request.param("offering_uuid") == [offering]
    assert request.param("field") == fields  # repeated, in order


async def test_state_list_is_repeated(client: PuhuriClient, fake: FakePuhuri) -> None:
    resources = await client.list_marketplace_resources(state=["Creating", "Terminated"])
    assert {r.state for r in resources} <= {ResourceState.CREATING, ResourceState.TERMINATED}
    assert len(resources) == sum(
        r["state"] in ("Creating", "Terminated") for r in fake.data.resources
    )
    assert fake.requests[0].param("state") == ["Creating", "Terminated"]


async def test_other_filters_by_dict_and_keyword(client: PuhuriClient, fake: FakePuhuri) -> None:
    project = fake.data.resources[0]["project_uuid"]
    filters = {"project_uuid": project}
    resources = await client.list_marketplace_resources(filters=filters, paused=False)
    assert filters == {"project_uuid": project}
    assert resources
    assert all(r.project_uuid == project for r in resources)
    request = fake.requests[0]
    assert request.param("project_uuid") == [project]
    assert request.param("paused") == ["false"]


async def test_iter_resources_streams_all(client: PuhuriClient, fake: FakePuhuri) -> None:
    streamed = [r.uuid async for r in client.iter_marketplace_resources()]
    assert streamed == [r["uuid"] for r in fake.data.resources]


async def test_set_backend_id(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = live_resource(fake)["uuid"]
    result = await client.marketplace_resource_set_backend_id(
        resource_uuid=uuid, backend_id="slurm-account-7"
    )
    assert isinstance(result, ActionResult)
    assert result["status"] == result.status == "Resource backend_id has been changed."
    (request,) = fake.requests
    assert request.method == "POST"
    assert request.path == f"{LIST_PATH}{uuid}/set_backend_id/"
    assert request.json == {"backend_id": "slurm-account-7"}
    assert fake.data.get("resources", uuid)["backend_id"] == "slurm-account-7"


async def test_submit_report(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = live_resource(fake)["uuid"]
    result = await client.marketplace_resource_submit_report(
        resource_uuid=uuid,
        report=[
            ResourceReportRecord(header="Header1", body="Body1"),
            {"header": "Header2", "body": "Body2"},  # type: ignore[list-item]
        ],
    )
    assert isinstance(result, ActionResult)
    assert result.message == "Report is submitted"
    (request,) = fake.requests
    assert (request.method, request.path) == ("POST", f"{LIST_PATH}{uuid}/submit_report/")
    assert request.json == {
        "report": [{"header": "Header1", "body": "Body1"}, {"header": "Header2", "body": "Body2"}]
    }


async def test_get_team_is_one_request(
    client: PuhuriClient, fake: FakePuhuri, contract: ContractCheckingTransport
) -> None:
    resource = live_resource(fake)
    team = await client.marketplace_resource_get_team(resource_uuid=resource["uuid"])
    assert team
    assert all(isinstance(member, TeamMember) for member in team)
    assert [member.to_dict() for member in team] == contract.responses[-1][3]
    (request,) = fake.requests
    assert (request.method, request.path) == ("GET", f"{LIST_PATH}{resource['uuid']}/team/")
    assert request.query == ()  # no paging parameters: the action answers everything at once


async def test_get_plan_periods(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = live_resource(fake)["uuid"]
    periods = await client.marketplace_resource_get_plan_periods(uuid)
    assert [p.to_dict() for p in periods] == fake.data.plan_periods[uuid]
    assert all(isinstance(p, PlanPeriod) for p in periods)
    (request,) = fake.requests
    assert (request.method, request.path) == ("GET", f"{LIST_PATH}{uuid}/plan_periods/")
    assert request.query == ()


async def test_aliases_send_the_same_requests(client: PuhuriClient, fake: FakePuhuri) -> None:
    uuid = live_resource(fake)["uuid"]
    report = [ResourceReportRecord("Access", "ssh login.example.org")]
    assert (await client.marketplace_provider_resource_set_backend_id(uuid, "x-1")).status
    assert (await client.marketplace_provider_resource_submit_report(uuid, report)).status
    assert await client.marketplace_provider_resource_get_team(uuid) == (
        await client.marketplace_resource_get_team(uuid)
    )
    paths = [(r.method, r.path) for r in fake.requests]
    assert paths == [
        ("POST", f"{LIST_PATH}{uuid}/set_backend_id/"),
        ("POST", f"{LIST_PATH}{uuid}/submit_report/"),
        ("GET", f"{LIST_PATH}{uuid}/team/"),
        ("GET", f"{LIST_PATH}{uuid}/team/"),
    ]


async def test_the_names_of_waldur_client_0_6_4_send_the_same_requests(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    uuid = live_resource(fake)["uuid"]
    offering = live_resource(fake)["offering_uuid"]
    assert await client.marketplace_provider_resource_get_plan_periods(uuid) == (
        await client.marketplace_resource_get_plan_periods(uuid)
    )
    by_alias = await client.list_marketplace_provider_resources(
        state=["OK", "Erred"], offering_uuid=offering, fields=["uuid", "state"]
    )
    by_name = await client.list_marketplace_resources(
        state=["OK", "Erred"], offering_uuid=offering, fields=["uuid", "state"]
    )
    assert by_alias == by_name
    assert by_alias, "the filter matched nothing: the comparison proves little"
    requests = [(r.method, r.path, r.query) for r in sent(fake)]
    assert requests[0] == requests[1]
    assert requests[0][1] == f"{LIST_PATH}{uuid}/plan_periods/"
    assert requests[2] == requests[3]
    assert requests[2][1] == LIST_PATH
    assert ("state", "Erred") in requests[2][2]


async def test_exact_query_string_with_respx() -> None:
    api = "https://puhuri.example.org/api/"
    uuid = "0123456789abcdef0123456789abcdef"
    with respx.mock(base_url=api) as mock:
        route = mock.get("marketplace-provider-resources/").mock(
            return_value=httpx.Response(
                200, json=[{"name": "a", "state": "OK"}], headers={"X-Result-Count": "1"}
            )
        )
        # provider_uuid may name a ServiceProvider (translated to its customer): not one here.
        lookup = mock.get(f"marketplace-service-providers/{uuid}/").mock(
            return_value=httpx.Response(404, json={"detail": "Not found."})
        )
        async with PuhuriClient(api, "test-token-123") as client:
            found = await client.list_marketplace_resources(
                provider_uuid=uuid.upper(), state=["OK", "Erred"], fields=("name", "state")
            )
    assert route.call_count == 4  # the first window: pages 1-4 at once (2-4 dropped)
    assert lookup.call_count == 1
    assert route.calls[0].request.url.query.decode() == (
        f"provider_uuid={uuid}&state=OK&state=Erred&field=name&field=state&page=1&page_size=300"
    )
    assert found[0].to_dict() == {"name": "a", "state": "OK"}
    assert isinstance(found[0], Resource)
