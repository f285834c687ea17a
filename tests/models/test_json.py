"""Models and the standard json module: ``default=json_default`` writes the server's JSON, which
``structure`` turns back into an equal model; typed values and inputs are written as the API
writes them; anything else is refused as json refuses it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from puhuri_async.models import (
    ComponentUsage,
    Order,
    OrderState,
    Resource,
    ResourceEndpoint,
    User,
    UserUsage,
    json_default,
    structure,
)
from puhuri_async.models._converter import page_structurer

ORDER = {
    "uuid": "5d2f0b6c6d8a4b5e9a4c1f2e3d4c5b6a",
    "state": "executing",
    "cost": "12.3400",
    "created": "2024-02-29T23:59:59+02:00",
    "limits": {"cpu": 10},
    "something_newer": {"kept": [1, None]},
}


def test_a_model_is_written_as_the_json_the_server_sent() -> None:
    order = structure(ORDER, Order)
    text = json.dumps(order, default=json_default)
    assert json.loads(text) == ORDER
    assert structure(json.loads(text), Order) == order
    with pytest.raises(TypeError):
        json.dumps(order)  # without the hook, as json does for any object


def test_lists_and_nested_models_too() -> None:
    page = page_structurer(User)([{"uuid": "a" * 32, "username": "ann"}, {"uuid": "b" * 32}])
    assert page is not None
    assert json.loads(json.dumps(page, default=json_default)) == [
        {"uuid": "a" * 32, "username": "ann"},
        {"uuid": "b" * 32},
    ]
    resource = structure({"uuid": "r" * 32, "order_in_progress": ORDER}, Resource)
    assert json.loads(json.dumps({"resource": resource}, default=json_default)) == {
        "resource": {"uuid": "r" * 32, "order_in_progress": ORDER}
    }
    assert resource.order_in_progress is not None
    nested = json.dumps(resource.order_in_progress, default=json_default)
    assert json.loads(nested) == ORDER


def test_typed_values_are_written_as_the_api_writes_them() -> None:
    order = structure(ORDER, Order)
    values = {"created": order.created, "cost": order.cost, "state": order.state}
    assert json.loads(json.dumps(values, default=json_default)) == {
        "created": "2024-02-29T23:59:59+02:00",
        "cost": "12.3400",
        "state": "executing",
    }
    assert order.state is OrderState.EXECUTING
    assert json_default(Decimal("1E+2")) == "100"
    assert json_default(date(2024, 3, 1)) == "2024-03-01"
    assert json_default(datetime(2024, 3, 1, tzinfo=UTC)) == "2024-03-01T00:00:00+00:00"


def test_inputs_are_written_as_they_are_sent() -> None:
    usage = ComponentUsage(type="cpu", amount="12.5")
    assert json.loads(json.dumps([usage], default=json_default)) == [usage.to_request()]
    endpoint = ResourceEndpoint(name="Login", url="ssh://login.example.org")
    assert json_default(endpoint) == {"name": "Login", "url": "ssh://login.example.org"}
    assert json_default(UserUsage(username="jdoe", usage=3)) == {"usage": "3", "username": "jdoe"}


@pytest.mark.parametrize("value", [object(), {1, 2}, b"bytes", complex(1, 2)])
def test_anything_else_is_refused(value: Any) -> None:
    with pytest.raises(TypeError, match="is not JSON serializable"):
        json.dumps({"x": value}, default=json_default)
