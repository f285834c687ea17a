"""JSON encoding for the fake server: orjson when installed, the standard library otherwise.

Both produce compact UTF-8 bytes with ``/`` left unescaped, which the response rewriting of
``puhuri_async.testing._app`` relies on (it swaps the canonical base URL for the one a request
came to with one ``bytes.replace``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["dumps", "loads"]


def _std_dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _std_loads(data: bytes) -> Any:
    return json.loads(data)


dumps: Callable[[Any], bytes] = _std_dumps
loads: Callable[[bytes], Any] = _std_loads

_orjson: ModuleType | None
try:
    _orjson = importlib.import_module("orjson")
except ImportError:  # pragma: no cover - depends on the optional extra
    _orjson = None

if _orjson is not None:  # pragma: no cover - depends on the optional extra
    dumps = _orjson.dumps
    loads = _orjson.loads
