"""Every operation the fake serves answers as the OpenAPI subset says (strictly: no invented
fields), to requests that themselves match the subset; and the schema helper catches mistakes."""

from __future__ import annotations

import re
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
from puhuri_async.testing._legacy import DEFAULTS as LEGACY_DEFAULTS

from ._util import client_for

pytestmark = pytest.mark.anyio

#: Operations of the subset the fake does not serve.
NOT_SERVED = {"marketplace_public_offerings_retrieve"}


def calls(data: FakeData) -> list[tuple[str, str, Any]]:
    """One request per operation: (method, path with query, JSON body or None)."""
    sp = data.service_provider["uuid"]
    resource = next(r for r in data.resources if r["state"] == "OK")
    member = next(p for p in data.permissions if p["project_uuid"] == resource["project_uuid"])
    basic = [o for o in data.orders if o["offering_type"] == "Marketplace.Basic"]
    orders = iter(o for o in basic if o["state"] == "pending-provider")
    cancel = next(o for o in basic if o["state"] == "pending-consumer")
    agent = [o for o in data.orders if o["offering_type"] == "Marketplace.Slurm"]
    waiting = next(o for o in agent if o["state"] == "pending-provider")
    running = next(o for o in agent if o["state"] == "executing")
    offering = data.offerings[0]
    newcomer = data.users[-1]
    usage = data.component_usages[0]
    accounts = {o["state"]: o for o in reversed(data.offering_users)}
    lists = [
        "users/?page_size=5&is_active=true",
        "keys/?page=2&page_size=3",
        "marketplace-resources/?state=OK&state=Erred",
        "marketplace-provider-resources/?state=OK&field=uuid&field=name&field=limits",
        "marketplace-orders/?state=pending-provider&type=Create&type=Update",
        "marketplace-offering-users/?state=OK",
        "marketplace-service-providers/?customer_uuid=" + data.customer["uuid"],
        f"marketplace-service-providers/{sp}/users/?page_size=300",
        f"marketplace-service-providers/{sp}/keys/",
        f"marketplace-service-providers/{sp}/projects/",
        f"marketplace-service-providers/{sp}/project_permissions/",
        "marketplace-provider-offerings/?type=Marketplace.Slurm",
        f"marketplace-component-usages/?resource_uuid={usage['resource_uuid']}",
        "marketplace-component-user-usages/?type=cpu",
        "component-user-usage-limits/?component_type=storage",
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
    pr = f"marketplace-provider-resources/{resource['uuid']}"
    result += [
        ("GET", "users/me/", None),
        ("GET", f"users/{newcomer['uuid']}/", None),
        ("GET", "version/", None),
        ("GET", f"marketplace-service-providers/{sp}/", None),
        ("GET", f"marketplace-resources/{resource['uuid']}/", None),
        ("GET", f"{pr}/", None),
        ("GET", f"marketplace-orders/{data.orders[0]['uuid']}/?field=uuid&field=state", None),
        ("GET", f"marketplace-provider-offerings/{offering['uuid']}/", None),
        (
            "POST",
            "marketplace-component-usages/set_usage/",
            {"resource": resource["uuid"], "usages": [{"type": "cpu", "amount": "4.50"}]},
        ),
        ("GET", f"marketplace-component-usages/{usage['uuid']}/", None),
        (
            "POST",
            f"marketplace-component-usages/{usage['uuid']}/set_user_usage/",
            {"username": "site0001", "usage": "1.25"},
        ),
        ("GET", f"marketplace-resources/{resource['uuid']}/team/", None),
        ("GET", f"{pr}/team/", None),
        ("GET", f"marketplace-resources/{resource['uuid']}/plan_periods/", None),
        ("GET", f"{pr}/plan_periods/", None),
        ("POST", f"marketplace-orders/{next(orders)['uuid']}/approve_by_provider/", {}),
        (
            "POST",
            f"marketplace-orders/{next(orders)['uuid']}/reject_by_provider/",
            {"provider_rejection_comment": "no"},
        ),
        ("POST", f"marketplace-orders/{cancel['uuid']}/cancel/", None),
        ("POST", f"marketplace-orders/{waiting['uuid']}/set_state_executing/", None),
        (
            "POST",
            f"marketplace-orders/{waiting['uuid']}/set_state_erred/",
            {"error_message": "Out of nodes.", "error_traceback": "Traceback: ..."},
        ),
        ("POST", f"marketplace-orders/{running['uuid']}/set_state_done/", None),
        ("POST", f"marketplace-orders/{running['uuid']}/set_backend_id/", {"backend_id": "j-1"}),
        ("POST", f"{pr}/set_backend_id/", {"backend_id": "acct-1"}),
        ("POST", f"{pr}/submit_report/", {"report": [{"header": "h", "body": "b"}]}),
        ("POST", f"{pr}/set_as_erred/", {"error_message": "down", "error_traceback": "..."}),
        ("POST", f"{pr}/set_as_ok/", None),
        ("POST", f"{pr}/set_limits/", {"limits": {"cpu": 100, "gpu": 2}}),
        ("POST", f"{pr}/set_backend_metadata/", {"backend_metadata": {"queue": "normal"}}),
        ("POST", f"{pr}/refresh_last_sync/", None),
        ("POST", f"{pr}/set_end_date_by_provider/", {"end_date": "2999-12-31"}),
        ("POST", f"{pr}/set_end_date/", {"end_date": "2999-12-30"}),
        (
            "POST",
            f"{pr}/set_endpoints/",
            {"endpoints": [{"name": "login", "url": "ssh://login.example.org"}]},
        ),
        ("POST", f"{pr}/set_effective_id/", {"effective_id": "remote-7"}),
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
        ("GET", f"marketplace-offering-users/{accounts['OK']['uuid']}/", None),
        ("PATCH", f"marketplace-offering-users/{accounts['OK']['uuid']}/", {"username": "x1"}),
    ]
    walk = [
        ("Requested", "begin_creating", None),
        ("Requested", "set_pending_account_linking", {"comment": "Link your account."}),
        (
            "Requested",
            "set_pending_additional_validation",
            {"comment": "Send an ID.", "comment_url": "https://id.example.org/"},
        ),
        ("Requested", "set_validation_complete", None),
        ("Creating", "set_error_creating", None),
        ("Creating", "set_ok", None),
        ("Requested deletion", "set_deleting", None),
        ("Requested deletion", "set_deleted", None),
    ]
    for state, action, body in walk:
        result.append(
            ("POST", f"marketplace-offering-users/{accounts[state]['uuid']}/{action}/", body)
        )
    result.append(("DELETE", f"marketplace-offering-users/{accounts['Deleted']['uuid']}/", None))
    return result


_DECIMAL = re.compile(r"^-?\d{1,18}\.\d{2}$")


def checked_usage_amounts(path: str, decoded: Any) -> Any:
    """``decoded`` with its usage amounts checked and set aside.

    Waldur sends the ``usage`` of component usages and per-user usages as its DecimalField does,
    a decimal string (``"4.50"``); the 8.0.5 schema types it as an integer. Waldur's own tools
    read it with ``float()`` and compare fractions, so the fake follows the server.
    """
    if "component-usages/" not in path and "component-user-usages/" not in path:
        return decoded
    for item in decoded if isinstance(decoded, list) else [decoded]:
        if isinstance(item, dict) and "usage" in item:
            assert _DECIMAL.match(item.pop("usage")), (path, item)
    return decoded


async def test_every_operation_matches_the_schema(anyio_backend: str) -> None:
    fake = FakePuhuri(FakeData.generate(users=30, seed=5), token="test-token-123", profile="8.1")
    covered = set()
    async with client_for(fake) as http:
        for method, path, body in calls(fake.data):
            validate_request(method, path, body)
            response = await http.request(method, path, json=body)
            assert 200 <= response.status_code < 300, (method, path, response.text)
            decoded = checked_usage_amounts(path, response.json()) if response.content else None
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


def _without_unset(value: Any) -> Any:
    """``value`` without the fields 7.0.7 adds unset (null or empty: see ``_legacy.DEFAULTS``)."""
    if isinstance(value, dict):
        return {
            k: _without_unset(v)
            for k, v in value.items()
            if not (k in LEGACY_DEFAULTS and v in (None, "") and LEGACY_DEFAULTS[k] == v)
        }
    if isinstance(value, list):
        return [_without_unset(v) for v in value]
    return value


async def test_7_answers_fit_the_schema_where_7_serves_the_operation(anyio_backend: str) -> None:
    """7.0.7's shapes differ (other fields), but the fields both have keep the schema's types,
    apart from the nulls and empty strings 7.0.7 sends for unset images and links (measured; the
    8.0.5 schema admits neither there)."""
    fake = FakePuhuri(FakeData.generate(users=30, seed=5), token="test-token-123", profile="7.0")
    served = 0
    async with client_for(fake) as http:
        for method, path, body in calls(fake.data):
            response = await http.request(method, path, json=body)
            if response.status_code == 404 and response.headers["content-type"].startswith("text"):
                continue  # 7.0.7 has no such operation
            assert 200 <= response.status_code < 300, (method, path, response.text)
            if not response.content:
                served += 1
                continue  # 7.0.7 answers approve_by_provider with no body at all
            decoded = checked_usage_amounts(path, _without_unset(response.json()))
            if path.endswith("/projects/"):
                # 7.0.7 sends the price estimate as numbers; 8.0.5 has decimal strings.
                for row in decoded:
                    assert all(isinstance(v, float) for v in row["billing_price_estimate"].values())
                    row.pop("billing_price_estimate")
            if path.endswith("/team/"):
                # 7.0.7 has no offering-user states: its team rows lack the field 8.0.5 requires.
                for row in decoded:
                    assert "offering_user_state" not in row
                    row["offering_user_state"] = None
            validate_response(method, path, response.status_code, decoded, strict=False)
            served += 1
    assert served > 50
