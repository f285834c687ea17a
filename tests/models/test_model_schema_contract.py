"""The models against the 8.0.5 schema and the 7.0.7 server: the same fields (plus the 7.x
fields 8.0.5 dropped), types that follow both, enums of the schema, and schema examples that
round-trip."""

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
from puhuri_async.models._converter import structurer

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

#: Fields whose JSON type on the wire is not the schema's: (component, field) -> attribute type.
#: The usage amounts are decimal columns the server sends as decimal strings ("12.50"); the
#: 8.0.5 schema calls them integers.
WIRE_TYPES: dict[tuple[str, str], type] = {
    ("ComponentUsage", "usage"): Decimal,
    ("ComponentUserUsage", "usage"): Decimal,
}


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


def test_model_fields_are_the_schema_properties(
    model: type[PuhuriModel], schemas: dict, server_7: dict
) -> None:
    properties = set(schemas[model.schema_component]["properties"])
    older = set(model.older_fields)
    assert _fields(model) == properties | older
    # The fields 8.0.5 dropped are exactly those 7.0.7 sends beyond the schema.
    sent_by_7 = server_7[model.schema_component]["fields"]
    assert older == (set(sent_by_7) - properties if sent_by_7 is not None else set())


def _optional(annotation: Any) -> bool:
    return annotation is Any or type(None) in getattr(annotation, "__args__", ())


def _may_be_missing(model: type[PuhuriModel], schemas: dict, server_7: dict) -> dict[str, str]:
    """The fields of ``model`` that may read ``None``, each with the reason."""
    component = model.schema_component
    measured = server_7[component]
    sent_by_7 = measured["fields"]
    reasons: dict[str, str] = {}
    for name, prop in schemas[component]["properties"].items():
        if prop.get("nullable") or not set(prop) - {"readOnly", "description", "title"}:
            reasons[name] = "the schema allows null (or any JSON)"
        elif sent_by_7 is not None and name not in sent_by_7:
            reasons[name] = "7.0.7 does not send it"
        elif name in measured.get("not_always_sent", ()):
            reasons[name] = "7.0.7 leaves it out for some roles or objects"
        elif name in measured.get("sent_null", ()):
            reasons[name] = "7.0.7 sends null"
        elif name in model.sometimes_absent:
            reasons[name] = "some answers of the model's operations leave it out"
    for name in model.older_fields:
        reasons[name] = "8.x does not send it"
    return reasons


def test_types_follow_the_schema_and_both_servers(
    model: type[PuhuriModel], schemas: dict, server_7: dict
) -> None:
    """A field is typed without None exactly when every server sends a value for it."""
    hints = get_type_hints(model)
    may_be_missing = _may_be_missing(model, schemas, server_7)
    required = set(schemas[model.schema_component].get("required") or ())
    for name in _fields(model):
        if hints[name] is Any:
            continue  # free-form JSON (``JSON``): any value, null included
        if name in may_be_missing:
            assert _optional(hints[name]), (name, may_be_missing[name])
        else:
            assert not _optional(hints[name]), f"{name} is always sent: type it without None"
        if name in required and name not in may_be_missing:
            assert not _optional(hints[name]), name
    assert set(model.sometimes_absent) <= _fields(model)


def test_absent_or_null_required_fields_read_none_without_error(model: type[PuhuriModel]) -> None:
    """Tolerance wins over the type: a field typed without None reads None when the server
    sent null or left it out, eagerly and lazily, and nothing fails."""
    hints = get_type_hints(model)
    typed = [name for name in _fields(model) if not _optional(hints[name])]
    assert typed or model is ActionResult
    for data in ({}, dict.fromkeys(typed)):
        for obj in (structure(data, model), structurer(model)(dict(data))):
            for name in typed:
                assert getattr(obj, name) is None
                assert (name in obj) == (name in data)


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
        expected = WIRE_TYPES.get((model.schema_component, name), expected)
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
