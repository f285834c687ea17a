"""Fault plans and scheduled data changes: what the fake does wrong, and when.

A ``Fault`` says which requests it matches (``method``, ``path`` glob), when it fires
(``every`` Nth match, on the matches listed in ``at``, with a seeded ``probability``, or on every
match; at most ``times`` times) and how the answer goes wrong (``kind``). ``applied`` says whether
the operation takes effect before the fault answer (a 502 after the POST was done) or not.

Kinds:

- ``status``: answer ``status`` (JSON ``{"detail": ...}``, ``Retry-After`` when given).
- ``html``: an HTML error page with ``status`` (200 by default, as a misconfigured proxy does).
- ``malformed``: the answer's status with its JSON body cut in half.
- ``drop``: headers with the full ``Content-Length``, then half the body, then the connection
  closes (the in-process transport raises ``httpx.RemoteProtocolError`` while reading it).
- ``slow``: the normal answer after ``delay`` seconds (longer than a client's timeout). With
  ``applied=False`` the operation runs after the delay, so it is not applied when the client
  gives up first; with ``applied=True`` it runs before the delay.
"""

from __future__ import annotations

import fnmatch
import random
from dataclasses import dataclass, field
from typing import Any

from puhuri_async.testing._data import COLLECTIONS

__all__ = ["FAULT_KINDS", "DataChange", "Fault", "FaultState", "path_matches"]

FAULT_KINDS = ("status", "html", "malformed", "drop", "slow")


def path_matches(pattern: str | None, path: str) -> bool:
    """Whether ``path`` (``/api/...``) matches a glob; a pattern without a leading ``/`` is
    relative to ``/api/``. ``*`` also matches ``/``; None matches everything."""
    if pattern is None:
        return True
    if not pattern.startswith("/"):
        pattern = "/api/" + pattern
    return fnmatch.fnmatchcase(path, pattern)


@dataclass(frozen=True)
class Fault:
    """A fault plan. Build one with ``error``, ``html``, ``malformed``,
    ``drop`` or ``slow``, and pass it to ``FakePuhuri(faults=[...])`` or
    ``fake.add_fault()``."""

    kind: str
    status: int = 503
    method: str | None = None
    """Match this HTTP method only (upper case); None: any."""
    path: str | None = None
    """Match paths by this glob (see ``path_matches``); None: any."""
    every: int | None = None
    """Fire on every Nth matching request (N, 2N, ...)."""
    at: tuple[int, ...] = ()
    """Fire on these matching requests (1-based), e.g. ``(1, 2)`` for the first two."""
    probability: float | None = None
    """Fire with this probability (a generator seeded with ``seed``)."""
    times: int | None = None
    """Fire at most this many times."""
    retry_after: float | str | None = None
    applied: bool = False
    delay: float = 0.0
    body: bytes | None = None
    content_type: str | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}, got {self.kind!r}")
        chosen = [self.every is not None, bool(self.at), self.probability is not None]
        if sum(chosen) > 1:
            raise ValueError("give at most one of every, at and probability")
        if self.every is not None and self.every < 1:
            raise ValueError(f"every must be >= 1, got {self.every}")
        if any(n < 1 for n in self.at):
            raise ValueError(f"at counts matching requests from 1, got {self.at}")
        if self.probability is not None and not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"probability must be within [0, 1], got {self.probability}")
        if self.times is not None and self.times < 0:
            raise ValueError(f"times must be >= 0, got {self.times}")
        if not 100 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP status, got {self.status}")
        if self.delay < 0:
            raise ValueError(f"delay must be >= 0, got {self.delay}")
        if self.method is not None:
            object.__setattr__(self, "method", self.method.upper())

    # -- constructors -----------------------------------------------------------------------

    @classmethod
    def error(
        cls,
        status: int,
        *,
        retry_after: float | str | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        **when: Any,
    ) -> Fault:
        """Answer ``status`` instead of the normal answer (``when``: method, path, every, at,
        probability, times, applied, seed)."""
        return cls(
            "status",
            status=status,
            retry_after=retry_after,
            body=body,
            content_type=content_type,
            **when,
        )

    @classmethod
    def html(cls, status: int = 200, **when: Any) -> Fault:
        """Answer an HTML error page with ``status`` (200 by default)."""
        return cls("html", status=status, **when)

    @classmethod
    def malformed(cls, **when: Any) -> Fault:
        """Answer with the JSON body cut in half."""
        return cls("malformed", **when)

    @classmethod
    def drop(cls, **when: Any) -> Fault:
        """Close the connection in the middle of the body."""
        return cls("drop", **when)

    @classmethod
    def slow(cls, delay: float, **when: Any) -> Fault:
        """Answer normally, after ``delay`` seconds."""
        return cls("slow", delay=delay, **when)

    def matches(self, method: str, path: str) -> bool:
        """Whether a request is one this plan counts."""
        return (self.method is None or self.method == method) and path_matches(self.path, path)


@dataclass
class FaultState:
    """A plan's counters while installed on a fake."""

    fault: Fault
    matched: int = 0
    fired: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.fault.seed)  # noqa: S311 - reproducible faults

    def decide(self) -> bool:
        """Count one matching request; whether the plan wants to fire on it.

        The caller adds to ``fired`` when the plan's answer is the one given (the first plan
        that wants to fire answers; the others only count the request).
        """
        fault = self.fault
        self.matched += 1
        if fault.times is not None and self.fired >= fault.times:
            return False
        if fault.every is not None:
            return self.matched % fault.every == 0
        if fault.at:
            return self.matched in fault.at
        if fault.probability is not None:
            return self.rng.random() < fault.probability
        return True


@dataclass(frozen=True)
class DataChange:
    """Insert and/or delete items of a collection after the ``after``-th matching request.

    The change happens once the matching request has been answered, so a client paging through
    a list sees the items move between two pages. ``at`` is the list position (0: the front, -1:
    the end). See ``FakeData.insert`` for what an inserted user brings along.
    """

    collection: str
    insert: int = 0
    delete: int = 0
    at: int = 0
    after: int = 1
    method: str | None = "GET"
    path: str | None = None

    def __post_init__(self) -> None:
        if self.collection not in COLLECTIONS:
            raise ValueError(f"collection must be one of {COLLECTIONS}, got {self.collection!r}")
        if self.insert < 0 or self.delete < 0 or self.insert + self.delete == 0:
            raise ValueError("give a positive insert and/or delete count")
        if self.after < 1:
            raise ValueError(f"after must be >= 1, got {self.after}")

    def matches(self, method: str, path: str) -> bool:
        """Whether a request counts towards ``after``."""
        return (self.method is None or self.method.upper() == method) and path_matches(
            self.path, path
        )
