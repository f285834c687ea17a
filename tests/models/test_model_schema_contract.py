"""The models against the OpenAPI subset: same fields, and schema examples round-trip."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, get_type_hints

import attrs
import pytest

from puhuri_async._operations import OPERATIONS
from puhuri_async.models import (
    ActionResult,
    BillingType,
    BillingUnit,
    CoreState,
    LimitPeriod,
    OfferingState,
    OfferingUserState,
    Order,
    OrderState,
    OrderType,
    ProjectKind,
    PuhuriModel,
    Resource,
    ResourceState,
    structure,
)

#: operationId of each response the endpoints structure -> the model it becomes: every operation
#: of the table (puhuri_async._operations) answering a model, and two more schemas they follow.
OPERATION_MODELS: dict[str, type[PuhuriModel]] = {
    **{
        row.operation_id: row.model
        for row in OPERATIONS.values()
        if row.model is not None and row.model is not ActionResult
    },
    "marketplace_resources_retrieve": Resource,
    "marketplace_orders_retrieve": Order,
}

#: The Python type an attribute has for a string of each schema format.
FORMAT_TYPES: dict[str, type] = {"date-time": datetime, "date": date, "decimal": Decimal}


def _fields(model: type[PuhuriModel]) -> set[str]:
    return {field.name for field in attrs.fields(model) if field.name != "_data"}


def _response_ref(operation: dict[str, Any]) -> str:
    for response in operation["responses"].values():
        for content in response.get("content", {}).values():
            schema = content["schema"]
            schema = schema.get("items", schema)
            return str(schema["$ref"].rsplit("/", 1)[-1])
    raise AssertionError(f"{operation['operationId']} has no JSON response")


def test_each_operation_response_has_its_model(openapi: dict[str, Any]) -> None:
    operations = {
        op["operationId"]: op
        for item in openapi["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    for operation_id, model in OPERATION_MODELS.items():
        assert _response_ref(operations[operation_id]) == model.schema_component, operation_id


def test_model_fields_are_the_schema_properties(model: type[PuhuriModel], schemas: dict) -> None:
    assert _fields(model) == set(schemas[model.schema_component]["properties"])


def test_schema_example_round_trips(
    model: type[PuhuriModel], schema_example: Callable[[str], dict[str, Any]]
) -> None:
    data = schema_example(model.schema_component)
    obj = structure(data, model)
    assert obj.to_dict() == data
    assert set(obj.keys()) == set(data)
    for key in data:
        assert obj[key] == data[key]


def test_attribute_types_follow_the_schema(
    model: type[PuhuriModel], schema_example: Callable[[str], dict[str, Any]], schemas: dict
) -> None:
    obj = structure(schema_example(model.schema_component), model)
    for name, prop in schemas[model.schema_component]["properties"].items():
        value = getattr(obj, name)
        expected = {"string": str, "integer": int, "boolean": bool}.get(prop.get("type", ""))
        if prop.get("format") in FORMAT_TYPES:
            expected = FORMAT_TYPES[prop["format"]]
        if prop.get("type") == "number" and name not in ("latitude", "longitude"):
            expected = Decimal
        if prop.get("type") == "array":
            expected = tuple
        if expected is not None:
            assert isinstance(value, expected), (name, value)
        if isinstance(value, datetime):
            assert value.tzinfo is not None, name


def test_null_for_every_field_reads_none(model: type[PuhuriModel]) -> None:
    data = dict.fromkeys(_fields(model))
    obj = structure(data, model)
    assert obj.to_dict() == data
    for name in data:
        assert getattr(obj, name) is None
        assert name in obj


def _enum_of(annotation: Any) -> type[StrEnum] | None:
    for arg in getattr(annotation, "__args__", (annotation,)):
        if isinstance(arg, type) and issubclass(arg, StrEnum):
            return arg
    return None


def test_enum_fields_accept_unknown_values(model: type[PuhuriModel]) -> None:
    hints = get_type_hints(model)
    for name in _fields(model):
        if _enum_of(hints[name]) is not None:
            obj = structure({name: "Something-new"}, model)
            assert getattr(obj, name) == "Something-new"
            assert not isinstance(getattr(obj, name), StrEnum)


ENUM_COMPONENTS = {
    OrderState: "OrderState",
    OrderType: "RequestTypes",
    ResourceState: "ResourceState",
    OfferingState: "OfferingState",
    OfferingUserState: "OfferingUserState",
    BillingType: "BillingTypeEnum",
    BillingUnit: "BillingUnit",
    LimitPeriod: "LimitPeriodEnum",
    ProjectKind: "KindEnum",
    CoreState: "CoreStates",
}


@pytest.mark.parametrize("enum_type", list(ENUM_COMPONENTS), ids=lambda e: e.__name__)
def test_enum_members_are_the_schema_values(enum_type: type[StrEnum], schemas: dict) -> None:
    assert [member.value for member in enum_type] == schemas[ENUM_COMPONENTS[enum_type]]["enum"]


def test_enum_fields_use_the_enum_of_their_schema(model: type[PuhuriModel], schemas: dict) -> None:
    hints = get_type_hints(model)
    for name, prop in schemas[model.schema_component]["properties"].items():
        refs = [
            branch["$ref"].rsplit("/", 1)[-1]
            for branch in [prop, *prop.get("allOf", []), *prop.get("oneOf", [])]
            if "$ref" in branch
        ]
        enum_type = _enum_of(hints[name])
        if enum_type is not None:
            assert ENUM_COMPONENTS[enum_type] in refs, name
        else:
            assert not set(refs) & set(ENUM_COMPONENTS.values()), name
