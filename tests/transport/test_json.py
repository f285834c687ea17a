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


LONG_INTEGERS = [
    b"18446744073709551616",
    b"-9223372036854775809",
    b'{"a":18446744073709551616}',
    b'{"a": -9223372036854775809}',
    b'{"a":\n\t18446744073709551616}',
    b"[1,18446744073709551616]",
    b"[18446744073709551616]",
    b" 123456789012345678901234",
]


@pytest.mark.parametrize("text", LONG_INTEGERS)
def test_an_integer_beyond_64_bits_anywhere_a_value_starts_is_exact(text: bytes) -> None:
    assert repr(_json.loads(text)) == repr(_json._std_loads(text))  # ints, never floats


def test_hex_uuids_and_dates_stay_on_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    if _json.BACKEND != "orjson":
        pytest.skip("the integer check exists only with orjson")
    rows = [
        {
            "uuid": "1234567890123456789012345678901a",  # digits inside a string
            "created": "2026-12-01T10:49:01.730142Z",
            "limit": 922337203685477580,  # 18 digits
        }
    ] * 3
    std: list[object] = []
    monkeypatch.setattr(_json, "_std_loads", lambda data: std.append(data))
    assert _json.loads(_json.dumps(rows)) == rows
    assert std == []


def test_a_minus_before_a_long_digit_run_in_a_string_reads_the_same() -> None:
    text = b'[{"name": "batch-12345678901234567890", "n": -1}]'
    assert (
        _json.loads(text)
        == _json._std_loads(text)
        == [{"name": "batch-12345678901234567890", "n": -1}]
    )
