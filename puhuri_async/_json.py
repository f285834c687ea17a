"""JSON encoding and decoding, with orjson when it is installed (the ``speedups`` extra).

Both back ends give the same results for what the API exchanges: ``dumps`` writes UUIDs as
strings, dates and datetimes in ISO 8601 and Decimals as strings. (They differ on NaN and
infinity, which are not JSON: the standard library refuses them, orjson writes ``null``.)
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import uuid
from collections.abc import Callable
from typing import Any

__all__ = ["BACKEND", "JSONDecodeError", "dumps", "loads"]

JSONDecodeError: tuple[type[Exception], ...] = (ValueError, UnicodeDecodeError)
"""What ``loads`` raises on malformed input (orjson's error is a ``ValueError`` too)."""


def _default(value: Any) -> Any:
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _std_loads(data: bytes | str) -> Any:
    return json.loads(data)


def _std_dumps(value: Any) -> bytes:
    return json.dumps(
        value, default=_default, allow_nan=False, ensure_ascii=False, separators=(",", ":")
    ).encode()


loads: Callable[[bytes | str], Any] = _std_loads
dumps: Callable[[Any], bytes] = _std_dumps
BACKEND = "json"

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
        return orjson.loads(data)

    loads = _orjson_loads
    dumps = _orjson_dumps
    BACKEND = "orjson"
