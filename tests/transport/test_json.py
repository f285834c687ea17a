"""JSON back ends: the standard library, orjson and msgspec agree on what the API exchanges."""

from __future__ import annotations

import datetime as dt
import decimal
import importlib
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from puhuri_async import _json

# Each installed decoder, paired with the encoder that goes with it (msgspec decodes only).
BACKENDS: list[tuple[str, Callable[[Any], bytes], Callable[[bytes | str], Any]]] = [
    (name, _json._std_dumps if name == "json" else _json.dumps, loads)
    for name, loads in _json._LOADERS.items()
]


def test_the_test_extra_installs_every_back_end_and_msgspec_decodes() -> None:
    importlib.import_module("orjson")
    importlib.import_module("msgspec")
    assert set(_json._LOADERS) == {"json", "orjson", "msgspec"}
    assert _json.BACKEND == "msgspec"
    assert _json.loads is _json._LOADERS["msgspec"]
    assert _json.dumps is not _json._std_dumps  # orjson encodes


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


@pytest.mark.parametrize("name", sorted(_json._LOADERS))
@pytest.mark.parametrize("text", LONG_INTEGERS)
def test_an_integer_beyond_64_bits_anywhere_a_value_starts_is_exact(name: str, text: bytes) -> None:
    loads = _json._LOADERS[name]
    assert repr(loads(text)) == repr(_json._std_loads(text))  # ints, never floats


def test_hex_uuids_and_dates_stay_on_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        {
            "uuid": "1234567890123456789012345678901a",  # digits inside a string
            "created": "2026-12-01T10:49:01.730142Z",
            "limit": 922337203685477580,  # 18 digits
        }
    ] * 3
    std: list[object] = []
    monkeypatch.setattr(_json, "_std_loads", lambda data: std.append(data))
    assert _json._LOADERS["orjson"](_json.dumps(rows)) == rows
    assert std == []


@pytest.mark.parametrize("name", sorted(_json._LOADERS))
def test_a_minus_before_a_long_digit_run_in_a_string_reads_the_same(name: str) -> None:
    text = b'[{"name": "batch-12345678901234567890", "n": -1}]'
    assert (
        _json._LOADERS[name](text)
        == _json._std_loads(text)
        == [{"name": "batch-12345678901234567890", "n": -1}]
    )


@pytest.mark.parametrize("name", sorted(_json._LOADERS))
@pytest.mark.parametrize(
    "text",
    [
        b"[18446744073709551616, 1e308, -0.0, 12345678901234567890123]",
        b"[1.5e-300, 1E5, 0.1, -0]",
        b'{"a": 1, "a": 2, "b": "\\ud83d\\ude00 \\u00e4"}',
        '["\u00e4\u20ac", 1]',
    ],
)
def test_every_back_end_reads_the_same_values(name: str, text: bytes | str) -> None:
    value = _json._LOADERS[name](text)
    assert repr(value) == repr(_json._std_loads(text))


@pytest.mark.parametrize("name", sorted(_json._LOADERS))
@pytest.mark.parametrize(
    "bad",
    [
        b"",
        b" ",
        b"[1,]",
        b"[1] x",
        b"01",
        b"[1e400]",
        b"[NaN]",
        b"[Infinity]",
        b"\xef\xbb\xbf[1]",
        b"[" * 5000,
    ],
)
def test_every_back_end_refuses_what_is_not_json(name: str, bad: bytes) -> None:
    with pytest.raises(_json.JSONDecodeError):
        _json._LOADERS[name](bad)


@pytest.mark.parametrize("name", sorted(_json._LOADERS))
def test_too_deep_is_a_value_error_on_every_back_end(name: str) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(ValueError, match=r"deep|depth"):
        _json._LOADERS[name](deep)
