"""How one value reads in a table cell (for people) and in a TSV field (for scripts).

Tables show times readably: ``2024-09-03T17:43:20.363981Z`` becomes ``2024-09-03 17:43:20 UTC``
(in the local time zone, ``TZ`` respected, with its offset: ``2024-09-03 20:43:20 +03:00``); no
microseconds. TSV keeps every value as the server sent it, with the four characters TSV cannot
hold escaped (backslash, tab, newline, carriage return).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from puhuri_async.cli._terminal import escape

__all__ = ["cell", "readable_time", "tsv_field"]

_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?"
)
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def readable_time(text: str) -> str | None:
    """An ISO 8601 date and time as ``YYYY-MM-DD HH:MM:SS`` plus its zone; ``None`` if not one.

    A time with an offset is shown in the local zone, ``UTC`` or ``+HH:MM`` after it; a time
    without one is shown as it is, without the fraction of a second.
    """
    if not _DATETIME.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    local = moment.astimezone()
    offset = local.utcoffset() or timedelta(0)
    return local.strftime("%Y-%m-%d %H:%M:%S ") + _zone(offset)


def _zone(offset: timedelta) -> str:
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def cell(value: Any, *, limit: int | None = None) -> str:
    """One table cell: terminal-safe, on one line, times readable, cut at ``limit`` characters.

    ``None`` is empty, booleans are ``true``/``false``, lists and dicts compact JSON. Runs of
    white space (newlines and tabs included) become one space; other control characters are
    shown as escapes (see :func:`~puhuri_async.cli._terminal.escape`).
    """
    text = _plain(value)
    if isinstance(value, str):
        text = readable_time(value) or text
    if any(ch.isspace() and ch != " " for ch in text):
        text = " ".join(text.split())
    text = escape(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def tsv_field(value: Any, *, terminal: bool = False) -> str:
    """One TSV field: the value as sent (times untouched), tabs and newlines escaped.

    On a terminal, other control characters are escaped too; in a pipe they pass as they are.
    """
    text = _plain(value).translate(_TSV_ESCAPES)
    return escape(text) if terminal else text
