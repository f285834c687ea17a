"""Fixtures for the model tests: the parts of the 8.0.5 schema the models follow, what the 7.0.7
server sends, and JSON examples built from the schemas."""

from __future__ import annotations

from collections.abc import Callable
from inspect import isclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import puhuri_async.models as models_module
from puhuri_async.models import PuhuriModel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
#: The 8.0.5 schema's components and operations of the models (see the file's header).
SCHEMA = FIXTURES / "openapi" / "waldur-8.0.5-models.yaml"
#: What Waldur 7.0.7 sends for each of those components (see the file's header).
SERVER_7 = FIXTURES / "waldur-7.0.7" / "model-fields.yaml"

#: Every response model the package exports.
MODELS: list[type[PuhuriModel]] = [
    obj
    for name in models_module.__all__
    if isclass(obj := getattr(models_module, name))
    and issubclass(obj, PuhuriModel)
    and obj is not PuhuriModel
]

EXAMPLE_STRINGS = {
    "date-time": "2021-08-11T15:36:45.562440Z",
    "date": "2021-08-11",
    "uuid": "fb36ce56e53b43e59b3d963354d0467c",
    "uri": "https://puhuri.example/api/things/fb36ce56e53b43e59b3d963354d0467c/",
    "decimal": "12.50",
    "email": "someone@example.org",
}


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="session")
def server_7() -> dict[str, Any]:
    """``server_7["User"]``: ``fields`` (``None``: no such endpoint), ``not_always_sent``,
    ``sent_null`` of that component on Waldur 7.0.7."""
    loaded: dict[str, Any] = yaml.safe_load(SERVER_7.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="session")
def schemas(openapi: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = openapi["components"]["schemas"]
    return found


def resolve(schemas: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref``, a one-element ``allOf`` and the first non-null ``oneOf`` branch."""
    while True:
        if "$ref" in node:
            node = schemas[node["$ref"].rsplit("/", 1)[-1]]
        elif "allOf" in node and len(node["allOf"]) == 1:
            node = node["allOf"][0]
        elif "oneOf" in node:
            branches = [resolve(schemas, branch) for branch in node["oneOf"]]
            node = next(b for b in branches if b.get("enum") != [None])
        else:
            return node


def example_value(schemas: dict[str, Any], node: dict[str, Any], depth: int = 0) -> Any:
    """A plausible JSON value for a schema node, as the server would send it."""
    node = resolve(schemas, node)
    if "enum" in node:
        return next(value for value in node["enum"] if value is not None)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        if depth > 2:
            return {}
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and "properties" not in node:
            return {"key": example_value(schemas, extra, depth + 1)} if extra else {"k": "v"}
        return {
            name: example_value(schemas, prop, depth + 1)
            for name, prop in node.get("properties", {}).items()
        }
    if kind == "array":
        return [example_value(schemas, node.get("items", {}), depth + 1)]
    if kind == "string":
        return EXAMPLE_STRINGS.get(node.get("format", ""), "text")
    if kind == "integer":
        return 7
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return {"free": ["form", 1, None]}


@pytest.fixture(scope="session")
def resolver(schemas: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """``resolver(node)``: the schema node behind ``$ref`` / ``allOf`` / ``oneOf``."""
    return lambda node: resolve(schemas, node)


@pytest.fixture(scope="session")
def schema_example(schemas: dict[str, Any]) -> Callable[[str], dict[str, Any]]:
    """``schema_example("User")``: a full example object of that component schema."""

    def build(name: str) -> dict[str, Any]:
        value: dict[str, Any] = example_value(schemas, schemas[name])
        return value

    return build


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking a ``model`` argument runs once per exported response model."""
    if "model" in metafunc.fixturenames:
        metafunc.parametrize("model", MODELS, ids=[model.__name__ for model in MODELS])
