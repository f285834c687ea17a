"""Responses of every operation, as the schema describes them, structure and round-trip.

The ``client`` fixture validates each response against the operation's 2xx schema; here the
validated JSON is compared with what the typed result gives back through ``to_dict()``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from _openapi import load_spec, validate_schema

from puhuri_async import (
    ActionResult,
    ComponentUsage,
    PuhuriClient,
    PuhuriModel,
    ResourceEndpoint,
    ResourceReportRecord,
)
from puhuri_async._operations import OPERATIONS as TABLE
from puhuri_async._operations import Kind
from puhuri_async.models import structure
from puhuri_async.testing import FakeData, FakePuhuri

from .conftest import TOKEN, ContractCheckingTransport

Call = Callable[[PuhuriClient, FakePuhuri], Any]


@pytest.fixture
def fake(fake_data: FakeData) -> FakePuhuri:
    """An 8.1 server: it has every operation of the table (8.0.5 lacks the three 8.1 ones)."""
    return FakePuhuri(fake_data, token=TOKEN, profile="8.1")


def _sp(fake: FakePuhuri) -> str:
    return str(fake.data.service_provider["uuid"])


def _order(fake: FakePuhuri, state: str, offering_type: str | None = None) -> str:
    return str(
        next(
            o["uuid"]
            for o in fake.data.orders
            if o["state"] == state and offering_type in (None, o["offering_type"])
        )
    )


def _resource(fake: FakePuhuri) -> dict[str, Any]:
    return next(
        r
        for r in fake.data.resources
        if r["state"] != "Terminated" and fake.data.plan_periods.get(r["uuid"])
    )


def _in_state(fake: FakePuhuri, state: str) -> str:
    return str(next(r["uuid"] for r in fake.data.resources if r["state"] == state))


def _later() -> date:
    return datetime.now(UTC).date() + timedelta(days=60)


def _transition(action: str, state: str) -> Call:
    """A call of the offering-user transition ``action`` on an account in ``state``."""

    def call(c: PuhuriClient, f: FakePuhuri) -> Any:
        account = next(a for a in f.data.offering_users if a["state"] == state)
        return getattr(c, f"marketplace_offering_user_{action}")(account["uuid"])

    return call


def _usage(c: PuhuriClient, f: FakePuhuri) -> Any:
    resource = _resource(f)
    offering = f.data.get("offerings", resource["offering_uuid"])
    assert offering is not None
    usages = [ComponentUsage(x["type"], "1.25") for x in offering["components"]]
    return c.create_component_usages(usages, resource=resource["uuid"])


#: A sample object of the fake's data for each kind of UUID argument a read takes.
SAMPLES: dict[str, Callable[[FakePuhuri], str]] = {
    "resource_uuid": lambda f: str(_resource(f)["uuid"]),
    "offering_uuid": lambda f: str(f.data.offerings[0]["uuid"]),
    "order_uuid": lambda f: str(f.data.orders[0]["uuid"]),
    "service_provider_uuid": _sp,
    "user_uuid": lambda f: str(f.data.users[0]["uuid"]),
    "offering_user_uuid": lambda f: str(f.data.offering_users[0]["uuid"]),
}


def _read(name: str) -> Call:
    """A call of read ``name`` (a list, get or rows operation) on sample objects."""
    row = TABLE[name]
    return lambda c, f: getattr(c, name)(*(SAMPLES[arg](f) for arg in row.path_args))


#: operation -> a call of it on the fake's data (its model and operationId are the table's):
#: every read on sample objects, each write on an object in the state it needs.
CALLS: dict[str, Call] = {
    **{name: _read(name) for name, row in TABLE.items() if row.kind is not Kind.ACTION},
    "marketplace_order_approve_by_provider": lambda c, f: c.marketplace_order_approve_by_provider(
        _order(f, "pending-provider")
    ),
    "marketplace_order_reject_by_provider": lambda c, f: c.marketplace_order_reject_by_provider(
        _order(f, "pending-provider"), "no"
    ),
    "marketplace_order_cancel": lambda c, f: c.marketplace_order_cancel(
        _order(f, "pending-consumer")
    ),
    "marketplace_order_set_state_executing": lambda c, f: c.marketplace_order_set_state_executing(
        _order(f, "pending-provider", "Marketplace.Slurm")
    ),
    "marketplace_order_set_state_done": lambda c, f: c.marketplace_order_set_state_done(
        _order(f, "executing")
    ),
    "marketplace_order_set_state_erred": lambda c, f: c.marketplace_order_set_state_erred(
        _order(f, "executing", "Marketplace.Slurm"), "failed", "trace"
    ),
    "marketplace_order_set_backend_id": lambda c, f: c.marketplace_order_set_backend_id(
        _order(f, "done"), "o-1"
    ),
    "marketplace_provider_resource_set_as_ok": lambda c, f: (
        c.marketplace_provider_resource_set_as_ok(_in_state(f, "Creating"))
    ),
    "marketplace_provider_resource_set_as_erred": lambda c, f: (
        c.marketplace_provider_resource_set_as_erred(_in_state(f, "OK"), error_message="broken")
    ),
    "marketplace_provider_resource_set_limits": lambda c, f: (
        c.marketplace_provider_resource_set_limits(_resource(f)["uuid"], {"cpu": 100})
    ),
    "marketplace_provider_resource_set_backend_metadata": lambda c, f: (
        c.marketplace_provider_resource_set_backend_metadata(_resource(f)["uuid"], {"k": [1]})
    ),
    "marketplace_provider_resource_refresh_last_sync": lambda c, f: (
        c.marketplace_provider_resource_refresh_last_sync(_resource(f)["uuid"])
    ),
    "marketplace_provider_resource_set_end_date_by_provider": lambda c, f: (
        c.marketplace_provider_resource_set_end_date_by_provider(_resource(f)["uuid"], _later())
    ),
    "marketplace_provider_resource_set_end_date": lambda c, f: (
        c.marketplace_provider_resource_set_end_date(_resource(f)["uuid"], _later())
    ),
    "marketplace_provider_resource_set_endpoints": lambda c, f: (
        c.marketplace_provider_resource_set_endpoints(
            _resource(f)["uuid"], [ResourceEndpoint("Login", "ssh://login.example.org")]
        )
    ),
    "marketplace_provider_resource_set_effective_id": lambda c, f: (
        c.marketplace_provider_resource_set_effective_id(_resource(f)["uuid"], "e-1")
    ),
    "update_offering_user": lambda c, f: c.update_offering_user(
        f.data.offering_users[0]["uuid"], "renamed"
    ),
    "delete_offering_user": lambda c, f: c.delete_offering_user(f.data.offering_users[0]["uuid"]),
    **{
        f"marketplace_offering_user_{action}": _transition(action, state)
        for action, state in {
            "begin_creating": "Requested",
            "set_ok": "Creating",
            "set_error_creating": "Creating",
            "set_pending_account_linking": "Creating",
            "set_pending_additional_validation": "Creating",
            "set_validation_complete": "Pending account linking",
            "set_deleting": "Requested deletion",
            "set_deleted": "Deleting",
        }.items()
    },
    "marketplace_resource_set_backend_id": lambda c, f: c.marketplace_resource_set_backend_id(
        _resource(f)["uuid"], "b-2"
    ),
    "marketplace_resource_submit_report": lambda c, f: c.marketplace_resource_submit_report(
        _resource(f)["uuid"], [ResourceReportRecord("h", "b")]
    ),
    "create_component_usages": _usage,
    "create_component_user_usage": lambda c, f: c.create_component_user_usage(
        f.data.component_usages[0]["uuid"], "2.50", "jdoe", f.data.offering_users[0]["uuid"]
    ),
    "create_remote_offering_user": lambda c, f: c.create_remote_offering_user(
        f.data.offerings[1]["uuid"], f.data.users[-1]["uuid"], "u-1"
    ),
    "set_offerings_username": lambda c, f: c.set_offerings_username(
        _sp(f), f.data.permissions[0]["user_uuid"], "u-2"
    ),
}

#: (operation, call, model of the result or of its items, operationId in the schema)
OPERATIONS: list[tuple[str, Call, type[PuhuriModel] | None, str]] = [
    (name, call, TABLE[name].model, TABLE[name].operation_id) for name, call in CALLS.items()
]


def _operations_by_id() -> dict[str, dict[str, Any]]:
    spec = load_spec()
    return {
        op["operationId"]: op
        for item in spec.document["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }


def _success_schema(operation: dict[str, Any]) -> tuple[str, str | None]:
    """(the 2xx status, the component its JSON body is made of, or None without a body)."""
    status, response = next((s, r) for s, r in operation["responses"].items() if s[0] == "2")
    content = response.get("content", {}).get("application/json")
    if content is None:
        return status, None
    schema = content["schema"]
    reference = schema.get("items", schema).get("$ref")
    if reference is None:  # an object described in place (the order's set_backend_id)
        return status, None
    return status, str(reference.rsplit("/", 1)[-1])


def test_every_operation_of_the_table() -> None:
    assert set(CALLS) == set(TABLE)
    known = _operations_by_id()
    assert all(operation_id in known for *_, operation_id in OPERATIONS)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("call", "model", "operation_id"), [o[1:] for o in OPERATIONS], ids=[o[0] for o in OPERATIONS]
)
async def test_result_round_trips_the_validated_response(
    client: PuhuriClient,
    fake: FakePuhuri,
    contract: ContractCheckingTransport,
    call: Call,
    model: type[PuhuriModel] | None,
    operation_id: str,
) -> None:
    result = await call(client, fake)
    status, component = _success_schema(_operations_by_id()[operation_id])
    bodies = [body for _, _, code, body in contract.responses if str(code) == status]
    assert bodies or component is None, "no response with the documented status"
    if model is None:  # set_usage: 201 without a body
        assert result is None
        assert component is None
        return
    if isinstance(result, list):
        sent = [item for body in bodies for item in body]
        assert sent, "an empty list shows nothing"
        assert all(isinstance(item, model) for item in result)
        assert [item.to_dict() for item in result] == sent
        assert component == model.schema_component
    else:
        assert isinstance(result, model)
        assert result.to_dict() == (bodies[-1] if bodies and bodies[-1] is not None else {})
        if model is not ActionResult:
            assert component == model.schema_component


@pytest.mark.parametrize(
    ("component", "example"),
    [
        ("ResourceResponseStatus", {"status": "Resource backend_id has been changed."}),
        ("OrderInfoResponse", {"detail": "Order has been approved."}),
    ],
)
def test_action_answers_from_the_schema_round_trip(component: str, example: dict) -> None:
    validate_schema(component, example, strict=True)
    result = structure(example, ActionResult)
    assert result.to_dict() == example
    assert result.message == next(iter(example.values()))
    assert dict(result) == example


def test_action_operations_answer_a_status_a_detail_or_nothing() -> None:
    known = _operations_by_id()
    components = {
        operation_id: _success_schema(known[operation_id])[1]
        for _, _, model, operation_id in OPERATIONS
        if model is ActionResult
    }
    assert set(components.values()) <= {"ResourceResponseStatus", "OrderInfoResponse", None}
