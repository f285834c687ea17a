"""Hostile server answers, through the client: a model (or a list of them) or a DecodeError.

Property-based: hypothesis makes arbitrary JSON (and JSON shaped like each model, with every
field given an arbitrary value), an ``httpx.MockTransport`` answers every request with it (status
200), and each list and get operation must either return its models or raise ``DecodeError``;
reading any attribute of a returned model gives its value or a ``DecodeError`` (list items
convert their attributes when first read). Any other exception (a ``TypeError`` from an
unhashable "uuid", a ``KeyError``...) is a bug.
The models layer has its own property tests of ``structure()``; these go through the client.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from typing import Any

import attrs
import httpx
import pytest
from _registry import OPERATIONS as TABLE
from _registry import Kind, call
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puhuri_async import (
    ActionResult,
    DecodeError,
    PuhuriClient,
    PuhuriModel,
    RetryPolicy,
)

from ._figures import FIGURES
from ._support import TOKEN

API = "https://puhuri.test/api/"
UUID = "a" * 32

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", UUID, "2024-01-01T00:00:00Z", "2024-13-45", "OK", "1.5", "-1"])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def model_shaped(model: type[PuhuriModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with (some of) the model's field names, each holding any JSON value."""
    names = [field.name for field in attrs.fields(model)]
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, json_values))


def bodies(model: type[PuhuriModel], *, many: bool) -> st.SearchStrategy[Any]:
    shaped = model_shaped(model)
    if many:
        return st.lists(shaped, max_size=4) | json_values
    return shaped | json_values


Call = Callable[[PuhuriClient], Awaitable[Any]]

# operation → (model, a list?, the call): every operation of the table answering a model (lists
# collected), and one list streamed.
OPERATIONS: dict[str, tuple[type[PuhuriModel], bool, Call]] = {
    name: (row.model, row.kind in (Kind.LIST, Kind.ROWS), partial(call, name=name, uuid=UUID))
    for name, row in [
        *((row.name, row) for row in TABLE.values() if row.model not in (None, ActionResult)),
        ("iter_ssh_keys", TABLE["list_ssh_keys"]),
    ]
}


class Harness:
    """One client on one event loop for every example; the mock answers with ``body``."""

    def __init__(self) -> None:
        self.content = b"[]"
        self.headers: dict[str, str] = {}
        self.runner = asyncio.Runner()
        self.client = PuhuriClient(
            API, TOKEN, transport=httpx.MockTransport(self.answer), retry=RetryPolicy.none()
        )

    def answer(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=self.content, headers=self.headers)

    def run(self, call: Call, body: Any, count: str | None) -> Any:
        self.content = json.dumps(body).encode()
        self.headers = {"Content-Type": "application/json"}
        if count is not None:
            self.headers["X-Result-Count"] = count
        return self.runner.run(call(self.client))

    def close(self) -> None:
        self.runner.run(self.client.aclose())
        self.runner.close()


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    harness = Harness()
    yield harness
    harness.close()


@pytest.mark.parametrize("operation", list(OPERATIONS))
@SETTINGS
@given(data=st.data())
def test_any_json_gives_models_or_decode_error(
    harness: Harness, operation: str, data: st.DataObject
) -> None:
    model, many, call = OPERATIONS[operation]
    body = data.draw(bodies(model, many=many), label="body")
    count = data.draw(st.none() | st.sampled_from(["0", "3", "-1", "x", "99999"]), label="count")
    error: DecodeError | None = None
    try:
        result = harness.run(call, body, count)
    except DecodeError as exc:
        error = exc
    if error is not None:
        FIGURES.add(typed_errors=1)
        assert operation in str(error)
        return
    results = result if many else [result]
    assert all(isinstance(item, model) for item in results)
    if many:
        assert isinstance(body, list)
    # List items convert their attributes when read: every attribute gives its value or a
    # DecodeError naming the operation, never another exception.
    for item in results:
        for field in attrs.fields(model):
            if field.init:
                problem = read_attribute(item, field.name)
                if problem is not None:
                    FIGURES.add(typed_errors=1)
                    assert operation in problem
                    assert f"@ $.{field.name}" in problem


def read_attribute(item: PuhuriModel, name: str) -> str | None:
    """Read ``item.<name>``: ``None`` if it has a value, the message if it is a DecodeError."""
    try:
        getattr(item, name)
    except DecodeError as exc:
        return str(exc)
    return None
