"""The models of the service-provider operations (usage records, per-user usage and limits,
provider offerings, offering users, the current user, the resource actions' answers): each
operation's response in the 8.0.5 schema is the component its model follows, and the server's
examples of each structure as documented."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from puhuri_async.models import (
    ActionResult,
    ComponentUsage,
    ComponentUsageRecord,
    ComponentUserUsage,
    ComponentUserUsageLimit,
    Offering,
    OfferingUser,
    Order,
    PuhuriModel,
    Resource,
    User,
    structure,
)

#: operationId -> the model its 200/201 answer becomes.
SERVICE_PROVIDER_OPERATIONS: dict[str, type[PuhuriModel]] = {
    "marketplace_orders_retrieve": Order,
    "marketplace_provider_resources_retrieve": Resource,
    "marketplace_provider_resources_set_limits": ActionResult,
    "marketplace_provider_resources_set_backend_metadata": ActionResult,
    "marketplace_provider_offerings_list": Offering,
    "marketplace_provider_offerings_retrieve": Offering,
    "marketplace_component_usages_list": ComponentUsageRecord,
    "marketplace_component_usages_retrieve": ComponentUsageRecord,
    "marketplace_component_user_usages_list": ComponentUserUsage,
    "component_user_usage_limits_list": ComponentUserUsageLimit,
    "marketplace_offering_users_list": OfferingUser,
    "marketplace_offering_users_retrieve": OfferingUser,
    "marketplace_offering_users_partial_update": OfferingUser,
    "users_me_retrieve": User,
    "users_retrieve": User,
}


def _response_component(operation: dict[str, Any]) -> str:
    for code, response in operation["responses"].items():
        if code.startswith("2"):
            schema = response["content"]["application/json"]["schema"]
            schema = schema.get("items", schema)
            return str(schema["$ref"].rsplit("/", 1)[-1])
    raise AssertionError(f"{operation['operationId']} answers no JSON")


@pytest.mark.parametrize("operation_id", list(SERVICE_PROVIDER_OPERATIONS))
def test_each_operation_answers_its_model(operation_id: str, openapi: dict[str, Any]) -> None:
    operations = {
        op["operationId"]: op
        for item in openapi["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    model = SERVICE_PROVIDER_OPERATIONS[operation_id]
    assert _response_component(operations[operation_id]) == model.schema_component


def test_the_usage_record_is_not_the_usage_you_send() -> None:
    # Same schema name, two roles: the input is built and sent, the record is read back.
    assert ComponentUsageRecord.schema_component == "ComponentUsage"
    assert not issubclass(ComponentUsage, PuhuriModel)
    record = structure(
        {
            "uuid": "080066bebf9547d5ad3279f7c353b023",
            "type": "cpu",
            "usage": "10.50",
            "billing_period": "2024-03-01",
            "date": "2024-03-15T10:00:00Z",
            "modified_by": None,
        },
        ComponentUsageRecord,
    )
    assert record.usage == Decimal("10.50")
    assert record.billing_period.isoformat() == "2024-03-01"
    assert record.date.tzinfo is not None
    assert record.modified_by is None


def test_user_usage_without_an_offering_user_and_on_7x() -> None:
    usage = structure(
        {"uuid": "a" * 32, "user": None, "username": "jdoe", "usage": "3.00"}, ComponentUserUsage
    )
    assert usage.user is None
    assert usage.usage == Decimal("3.00")
    assert usage.billing_period is None  # 7.x does not send it
    assert "billing_period" not in usage


def test_the_7x_and_8x_shapes_of_the_drifting_models() -> None:
    from puhuri_async.models import ProjectPermission, ServiceProvider

    old_sp = structure({"uuid": "s" * 32, "organization_group": None}, ServiceProvider)
    new_sp = structure({"uuid": "s" * 32, "organization_groups": [{"name": "EU"}]}, ServiceProvider)
    assert (old_sp.organization_group, old_sp.organization_groups) == (None, None)
    assert new_sp.organization_groups == ({"name": "EU"},)
    assert new_sp.organization_group is None
    old_perm = structure({"role": "manager"}, ProjectPermission)
    new_perm = structure({"role": "manager", "role_name": "PROJECT.MANAGER"}, ProjectPermission)
    assert old_perm.role == new_perm.role == "manager"
    assert (old_perm.role_name, new_perm.role_name) == (None, "PROJECT.MANAGER")
    old_user = structure({"uuid": "u" * 32, "propagation_date": None}, OfferingUser)
    new_user = structure({"uuid": "u" * 32, "state": "OK"}, OfferingUser)
    assert (old_user.state, old_user.propagation_date) == (None, None)
    assert new_user.state == "OK"
    assert structure({"uuid": "o" * 32}, Order).url is None  # 7.x orders carry no url
