"""Arbitrary JSON into every model: a model that round-trips, or DecodeError, never anything else.

And the converse: any value the schema allows structures without error, and so does any such
value with nulls anywhere in it (fields, list elements, map values, nested objects), eagerly
and lazily: real servers send nulls their schema does not admit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puhuri_async._errors import DecodeError
from puhuri_async.models import PuhuriModel, structure, structure_many
from puhuri_async.models._base import copy_json
from puhuri_async.models._converter import structurer

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    # strings that look like what typed fields parse, to reach the parsers' edges
    st.sampled_from(
        ["", "OK", "12.50", "1e999", "NaN", "-0", "2021-08-11", "2021-13-45T25:00:00Z"]
    ),
    st.datetimes().map(datetime.isoformat),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _object_for(model: type[PuhuriModel]) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects whose keys are mostly the model's own fields, with arbitrary values."""
    names = [field.name for field in attrs.fields(model) if field.name != "_data"]
    return st.dictionaries(st.sampled_from(names) | st.text(max_size=8), json_values, max_size=8)


def _check(data: Any, model: type[PuhuriModel]) -> None:
    try:
        obj = structure(data, model)
    except DecodeError as exc:
        error = exc
    else:
        assert isinstance(obj, model)
        assert obj.to_dict() == data
        assert all(key in obj for key in data)
        return
    assert str(error).startswith(f"cannot decode {model.__name__}: ")


def _check_many(data: Any, model: type[PuhuriModel]) -> None:
    try:
        result = structure_many(data, model)
    except DecodeError as exc:
        error = exc
    else:
        assert [item.to_dict() for item in result] == data
        return
    assert str(error).startswith("cannot decode ")


@SETTINGS
@given(data=st.data())
def test_arbitrary_json_gives_models_or_decode_error(model: type[PuhuriModel], data: Any) -> None:
    value = data.draw(json_values | _object_for(model) | st.lists(_object_for(model), max_size=3))
    _check(value, model)
    _check_many(value, model)


def test_non_finite_floats_are_decode_errors_for_numbers_and_kept_in_free_json() -> None:
    from puhuri_async.models import Project, Resource

    for bad in (math.nan, math.inf, -math.inf):
        try:
            structure({"project_credit": bad}, Project)
        except DecodeError:
            pass
        else:  # pragma: no cover - the assertion below reports it
            raise AssertionError(f"{bad} accepted as a decimal")
        resource = structure({"attributes": {"x": bad}}, Resource)
        assert resource["attributes"]["x"] is bad or math.isnan(resource["attributes"]["x"])


# Values the schema allows, drawn from each property's type and format.

_timezones = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])
_FORMATS: dict[str, st.SearchStrategy[Any]] = {
    "date-time": st.datetimes(timezones=_timezones).map(lambda d: d.isoformat()),
    "date": st.dates().map(lambda d: d.isoformat()),
    "decimal": st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
}


Resolver = Callable[[dict[str, Any]], dict[str, Any]]


def _schema_values(
    resolve: Resolver, node: dict[str, Any], depth: int = 0, *, nulls: bool = False
) -> Any:
    """Values of schema ``node``; with ``nulls``, null may stand anywhere below the top."""
    nullable = node.get("nullable", False) or (nulls and depth > 0)
    node = resolve(node)
    strategy: st.SearchStrategy[Any]
    if "enum" in node:
        # An enum field also takes values a newer server may introduce.
        strategy = st.sampled_from([v for v in node["enum"] if v is not None])
        if node.get("type") == "string":
            strategy |= st.text(max_size=10)
    elif node.get("type") == "object" or "properties" in node:
        extra = node.get("additionalProperties")
        if depth > 2:
            strategy = st.just({})
        elif isinstance(extra, dict) and "properties" not in node:
            values = (
                _schema_values(resolve, extra, depth + 1, nulls=nulls) if extra else json_values
            )
            strategy = st.dictionaries(st.text(max_size=6), values, max_size=3)
        else:
            strategy = st.fixed_dictionaries(
                {},
                optional={
                    name: _schema_values(resolve, prop, depth + 1, nulls=nulls)
                    for name, prop in node.get("properties", {}).items()
                },
            )
    elif node.get("type") == "array":
        items = _schema_values(resolve, node.get("items", {}), depth + 1, nulls=nulls)
        strategy = st.lists(items, max_size=3)
    elif node.get("type") == "string":
        strategy = _FORMATS.get(node.get("format", ""), st.text(max_size=10))
    elif node.get("type") == "integer":
        strategy = st.integers()
    elif node.get("type") == "number":
        strategy = st.floats(allow_nan=False, allow_infinity=False) | st.integers()
    elif node.get("type") == "boolean":
        strategy = st.booleans()
    else:
        strategy = json_values
    return strategy | st.none() if nullable else strategy


@settings(SETTINGS, max_examples=40)
@given(data=st.data())
def test_any_value_the_schema_allows_structures(
    model: type[PuhuriModel], schemas: dict[str, Any], resolver: Resolver, data: Any
) -> None:
    value = data.draw(_schema_values(resolver, schemas[model.schema_component]))
    assert structure(value, model).to_dict() == value


def _read_everything(obj: PuhuriModel) -> dict[str, Any]:
    """Every attribute of ``obj``, nested models read through too."""
    values: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):
        if not field.init:
            continue
        value = getattr(obj, field.name)
        if isinstance(value, PuhuriModel):
            _read_everything(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, PuhuriModel):
                    _read_everything(item)
        values[field.name] = value
    return values


@settings(SETTINGS, max_examples=40)
@given(data=st.data())
def test_nulls_anywhere_are_never_a_decode_error(
    model: type[PuhuriModel], schemas: dict[str, Any], resolver: Resolver, data: Any
) -> None:
    value = data.draw(_schema_values(resolver, schemas[model.schema_component], nulls=True))
    eager = structure(value, model)
    assert eager.to_dict() == value
    lazy = structurer(model, "list_things")(copy_json(value))
    assert _read_everything(lazy) == _read_everything(eager)
    for name, item in value.items():
        if item is None and name in _read_everything(eager):
            assert getattr(eager, name) is None


def test_the_nulls_real_servers_send() -> None:
    from puhuri_async.models import Offering, Order, PlanPeriod, Resource

    resource = structure(
        {
            "limit_usage": {"storage": None, "cpu": "1.5"},
            "current_usages": {"gpu": None},
            "limits": {"cpu": None},
            "report": None,
            "state": None,
            "created": None,
            "order_in_progress": {"created": None, "cost": None, "type": None},
            "offering_components": [None, {"type": None, "billing_type": None}],
            "renewal_date": {"cpu": None},
            "available_actions": [None, "terminate"],
        },
        Resource,
    )
    assert resource.limit_usage == {"storage": None, "cpu": Decimal("1.5")}
    assert resource.current_usages == {"gpu": None}
    assert resource.limits == {"cpu": None}
    assert resource.report is None
    assert resource.state is None
    assert resource.created is None
    assert isinstance(resource.order_in_progress, Order)
    assert resource.order_in_progress.cost is None
    assert resource.offering_components is not None
    first, second = resource.offering_components
    assert first is None
    assert second is not None
    assert second.billing_type is None
    assert resource.renewal_date == {"cpu": None}
    assert resource.available_actions == (None, "terminate")
    lazy = structurer(Resource)({"limit_usage": {"storage": None}})
    assert lazy.limit_usage == {"storage": None}
    offering = structure({"components": [None]}, Offering)
    assert offering.components == (None,)
    period = structure({"components": [{"usage": None, "date": None}]}, PlanPeriod)
    assert period.components[0].usage is None
