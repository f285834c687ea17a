"""JSON encoding and decoding, with msgspec and orjson when they are installed (``speedups``).

``loads`` uses msgspec, else orjson, else the standard library; ``dumps`` uses orjson, else the
standard library (request bodies are small: encoding is never the hot path). Every back end
gives the same values for what the API exchanges:

- ``dumps`` writes UUIDs as strings, dates and datetimes in ISO 8601 and Decimals as strings.
  (They differ on NaN and infinity, which are not JSON: the standard library refuses them,
  orjson writes ``null``.)
- ``loads`` keeps every integer exact. msgspec reads an integer of any length as an ``int``, so
  it needs no check; its dicts are also a third smaller than orjson's (it builds them key by
  key, which gives CPython's compact string-keyed table: 832 against 1,168 bytes for a user).
  orjson reads an integer beyond 64 bits as a float, so without msgspec a body where a run of
  19 or more digits (the shortest integer orjson cannot hold has 19) starts a value (after
  ``:``, ``,``, ``[``, white space or ``-``) is read by the standard library instead. One
  translate and one search decide it (about a quarter of orjson's own time: the price of exact
  integers); the digits of a hex uuid, inside a string, never start a value, so Waldur's pages
  stay on orjson. All three refuse what is not JSON: ``NaN``, ``Infinity`` and numbers too
  large for a float.
- A document nested too deeply raises ``ValueError``, never ``RecursionError``. Where "too
  deeply" begins depends on the back end: orjson stops at 1,024 levels, msgspec and the
  standard library where the interpreter's guard stops them (about 1,000 levels on 3.11,
  1,500 on 3.12, several thousand on 3.13). Checking the depth ourselves would cost as much
  as decoding the page.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import math
import uuid
from collections.abc import Callable
from typing import Any, NoReturn

__all__ = ["BACKEND", "JSONDecodeError", "dumps", "loads"]

JSONDecodeError: tuple[type[Exception], ...] = (ValueError, UnicodeDecodeError)
"""What ``loads`` raises on malformed input (orjson's error is a ``ValueError`` too)."""


def _default(value: Any) -> Any:
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:40]} is too large for a float")
    return value


_decoder = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)


def _std_loads(data: bytes | str) -> Any:
    text = data.decode() if isinstance(data, bytes | bytearray) else data
    try:
        return _decoder.decode(text)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None


def _std_dumps(value: Any) -> bytes:
    return json.dumps(
        value, default=_default, allow_nan=False, ensure_ascii=False, separators=(",", ":")
    ).encode()


loads: Callable[[bytes | str], Any] = _std_loads
dumps: Callable[[Any], bytes] = _std_dumps
BACKEND = "json"
"""The back end ``loads`` uses: ``"msgspec"``, ``"orjson"`` or ``"json"``."""

_LOADERS: dict[str, Callable[[bytes | str], Any]] = {"json": _std_loads}
"""Every installed back end's ``loads``, by name (the tests hold each to the same values)."""

# Digits become "0"; what may come just before an integer's first digit (a value's start or a
# minus sign) becomes "("; everything else "x". An integer of 19 digits or more is then one
# search for "(" and nineteen "0". (A "-" inside a string before such a run only costs a read
# by the standard library.)
_BEFORE_DIGITS = frozenset(b":,[ \t\r\n-")
_DIGITS = bytes(
    48 if 48 <= byte <= 57 else 40 if byte in _BEFORE_DIGITS else 120 for byte in range(256)
)
_LONG = b"(" + b"0" * 19

try:  # pragma: no branch - which branch runs depends on the installed extras
    import orjson
except ImportError:  # pragma: no cover
    pass
else:

    def _orjson_dumps(value: Any) -> bytes:
        try:
            return orjson.dumps(value, default=_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
        except orjson.JSONEncodeError as exc:
            raise TypeError(str(exc)) from None

    def _orjson_loads(data: bytes | str) -> Any:
        raw = data.encode() if isinstance(data, str) else data
        shape = raw.translate(_DIGITS)
        if _LONG in shape or b"(" + shape[:19] == _LONG:  # or the document is one such integer
            return _std_loads(raw)  # an integer orjson would turn into a float may be there
        return orjson.loads(raw)

    loads = _LOADERS["orjson"] = _orjson_loads
    dumps = _orjson_dumps
    BACKEND = "orjson"

try:  # pragma: no branch - which branch runs depends on the installed extras
    import msgspec
except ImportError:  # pragma: no cover
    pass
else:
    _msgspec_decode = msgspec.json.Decoder().decode

    def _msgspec_loads(data: bytes | str) -> Any:
        # msgspec's errors are ValueErrors already (a number too large for a float included);
        # only its recursion guard needs turning into one.
        try:
            return _msgspec_decode(data)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None

    loads = _LOADERS["msgspec"] = _msgspec_loads
    BACKEND = "msgspec"
