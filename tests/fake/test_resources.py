"""Resource actions (backend id, report), usage reporting and plan periods, offering users."""

from __future__ import annotations

import copy
import uuid

import httpx
import pytest

from puhuri_async.testing import FakePuhuri

pytestmark = pytest.mark.anyio


def ok_resource(fake: FakePuhuri) -> dict:
    return next(r for r in fake.data.resources if r["state"] == "OK")


# -- set_backend_id -------------------------------------------------------------------------------


async def test_set_backend_id(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    resource = ok_resource(fake)
    path = f"marketplace-provider-resources/{resource['uuid']}/set_backend_id/"
    first = await client.post(path, json={"backend_id": "slurm-account-42"})
    assert first.status_code == 200
    assert first.json() == {"status": "Resource backend_id has been changed."}
    again = await client.post(path, json={"backend_id": "slurm-account-42"})
    assert again.json() == {"status": "Resource backend_id is not changed."}
    found = await client.get(
        "marketplace-provider-resources/", params={"backend_id": "slurm-account-42"}
    )
    assert [r["uuid"] for r in found.json()] == [resource["uuid"]]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"backend_id": "x" * 256},
            {"backend_id": ["Ensure this field has no more than 255 characters."]},
        ),
        ({"backend_id": None}, {"backend_id": ["This field may not be null."]}),
        ({"backend_id": ["a"]}, {"backend_id": ["Not a valid string."]}),
        (["a"], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    ],
)
async def test_set_backend_id_validation(
    client: httpx.AsyncClient, fake: FakePuhuri, body: object, errors: dict
) -> None:
    resource = ok_resource(fake)
    response = await client.post(
        f"marketplace-provider-resources/{resource['uuid']}/set_backend_id/", json=body
    )
    assert response.status_code == 400
    assert response.json() == errors
    assert resource["backend_id"] == ""


async def test_set_backend_id_without_the_field_is_a_server_error(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    # Measured on 7.0.7: the serializer does not require backend_id and the view reads it.
    resource = ok_resource(fake)
    response = await client.post(
        f"marketplace-provider-resources/{resource['uuid']}/set_backend_id/", json={}
    )
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert resource["backend_id"] == ""


async def test_invalid_json_body(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    resource = ok_resource(fake)
    response = await client.post(
        f"marketplace-provider-resources/{resource['uuid']}/set_backend_id/",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


# -- submit_report --------------------------------------------------------------------------------


async def test_submit_report(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    resource = ok_resource(fake)
    report = [{"header": "Login", "body": "ssh lumi.example.org"}, {"header": "Quota", "body": "1"}]
    response = await client.post(
        f"marketplace-provider-resources/{resource['uuid']}/submit_report/",
        json={"report": report},
    )
    assert response.status_code == 200
    assert response.json() == {"status": "Report is submitted"}
    shown = await client.get(f"marketplace-resources/{resource['uuid']}/")
    assert shown.json()["report"] == report


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"report": [{"header": "h", "body": "b"}, {"header": "", "body": "b"}]},
            {"report": [{}, {"header": ["This field may not be blank."]}]},
        ),
        ({"report": [{"header": "h"}]}, {"report": [{"body": ["This field is required."]}]}),
        (
            {"report": [{"header": "  ", "body": None}]},
            {
                "report": [
                    {
                        "header": ["This field may not be blank."],
                        "body": ["This field may not be null."],
                    }
                ]
            },
        ),
        (
            {"report": ["text"]},
            {
                "report": [
                    {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}
                ]
            },
        ),
        ({"report": []}, {"report": ["This list may not be empty."]}),
        ({"report": "text"}, {"report": ['Expected a list of items but got type "str".']}),
        ({}, {"report": ["This field is required."]}),
    ],
)
async def test_submit_report_validation(
    client: httpx.AsyncClient, fake: FakePuhuri, body: dict, errors: dict
) -> None:
    resource = ok_resource(fake)
    response = await client.post(
        f"marketplace-provider-resources/{resource['uuid']}/submit_report/", json=body
    )
    assert response.status_code == 400
    assert response.json() == errors
    assert resource["report"] == []


@pytest.mark.parametrize("action", ["set_backend_id", "submit_report"])
async def test_unknown_resource_is_404(client: httpx.AsyncClient, action: str) -> None:
    body = (
        {"backend_id": "x"}
        if action == "set_backend_id"
        else {"report": [{"header": "h", "body": "b"}]}
    )
    response = await client.post(f"marketplace-provider-resources/{'b' * 32}/{action}/", json=body)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# -- usage ----------------------------------------------------------------------------------------


async def plan_period_components(client: httpx.AsyncClient, resource: dict) -> dict[str, str]:
    response = await client.get(f"marketplace-provider-resources/{resource['uuid']}/plan_periods/")
    assert response.status_code == 200
    periods = response.json()
    assert len(periods) == 1
    return {c["type"] + "@" + c["date"][:7]: c["usage"] for c in periods[0]["components"]}


async def test_set_usage_is_an_upsert_seen_in_plan_periods(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    resource = ok_resource(fake)
    assert await plan_period_components(client, resource) == {}
    body = {
        "resource": resource["uuid"],
        "date": "2025-03-15T00:00:00Z",
        "usages": [
            {"type": "cpu", "amount": "10", "description": "CPU"},
            {"type": "gpu", "amount": 2.5},
        ],
    }
    created = await client.post("marketplace-component-usages/set_usage/", json=body)
    assert created.status_code == 201
    assert created.content == b""
    assert await plan_period_components(client, resource) == {
        "cpu@2025-03": "10.00",
        "gpu@2025-03": "2.50",
    }
    body["usages"] = [{"type": "cpu", "amount": "12.75"}]
    body["date"] = "2025-03-31T12:00:00Z"
    assert (
        await client.post("marketplace-component-usages/set_usage/", json=body)
    ).status_code == 201
    assert await plan_period_components(client, resource) == {
        "cpu@2025-03": "12.75",
        "gpu@2025-03": "2.50",
    }
    period = fake.data.plan_periods[resource["uuid"]][0]["uuid"]
    next_month = {
        "plan_period": period,
        "date": "2025-04-01T00:00:00Z",
        "usages": [{"type": "cpu", "amount": 1}],
    }
    assert (
        await client.post("marketplace-component-usages/set_usage/", json=next_month)
    ).status_code == 201
    assert await plan_period_components(client, resource) == {
        "cpu@2025-03": "12.75",
        "gpu@2025-03": "2.50",
        "cpu@2025-04": "1.00",
    }
    assert resource["current_usages"]["cpu"] == 1.0


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        (
            {"usages": [{"type": "cpu", "amount": "1"}]},
            400,
            {"non_field_errors": ["Either plan_period or resource should be provided."]},
        ),
        (
            {"resource": "{r}", "usages": [{"type": "cpu", "amount": "1.234"}]},
            400,
            {"usages": [{"amount": ["Ensure that there are no more than 2 decimal places."]}]},
        ),
        (
            {
                "resource": "{r}",
                "usages": [{"type": "cpu", "amount": "1"}, {"type": "", "amount": "abc"}],
            },
            400,
            {
                "usages": [
                    {},
                    {
                        "type": ["This field may not be blank."],
                        "amount": ["A valid number is required."],
                    },
                ]
            },
        ),
        (
            {"resource": "{r}", "usages": [{"type": "cpu", "amount": "NaN"}]},
            400,
            {"usages": [{"amount": ["A valid number is required."]}]},
        ),
        (
            {"resource": "{r}", "usages": [{"type": "cpu"}]},
            400,
            {"usages": [{"amount": ["This field is required."]}]},
        ),
        (
            {"resource": "{r}", "usages": [{"type": "quantum", "amount": 1}]},
            400,
            {"non_field_errors": ["These components are invalid: quantum."]},
        ),
        ({"resource": "{r}"}, 400, {"usages": ["This field is required."]}),
        ({"resource": "nope", "usages": []}, 400, {"resource": ["Must be a valid UUID."]}),
        (
            {"resource": "{r}", "date": "yesterday", "usages": []},
            400,
            {
                "date": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
        ),
        (
            {"resource": "c" * 32, "usages": [{"type": "cpu", "amount": 1}]},
            400,
            {"resource": [f"Object with uuid={'c' * 32} does not exist."]},
        ),
        (
            {"plan_period": "c" * 32, "usages": [{"type": "cpu", "amount": 1}]},
            400,
            {"plan_period": [f"Object with uuid={'c' * 32} does not exist."]},
        ),
    ],
)
async def test_set_usage_validation(
    client: httpx.AsyncClient, fake: FakePuhuri, body: dict, status: int, errors: dict
) -> None:
    resource = ok_resource(fake)
    if body.get("resource") == "{r}":
        body = {**body, "resource": resource["uuid"]}
    before = copy.deepcopy(fake.data.usages)
    response = await client.post("marketplace-component-usages/set_usage/", json=body)
    assert response.status_code == status
    assert response.json() == errors
    assert fake.data.usages == before


async def test_usage_for_a_terminated_resource_is_refused(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    resource = fake.data.add_resource(
        project=fake.data.projects[0], offering=fake.data.offerings[0], state="Terminated"
    )
    response = await client.post(
        "marketplace-component-usages/set_usage/",
        json={
            "resource": resource["uuid"],
            "usages": [{"type": "cpu", "amount": 1}],
        },
    )
    assert response.status_code == 400
    assert response.json() == {"resource": ["Resource is not in valid state."]}


# -- team and offering users ----------------------------------------------------------------------


async def test_create_offering_user_and_team(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    resource = ok_resource(fake)
    member = next(p for p in fake.data.permissions if p["project_uuid"] == resource["project_uuid"])
    fake.data.offering_users[:] = []
    response = await client.post(
        "marketplace-offering-users/",
        json={
            "offering": f"http://elsewhere.example/api/marketplace-provider-offerings/"
            f"{resource['offering_uuid']}/",
            "user": member["user"],
            "username": "abc",
        },
    )
    assert response.status_code == 201
    created = response.json()
    assert created["username"] == "abc"
    assert created["offering_uuid"] == resource["offering_uuid"]
    assert created["user_uuid"] == member["user_uuid"]
    assert created["state"] == "OK"
    team = (await client.get(f"marketplace-provider-resources/{resource['uuid']}/team/")).json()
    row = next(t for t in team if t["uuid"] == member["user_uuid"])
    assert row["offering_user_username"] == "abc"
    assert row["role"] == member["role_name"]
    listed = await client.get(
        "marketplace-offering-users/", params={"user_uuid": member["user_uuid"]}
    )
    assert [ou["uuid"] for ou in listed.json()] == [created["uuid"]]
    duplicate = await client.post(
        "marketplace-offering-users/",
        json={
            "offering_uuid": resource["offering_uuid"],
            "user_uuid": member["user_uuid"],
        },
    )
    assert duplicate.status_code == 400
    assert duplicate.json() == {
        "non_field_errors": ["The fields offering, user must make a unique set."]
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"user": "{user}"}, {"offering": ["This field is required."]}),
        (
            {"offering": "{offering}", "user": "http://puhuri.test/api/users/" + "d" * 32 + "/"},
            {"user": ["Invalid hyperlink - Object does not exist."]},
        ),
        (
            {"offering": "http://puhuri.test/api/projects/" + "d" * 32 + "/", "user": "{user}"},
            {"offering": ["Invalid hyperlink - No URL match."]},
        ),
        (
            {"offering": 7, "user": "{user}"},
            {"offering": ["Incorrect type. Expected URL string, received int."]},
        ),
        (
            {"offering": "{offering}", "user": "{user}", "username": "u" * 101},
            {"username": ["Ensure this field has no more than 100 characters."]},
        ),
        ({"offering_uuid": "bad", "user": "{user}"}, {"offering_uuid": ["Must be a valid UUID."]}),
    ],
)
async def test_create_offering_user_validation(
    client: httpx.AsyncClient, fake: FakePuhuri, body: dict, errors: dict
) -> None:
    links = {"{user}": fake.data.users[0]["url"], "{offering}": fake.data.offerings[0]["url"]}
    body = {k: links.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    before = len(fake.data.offering_users)
    response = await client.post("marketplace-offering-users/", json=body)
    assert response.status_code == 400
    assert response.json() == errors
    assert len(fake.data.offering_users) == before


async def test_set_offerings_username(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    sp = fake.data.service_provider["uuid"]
    resource = ok_resource(fake)
    member = next(p for p in fake.data.permissions if p["project_uuid"] == resource["project_uuid"])
    path = f"marketplace-service-providers/{sp}/set_offerings_username/"
    body = {"user_uuid": member["user_uuid"], "username": "new_name"}
    response = await client.post(path, json=body)
    assert response.status_code == 201
    assert response.json() == {"detail": "Offering users have been set."}
    accounts = [ou for ou in fake.data.offering_users if ou["user_uuid"] == member["user_uuid"]]
    assert accounts
    assert {ou["username"] for ou in accounts} == {"new_name"}
    assert resource["offering_uuid"] in {ou["offering_uuid"] for ou in accounts}
    assert (await client.post(path, json=body)).status_code == 201  # idempotent
    assert len(
        [ou for ou in fake.data.offering_users if ou["user_uuid"] == member["user_uuid"]]
    ) == len(accounts)
    bad = await client.post(path, json={"user_uuid": "x"})
    assert bad.status_code == 400
    assert bad.json() == {
        "user_uuid": ["Must be a valid UUID."],
        "username": ["This field is required."],
    }
    unknown_user = await client.post(path, json={"user_uuid": "e" * 32, "username": "n"})
    assert unknown_user.status_code == 400  # a bare ValidationError: the body is a JSON list
    assert unknown_user.json() == [f"A user with the uuid [{uuid.UUID('e' * 32)}] is not found."]
    unknown_sp = await client.post(
        f"marketplace-service-providers/{'e' * 32}/set_offerings_username/", json=body
    )
    assert unknown_sp.status_code == 404
