"""The provider's input values: per-user usage, resource limits, endpoints and back-end metadata,
checked where they are written (``InvalidArgumentError`` naming the argument), sent as the
8.0.5 schema (and 8.1's for endpoints) asks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from puhuri_async._errors import InvalidArgumentError
from puhuri_async.models import (
    ResourceEndpoint,
    UserUsage,
    backend_metadata_payload,
    endpoints_payload,
    limits_payload,
)

OFFERING_USER = "0cc72de4ebb840d98fef133e4433ec9a"


def test_user_usage_body(openapi: dict[str, Any]) -> None:
    usage = UserUsage(
        "jdoe",
        "12.5",
        offering_user_uuid=OFFERING_USER.upper(),
        date=datetime(2024, 3, 1, 12, tzinfo=timezone(timedelta(hours=2))),
    )
    assert usage.usage == Decimal("12.5")
    assert usage.offering_user_uuid == OFFERING_USER
    body = usage.to_request(offering_user_url="https://puhuri.example/api/x/")
    assert body == {
        "usage": "12.5",
        "username": "jdoe",
        "user": "https://puhuri.example/api/x/",
        "date": "2024-03-01T12:00:00+02:00",
    }
    schema = openapi["components"]["schemas"]["ComponentUserUsageCreateRequest"]
    assert set(body) <= set(schema["properties"])
    assert set(schema["required"]) <= set(body)
    assert UserUsage("jdoe", 0).to_request() == {"usage": "0", "username": "jdoe"}
    assert UserUsage("jdoe", 1, date=date(2024, 3, 1)).date == "2024-03-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("make", "argument"),
    [
        (lambda: UserUsage("", 1), "username"),
        (lambda: UserUsage("x" * 101, 1), "username"),
        (lambda: UserUsage(5, 1), "username"),  # type: ignore[arg-type]
        (lambda: UserUsage("jdoe", -1), "usage"),
        (lambda: UserUsage("jdoe", "0.125"), "usage"),
        (lambda: UserUsage("jdoe", True), "usage"),
        (lambda: UserUsage("jdoe", 1, offering_user_uuid="nope"), "offering_user_uuid"),
        (lambda: UserUsage("jdoe", 1, date=datetime(2024, 3, 1)), "date"),
        (lambda: UserUsage("jdoe", 1, date="2024-03-01T00:00:00"), "date"),
    ],
)
def test_user_usage_refuses_bad_values(make: Callable[[], object], argument: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        make()
    assert caught.value.argument == argument


def test_limits(openapi: dict[str, Any]) -> None:
    limits = {"cpu_k_hours": 1000, "gpu_k_hours": 0}
    checked = limits_payload(limits)
    assert checked == limits
    assert checked is not limits
    schema = openapi["components"]["schemas"]["ResourceSetLimitsRequest"]
    assert schema["required"] == ["limits"]


@pytest.mark.parametrize(
    ("limits", "argument"),
    [
        ([("cpu", 1)], "limits"),
        ({}, "limits"),
        ({"": 1}, "limits"),
        ({3: 1}, "limits"),
        ({"cpu": -1}, "limits['cpu']"),
        ({"cpu": 1.5}, "limits['cpu']"),
        ({"cpu": "10"}, "limits['cpu']"),
        ({"cpu": True}, "limits['cpu']"),
        ({"cpu": None}, "limits['cpu']"),
    ],
)
def test_limits_refuses_bad_values(limits: object, argument: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        limits_payload(limits)
    assert caught.value.argument == argument


def test_endpoints() -> None:
    given = [
        ResourceEndpoint("Login", "ssh://login.example.org"),
        {"name": "Inference API", "url": " https://ai.example.org/v1 "},
    ]
    assert endpoints_payload(given) == [
        {"name": "Login", "url": "ssh://login.example.org"},
        {"name": "Inference API", "url": "https://ai.example.org/v1"},
    ]
    assert endpoints_payload([]) == []
    assert endpoints_payload(e for e in given[:1]) == [given[0].to_request()]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("endpoints", "argument"),
    [
        ("https://x.example", "endpoints"),
        ({"name": "a", "url": "https://x.example"}, "endpoints"),
        ([{"name": "", "url": "https://x.example"}], "endpoints[0].name"),
        ([{"name": "a" * 151, "url": "https://x.example"}], "endpoints[0].name"),
        ([{"name": "a", "url": "x.example/path"}], "endpoints[0].url"),
        ([{"name": "a"}], "endpoints[0]"),
        ([{"name": "a", "url": "https://x.example", "extra": 1}], "endpoints[0]"),
        ([ResourceEndpoint("a", "https://x.example"), 5], "endpoints[1]"),
    ],
)
def test_endpoints_refuse_bad_values(endpoints: object, argument: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        endpoints_payload(endpoints)
    assert caught.value.argument == argument


def test_backend_metadata() -> None:
    given = {"external_ips": ("193.40.1.0",), "nested": {"n": [1, 2.5, None, True]}}
    sent = backend_metadata_payload(given)
    assert sent == {"external_ips": ["193.40.1.0"], "nested": {"n": [1, 2.5, None, True]}}
    given["nested"]["n"].append("later")  # type: ignore[index]
    assert sent["nested"]["n"] == [1, 2.5, None, True]
    assert backend_metadata_payload({}) == {}


@pytest.mark.parametrize(
    ("metadata", "argument"),
    [
        ([("a", 1)], "backend_metadata"),
        ({1: "a"}, "backend_metadata"),
        ({"a": {2: "b"}}, "backend_metadata['a']"),
        ({"a": [1, float("nan")]}, "backend_metadata['a'][1]"),
        ({"when": datetime.now(UTC)}, "backend_metadata['when']"),
        ({"amount": Decimal("1.5")}, "backend_metadata['amount']"),
    ],
)
def test_backend_metadata_refuses_what_is_not_json(metadata: object, argument: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        backend_metadata_payload(metadata)
    assert caught.value.argument == argument


def test_endpoints_follow_the_8_1_shape() -> None:
    path = Path(__file__).parents[1] / "fixtures" / "openapi" / "waldur-8.1-resource-actions.yaml"
    schemas = yaml.safe_load(path.read_text(encoding="utf-8"))["components"]["schemas"]
    body = {"endpoints": endpoints_payload([ResourceEndpoint("Login", "ssh://login.example")])}
    assert set(schemas["ResourceEndpointsRequest"]["required"]) <= set(body)
    item = schemas["ResourceEndpointRequest"]
    for sent in body["endpoints"]:
        assert set(sent) == set(item["properties"]) == set(item["required"])
        assert all(isinstance(value, str) for value in sent.values())
    # The answer is {"status": ...}, read as an ActionResult.
    assert schemas["Status"]["required"] == ["status"]
