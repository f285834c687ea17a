"""JSON back ends: the standard library and orjson agree on what the API exchanges."""

from __future__ import annotations

import datetime as dt
import decimal
import importlib
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from puhuri_async import _json

BACKENDS: list[tuple[str, Callable[[Any], bytes], Callable[[bytes | str], Any]]] = [
    ("json", _json._std_dumps, _json._std_loads),
]
if _json.BACKEND == "orjson":  # installed by the test extra (speedups)
    BACKENDS.append(("orjson", _json.dumps, _json.loads))


def test_orjson_is_used_when_installed() -> None:
    importlib.import_module("orjson")
    assert _json.BACKEND == "orjson"


@pytest.mark.parametrize(("name", "dumps", "loads"), BACKENDS, ids=[b[0] for b in BACKENDS])
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": [1, 2.5, None, True]}, {"a": [1, 2.5, None, True]}),
        ({"name": "Äö €"}, {"name": "Äö €"}),
        ({"u": uuid.UUID(int=1)}, {"u": "00000000-0000-0000-0000-000000000001"}),
        ({"d": dt.date(2026, 1, 2)}, {"d": "2026-01-02"}),
        (
            {"t": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)},
            {"t": "2026-01-02T03:04:05+00:00"},
        ),
        ({"n": decimal.Decimal("1.10")}, {"n": "1.10"}),
    ],
)
def test_round_trip(
    name: str,
    dumps: Callable[[Any], bytes],
    loads: Callable[[bytes], Any],
    value: Any,
    expected: Any,
) -> None:
    encoded = dumps(value)
    assert isinstance(encoded, bytes)
    assert loads(encoded) == expected


@pytest.mark.parametrize(("name", "dumps", "loads"), BACKENDS, ids=[b[0] for b in BACKENDS])
def test_errors(name: str, dumps: Callable[[Any], bytes], loads: Callable[[bytes], Any]) -> None:
    with pytest.raises(TypeError):
        dumps({"x": object()})
    for bad in (b'[{"a": 1', b"<html>", b"\xff"):
        with pytest.raises(_json.JSONDecodeError):
            loads(bad)
