"""Good arguments: accepted and turned into their wire form, inputs left unchanged."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from puhuri_async._arguments import (
    amount_arg,
    backend_id_arg,
    exactly_one,
    non_empty_str,
    optional_str,
    timestamp_arg,
    uuid_arg,
    uuid_or_url_arg,
)
from puhuri_async._filters import (
    check_filters,
    encode_value,
    extra_params_arg,
    fields_arg,
    merge_filters,
)
from puhuri_async.models import ComponentUsage, ResourceReportRecord
from puhuri_async.models.inputs import report_payload, usages_payload

HEX = "d47ca5bce71144579df29da3c290027e"
DASHED = "d47ca5bc-e711-4457-9df2-9da3c290027e"
BASE = "https://puhuri.example/api/"
OFFERINGS = "marketplace-provider-offerings"
ORDERS = "marketplace-orders/"
RESOURCES = "marketplace-provider-resources/"


@pytest.mark.parametrize(
    "value",
    [
        HEX,
        HEX.upper(),
        DASHED,
        DASHED.upper(),
        "D47CA5BC-e711-4457-9DF2-9da3c290027E",
        uuid.UUID(HEX),
    ],
)
def test_uuid_forms(value: Any) -> None:
    assert uuid_arg(value, "order_uuid") == HEX


@pytest.mark.parametrize(
    ("value", "base_url"),
    [
        (HEX, BASE),
        (DASHED.upper(), BASE),
        (uuid.UUID(HEX), BASE),
        (f"{BASE}{OFFERINGS}/{HEX}/", BASE),
        (f"{BASE}{OFFERINGS}/{HEX}", BASE),  # trailing slash optional
        (f"{BASE}{OFFERINGS}/{DASHED.upper()}/", BASE),  # normalised
        (f"HTTPS://PUHURI.EXAMPLE/api/{OFFERINGS}/{HEX}/", BASE),  # scheme and host ignore case
        (f"https://puhuri.example:443/api/{OFFERINGS}/{HEX}/", BASE),  # default port
        (f"https://puhuri.example/api/{OFFERINGS}/{HEX}/", "https://puhuri.example/api"),
    ],
)
def test_uuid_or_url_gives_the_canonical_api_url(value: Any, base_url: str) -> None:
    result = uuid_or_url_arg(value, "offering", base_url=base_url, collection=OFFERINGS)
    assert result == f"{BASE}{OFFERINGS}/{HEX}/"


def test_uuid_or_url_on_a_non_default_port_and_path() -> None:
    base = "http://127.0.0.1:8123/core/api/"
    url = f"http://127.0.0.1:8123/core/api/users/{HEX}/"
    assert uuid_or_url_arg(url, "user", base_url=base, collection="users/") == url
    assert uuid_or_url_arg(HEX, "user", base_url=base, collection="users") == url


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (10, "10"),
        (0, "0"),
        (0.1, "0.1"),  # the float's shortest repr, not its binary expansion
        (1.25, "1.25"),
        (1e3, "1000.0"),
        ("12.5", "12.5"),
        (" 7 ", "7"),
        (".5", "0.5"),
        ("+3", "3"),
        (Decimal("1.500"), "1.50"),  # exact: a trailing zero dropped, nothing rounded
        (Decimal("99.99"), "99.99"),
        (10**17, "100000000000000000"),
        (Decimal("1E+2"), "100"),
    ],
)
def test_amounts(value: Any, wire: str) -> None:
    result = amount_arg(value, "amount")
    assert isinstance(result, Decimal)
    assert result == Decimal(wire)
    assert format(result, "f") == wire


def test_component_usage_wire_form() -> None:
    usage = ComponentUsage(type="cpu", amount=0.1, description="Usage")
    assert usage.amount == Decimal("0.1")
    assert usage.to_request() == {"type": "cpu", "amount": "0.1", "description": "Usage"}
    assert ComponentUsage("gpu", Decimal("1E+2")).to_request()["amount"] == "100"
    assert ComponentUsage("ram", "5", recurring=True).to_request() == {
        "type": "ram",
        "amount": "5",
        "description": "",
        "recurring": True,
    }


def test_payloads() -> None:
    usages = [ComponentUsage("cpu", 10, "Usage"), {"type": "gpu", "amount": "2.50"}]
    before = copy.deepcopy(usages)
    assert usages_payload(usages) == [
        {"type": "cpu", "amount": "10", "description": "Usage"},
        {"type": "gpu", "amount": "2.50", "description": ""},
    ]
    assert usages == before
    assert usages_payload(u for u in [ComponentUsage("cpu", 1)]) == [
        {"type": "cpu", "amount": "1", "description": ""}
    ]
    report = [ResourceReportRecord("Header1", "Body1"), {"header": "Header2", "body": "Body2"}]
    assert report_payload(report) == [
        {"header": "Header1", "body": "Body1"},
        {"header": "Header2", "body": "Body2"},
    ]


def test_strings() -> None:
    assert non_empty_str("abc", "username") == "abc"
    assert backend_id_arg("x" * 255) == "x" * 255
    assert optional_str(None, "comment") is None
    assert optional_str("", "comment") == ""


def test_timestamps() -> None:
    aware = datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    assert timestamp_arg(aware, "date") == "2024-05-01T12:00:00+03:00"
    assert timestamp_arg(date(2024, 5, 1), "date") == "2024-05-01T00:00:00+00:00"
    assert timestamp_arg("2024-05-01T00:00:00Z", "date") == "2024-05-01T00:00:00Z"


def test_exactly_one() -> None:
    assert exactly_one({"resource": HEX, "plan_period": None}) == "resource"
    assert exactly_one({"resource": None, "plan_period": HEX}) == "plan_period"


@pytest.mark.parametrize(
    ("path", "filters", "query"),
    [
        (ORDERS, {"state": "executing"}, [("state", "executing")]),
        (
            ORDERS,
            {"state": ["pending-provider", "executing"]},
            [("state", "pending-provider"), ("state", "executing")],
        ),
        (ORDERS, {"state": ("done",)}, [("state", "done")]),
        (ORDERS, {"state": {"erred", "done"}}, [("state", "done"), ("state", "erred")]),  # sorted
        (
            ORDERS,
            {"type": "Terminate", "resource_uuid": DASHED.upper()},
            [("type", "Terminate"), ("resource_uuid", HEX)],
        ),
        (ORDERS, {"o": ["-created", "state"]}, [("o", "-created,state")]),  # explode: false
        (ORDERS, {"o": "-created"}, [("o", "-created")]),
        (ORDERS, {"state": None, "type": "Create"}, [("type", "Create")]),  # None: not filtered
        (ORDERS, {"resource_uuid": uuid.UUID(HEX)}, [("resource_uuid", HEX)]),
        (
            ORDERS,
            {"created": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)},
            [("created", "2024-01-02T03:04:05+00:00")],
        ),
        (
            ORDERS,
            {"resource": f"{BASE}marketplace-resources/{HEX}/"},
            [("resource", f"{BASE}marketplace-resources/{HEX}/")],
        ),
        (
            "users/",
            {"is_active": True, "is_staff": False},
            [("is_active", "true"), ("is_staff", "false")],
        ),
        ("users/", {"is_active": "True"}, [("is_active", "true")]),
        ("users/", {"username": "alice", "email": ""}, [("username", "alice"), ("email", "")]),
        (
            RESOURCES,
            {"state": ["Creating", "OK"], "provider_uuid": HEX},
            [("state", "Creating"), ("state", "OK"), ("provider_uuid", HEX)],
        ),
        (RESOURCES, {"offering_uuid": [HEX, DASHED]}, [("offering_uuid", f"{HEX},{HEX}")]),
        (
            RESOURCES,
            {"component_count": 2, "limit_component_count": Decimal("1.5")},
            [("component_count", "2"), ("limit_component_count", "1.5")],
        ),
        (RESOURCES, {"field": ["name", "state"]}, [("field", "name"), ("field", "state")]),
        ("marketplace-service-providers/", {"customer_uuid": HEX}, [("customer_uuid", HEX)]),
        (
            "marketplace-service-providers/{service_provider_uuid}/project_permissions/",
            {
                "scope_uuid": DASHED,
                "role_name": "PROJECT.MEMBER",
            },  # scope_uuid: plain string in the schema
            [("scope_uuid", HEX), ("role_name", "PROJECT.MEMBER")],
        ),
        ("keys/", None, []),
        ("keys/", {}, []),
    ],
)
def test_check_filters(
    path: str, filters: dict[str, Any] | None, query: list[tuple[str, str]]
) -> None:
    before = copy.deepcopy(filters)
    assert check_filters(path, filters) == query
    assert filters == before


def test_fields() -> None:
    fields = ["name", "offering", "state", "limits", "plan", "project", "url"]  # the seed's
    assert fields_arg(RESOURCES, fields) == [("field", name) for name in fields]
    assert fields_arg(RESOURCES, "uuid") == [("field", "uuid")]
    assert fields_arg(RESOURCES, None) == []
    assert fields_arg(RESOURCES, ("offering_uuid", "uuid")) == [
        ("field", "offering_uuid"),
        ("field", "uuid"),
    ]


def test_date_values() -> None:
    assert encode_value("date", date(2024, 5, 1), "billing_period") == "2024-05-01"
    aware = datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert encode_value("date-time", aware, "created") == "2024-05-01T10:00:00+00:00"


def test_merge_filters() -> None:
    positional = {"state": "executing"}
    merged = merge_filters(positional, {"resource_uuid": HEX})
    assert merged == {"state": "executing", "resource_uuid": HEX}
    assert positional == {"state": "executing"}
    assert merge_filters(None, {"state": "done"}) == {"state": "done"}
    assert merge_filters({"state": "done"}, {"state": "done"}) == {"state": "done"}


def test_extra_params() -> None:
    assert extra_params_arg(None) == []
    assert extra_params_arg({"has_new_thing": True, "n": 3, "tags": ["a", "b"]}) == [
        ("has_new_thing", "true"),
        ("n", "3"),
        ("tags", "a"),
        ("tags", "b"),
    ]
    assert extra_params_arg([("x", "1"), ("x", "2")]) == [("x", "1"), ("x", "2")]
