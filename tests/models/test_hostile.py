"""Arbitrary JSON into every model: a model that round-trips, or DecodeError, never anything else.

And the converse: any value the schema allows structures without error.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puhuri_async._errors import DecodeError
from puhuri_async.models import PuhuriModel, structure, structure_many

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


def _schema_values(resolve: Resolver, node: dict[str, Any], depth: int = 0) -> Any:
    nullable = node.get("nullable", False)
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
            values = _schema_values(resolve, extra, depth + 1) if extra else json_values
            strategy = st.dictionaries(st.text(max_size=6), values, max_size=3)
        else:
            strategy = st.fixed_dictionaries(
                {},
                optional={
                    name: _schema_values(resolve, prop, depth + 1)
                    for name, prop in node.get("properties", {}).items()
                },
            )
    elif node.get("type") == "array":
        strategy = st.lists(_schema_values(resolve, node.get("items", {}), depth + 1), max_size=3)
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
