"""Every operation the fake serves answers as the OpenAPI subset says (strictly: no invented
fields), to requests that themselves match the subset; and the schema helper catches mistakes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from _openapi import (
    OpenAPIMismatch,
    load_spec,
    validate_request,
    validate_response,
    validate_schema,
)

from puhuri_async.testing import FakeData, FakePuhuri

from ._util import client_for

pytestmark = pytest.mark.anyio

#: Operations of the subset the fake does not serve (see the report in the package docs).
NOT_SERVED = {
    "marketplace_component_usages_list",
    "marketplace_component_usages_count",
    "marketplace_public_offerings_retrieve",
}


def calls(data: FakeData) -> list[tuple[str, str, Any]]:
    """One request per operation: (method, path with query, JSON body or None)."""
    sp = data.service_provider["uuid"]
    resource = next(r for r in data.resources if r["state"] == "OK")
    member = next(p for p in data.permissions if p["project_uuid"] == resource["project_uuid"])
    orders = iter(o for o in data.orders if o["state"] == "pending-provider")
    cancel = next(o for o in data.orders if o["state"] == "pending-consumer")
    offering = data.offerings[0]
    newcomer = data.users[-1]
    lists = [
        "users/?page_size=5&is_active=true",
        "keys/?page=2&page_size=3",
        "marketplace-resources/?state=OK&state=Erred",
        "marketplace-provider-resources/?state=OK&field=uuid&field=name&field=limits",
        "marketplace-orders/?state=pending-provider&type=Create&type=Update",
        "marketplace-offering-users/",
        "marketplace-service-providers/?customer_uuid=" + data.customer["uuid"],
        f"marketplace-service-providers/{sp}/users/?page_size=300",
        f"marketplace-service-providers/{sp}/keys/",
        f"marketplace-service-providers/{sp}/projects/",
        f"marketplace-service-providers/{sp}/project_permissions/",
    ]
    result: list[tuple[str, str, Any]] = []
    spec = load_spec()
    for path in lists:
        result.append(("GET", path, None))
        bare, _, query = path.partition("?")
        if any(op.method == "HEAD" and op.pattern.match("/api/" + bare) for op in spec.operations):
            # The count operations take the filters but not the field selection.
            counted = "&".join(p for p in query.split("&") if not p.startswith("field="))
            result.append(("HEAD", f"{bare}?{counted}", None))
    result += [
        ("GET", f"marketplace-resources/{resource['uuid']}/", None),
        ("GET", f"marketplace-orders/{data.orders[0]['uuid']}/?field=uuid&field=state", None),
        ("GET", f"marketplace-provider-offerings/{offering['uuid']}/", None),
        (
            "POST",
            "marketplace-component-usages/set_usage/",
            {"resource": resource["uuid"], "usages": [{"type": "cpu", "amount": "4.50"}]},
        ),
        ("GET", f"marketplace-resources/{resource['uuid']}/team/", None),
        ("GET", f"marketplace-provider-resources/{resource['uuid']}/team/", None),
        ("GET", f"marketplace-resources/{resource['uuid']}/plan_periods/", None),
        ("GET", f"marketplace-provider-resources/{resource['uuid']}/plan_periods/", None),
        ("POST", f"marketplace-orders/{next(orders)['uuid']}/approve_by_provider/", {}),
        (
            "POST",
            f"marketplace-orders/{next(orders)['uuid']}/reject_by_provider/",
            {"provider_rejection_comment": "no"},
        ),
        ("POST", f"marketplace-orders/{cancel['uuid']}/cancel/", None),
        (
            "POST",
            f"marketplace-provider-resources/{resource['uuid']}/set_backend_id/",
            {"backend_id": "acct-1"},
        ),
        (
            "POST",
            f"marketplace-provider-resources/{resource['uuid']}/submit_report/",
            {"report": [{"header": "h", "body": "b"}]},
        ),
        (
            "POST",
            "marketplace-offering-users/",
            {"offering": offering["url"], "user": newcomer["url"], "username": "newcomer"},
        ),
        (
            "POST",
            f"marketplace-service-providers/{sp}/set_offerings_username/",
            {"user_uuid": member["user_uuid"], "username": "member1"},
        ),
    ]
    return result


async def test_every_operation_matches_the_schema(anyio_backend: str) -> None:
    fake = FakePuhuri(FakeData.generate(users=30, seed=5), token="test-token-123")
    covered = set()
    async with client_for(fake) as http:
        for method, path, body in calls(fake.data):
            validate_request(method, path, body)
            response = await http.request(method, path, json=body)
            assert 200 <= response.status_code < 300, (method, path, response.text)
            decoded = response.json() if response.content else None
            validate_response(
                method, path, response.status_code, decoded, headers=response.headers, strict=True
            )
            covered.add(load_spec().operation(method, "/api/" + path.split("?")[0]).operation_id)
    every = {op.operation_id for op in load_spec().operations}
    assert every - covered == NOT_SERVED


async def test_list_items_match_their_schema_for_every_object() -> None:
    data = FakeData.generate(users=40, offerings=3, seed=9)
    fake = FakePuhuri(data, token="test-token-123")
    sp = data.service_provider["uuid"]
    async with client_for(fake) as http:
        for path in (
            "users/",
            "keys/",
            "marketplace-provider-resources/",
            "marketplace-orders/",
            "marketplace-offering-users/",
            f"marketplace-service-providers/{sp}/users/",
            f"marketplace-service-providers/{sp}/keys/",
            f"marketplace-service-providers/{sp}/projects/",
            f"marketplace-service-providers/{sp}/project_permissions/",
        ):
            response = await http.get(path, params={"page_size": 300})
            assert len(response.json()) == int(response.headers["X-Result-Count"])
            validate_response("GET", path, 200, response.json(), strict=True)
        for offering in data.offerings:
            validate_schema("ProviderOfferingDetails", offering, strict=True)


async def test_error_bodies_are_drf_shaped(client: httpx.AsyncClient) -> None:
    paths = ("users/?page=99", f"marketplace-orders/{'f' * 32}/", "marketplace-orders/?state=x")
    for path in paths:
        body = (await client.get(path)).json()
        assert isinstance(body, dict)
        assert all(isinstance(v, str | list) for v in body.values())


# -- the helper itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: validate_request("GET", "users/?usernme=x"), "unknown query parameter 'usernme'"),
        (lambda: validate_request("GET", "marketplace-orders/?state=Done"), "not one of"),
        (lambda: validate_request("GET", "users/?page=2&page=3"), "may not repeat"),
        (lambda: validate_request("GET", "users/?is_active=yes"), "not a boolean"),
        (lambda: validate_request("GET", "keys/?user_uuid=123"), "not a valid uuid"),
        (
            lambda: validate_request("POST", f"marketplace-orders/{'a' * 32}/cancel/", {}),
            "takes no request body",
        ),
        (
            lambda: validate_request("POST", "marketplace-component-usages/set_usage/", None),
            "request body is required",
        ),
        (
            lambda: validate_request(
                "POST",
                "marketplace-component-usages/set_usage/",
                {"usages": [{"type": "cpu", "amount": "1.001"}]},
            ),
            "does not match",
        ),
        (lambda: validate_request("PUT", "users/"), "method not in the schema"),
        (lambda: validate_request("GET", "no-such/"), "no such path"),
        (
            lambda: validate_response("POST", f"marketplace-orders/{'a' * 32}/cancel/", 200),
            "status 200 is not documented",
        ),
        (lambda: validate_response("GET", "users/", 200, [{"uuid": "1-2"}]), "is not a 'uuid'"),
        (
            lambda: validate_response("GET", "users/", 200, [{"date_joined": "2024-01-01"}]),
            "is not a 'date-time'",
        ),
        (
            lambda: validate_response("GET", "users/", 200, [{"url": "/api/users/x/"}]),
            "is not a 'uri'",
        ),
        (
            lambda: validate_response("GET", "users/", 200, [{"bogus": 1}], strict=True),
            "Additional properties",
        ),
        (lambda: validate_response("GET", "users/", 200, None), "none given"),
        (
            lambda: validate_response("GET", "users/", 200, [], headers={"X-Result-Count": "x"}),
            "not an integer",
        ),
        (lambda: validate_schema("OrderDetails", {"state": "approved"}), "is not one of"),
        (lambda: validate_schema("ResourcePlanPeriod", {"uuid": "a" * 32}), "is a required"),
    ],
)
def test_the_helper_reports_mismatches(call: Any, message: str) -> None:
    with pytest.raises(OpenAPIMismatch, match=message):
        call()


def test_the_helper_accepts_valid_shapes() -> None:
    validate_request("GET", "http://h.example/api/marketplace-orders/?o=-created,cost&field=uuid")
    validate_response("GET", "/api/users/", 200, [{"uuid": "a" * 32, "civil_number": None}])
    validate_schema(
        "OrderDetails",
        {"plan_unit": None, "issue": None, "cost": None, "created": "2024-01-01T00:00:00.123Z"},
    )
    validate_schema("Project", {"oecd_fos_2007_code": ""})
    validate_response("POST", "marketplace-component-usages/set_usage/", 201, None)
