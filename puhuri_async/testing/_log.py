"""The request log: every request that reached the fake, and what it answered."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any

from puhuri_async.testing._faults import path_matches

__all__ = ["RequestLog", "RequestRecord"]


@dataclass(frozen=True)
class RequestRecord:
    """One request as the fake saw it."""

    index: int
    """Position in the log (the order answers were given), from 0."""
    method: str
    path: str
    """The path, e.g. ``/api/marketplace-orders/<uuid>/approve_by_provider/``."""
    query: tuple[tuple[str, str], ...]
    """Query pairs in order (repeated names kept)."""
    json: Any
    """The JSON body, or None when there was none (or it was not JSON)."""
    headers: tuple[tuple[str, str], ...]
    """Request headers, names in lower case."""
    status: int
    """The status answered (the injected one when a fault answered)."""
    applied: bool
    """The operation ran and succeeded (2xx): for a POST, its effect is in the data."""
    fault: str | None
    """The kind of fault injected into the answer, or None."""

    def param(self, name: str) -> list[str]:
        """Every value of query parameter ``name``."""
        return [value for key, value in self.query if key == name]


class RequestLog:
    """Thread-safe, append-only list of ``RequestRecord``."""

    def __init__(self) -> None:
        self._records: list[RequestRecord] = []
        self._lock = threading.Lock()

    def append(self, record: RequestRecord) -> RequestRecord:
        """Add a record, numbering it; returns the numbered record."""
        with self._lock:
            numbered = replace(record, index=len(self._records))
            self._records.append(numbered)
            return numbered

    def records(self) -> list[RequestRecord]:
        """A snapshot, in the order requests were answered."""
        with self._lock:
            return list(self._records)

    def matching(self, method: str | None = None, path: str | None = None) -> list[RequestRecord]:
        """Records with this method (any when None) whose path matches the glob ``path``
        (exact when it has no wildcard; relative to ``/api/`` without a leading ``/``)."""
        wanted = method.upper() if method else None
        return [
            r
            for r in self.records()
            if (wanted is None or r.method == wanted) and path_matches(path, r.path)
        ]

    def clear(self) -> None:
        """Forget every record."""
        with self._lock:
            self._records.clear()
