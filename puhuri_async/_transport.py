"""The transport's former home, kept so that existing imports keep working.

The HTTP layer now lives in rooms with one job each: ``_http`` (the ``Transport`` and its
request loop, with ``_exchange``), ``_auth``, ``_tls``, ``_config`` (``Timeout``,
``ResponseLimits``), ``_failures`` and ``_body``; the paging headers belong to the paginator
(``_page_wire``). Import from those (or from ``puhuri_async``) in new code.
"""

from __future__ import annotations

from typing import TypeAlias

from puhuri_async._config import ResponseLimits, Timeout, TimeoutLike
from puhuri_async._exchange import TransportStats
from puhuri_async._http import HttpxAsyncTransport, Transport
from puhuri_async._retry import RetryEvent
from puhuri_async._tls import default_tls_context

__all__ = [
    "HTTPTransport",
    "HttpxAsyncTransport",
    "ResponseLimits",
    "RetryEvent",
    "Timeout",
    "TimeoutLike",
    "TimeoutTypes",
    "Transport",
    "TransportStats",
    "default_tls_context",
]

TimeoutTypes: TypeAlias = TimeoutLike
"""The former name of ``TimeoutLike``."""

HTTPTransport: TypeAlias = HttpxAsyncTransport
"""The former name of ``HttpxAsyncTransport`` (it is not ``httpx.HTTPTransport``, a sync class)."""
