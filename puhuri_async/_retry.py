"""The retry policy and the pure functions that decide whether to retry.

Nothing here does I/O or reads a clock: the request loop in ``_http`` measures, asks
``decide()``, and applies the answer. So every rule is tested as a table.

The rules, in short:

- Idempotent requests (GET, HEAD, or a request marked idempotent by its endpoint) retry on the
  policy's statuses (429, 502, 503, 504), on timeouts and on transport errors.
- A non-idempotent request (POST) retries only when it certainly did not take effect: the
  connection was never established, the server throttled it (429, rejected before the view ran)
  or it answered 503 with ``Retry-After`` (down for maintenance). Any other failure after the
  request may have been sent (502, 504, 503 without ``Retry-After``, a read timeout, a dropped
  connection, a 2xx whose body is not JSON) makes its outcome unknown; it is reported, never
  retried.
- 409 and every other 4xx never retry; nor does 500 (the view ran and failed).
- ``Retry-After`` is honoured up to ``max_retry_after``; a longer one gives up at once.
- No wait may end past ``total_budget`` seconds after the first attempt started, nor past the
  request's deadline (``Timeout.total``): a wait that would gives up at once, with the reason.
"""

from __future__ import annotations

import enum
import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeAlias

import attrs

from puhuri_async._errors import InvalidArgumentError

__all__ = [
    "Decision",
    "Failure",
    "FailureOutcome",
    "Outcome",
    "RetryEvent",
    "RetryPolicy",
    "StatusOutcome",
    "decide",
    "parse_retry_after",
]


def _check(name: str, ok: bool, message: str) -> None:
    if not ok:
        raise InvalidArgumentError(f"retry.{name}", message)


@attrs.frozen
class RetryPolicy:
    """How a client retries; a frozen value, so one policy can be shared by many clients.

    Backoff is exponential with full jitter: the wait before retry *n* (1-based) is uniform in
    ``[0, min(backoff_max, backoff_base * 2 ** (n - 1))]``.

    Attributes:
        max_attempts: Total tries per request, the first included (1 = never retry).
        backoff_base: The first retry's longest wait, in seconds; it doubles for each retry.
        backoff_max: The longest wait before any retry, in seconds.
        retry_statuses: Statuses retried (when the method allows, see the module docs).
        max_retry_after: The longest ``Retry-After`` honoured; a longer one gives up.
        total_budget: Seconds from the first attempt within which every wait must end
            (``None``: no limit).
    """

    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    retry_statuses: frozenset[int] = attrs.field(
        default=frozenset({429, 502, 503, 504}), converter=frozenset
    )
    max_retry_after: float = 60.0
    total_budget: float | None = 120.0

    def __attrs_post_init__(self) -> None:
        _check(
            "max_attempts",
            isinstance(self.max_attempts, int) and self.max_attempts >= 1,
            f"must be an int >= 1, got {self.max_attempts!r}",
        )
        for name in ("backoff_base", "backoff_max", "max_retry_after"):
            value = getattr(self, name)
            _check(name, _is_nonneg(value), f"must be a number >= 0, got {value!r}")
        _check(
            "total_budget",
            self.total_budget is None or _is_nonneg(self.total_budget),
            f"must be None or a number >= 0, got {self.total_budget!r}",
        )
        _check(
            "retry_statuses",
            all(isinstance(s, int) and 400 <= s <= 599 for s in self.retry_statuses),
            "must hold HTTP error statuses (400-599)",
        )
        _check(
            "retry_statuses",
            not self.retry_statuses & {400, 401, 403, 404, 409},
            "400, 401, 403, 404 and 409 are never retried",
        )

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt."""
        return self.max_attempts - 1

    def backoff(self, retry: int, rand: float) -> float:
        """Full-jitter wait before retry number ``retry`` (1-based); ``rand`` is in [0, 1)."""
        ceiling = min(self.backoff_max, self.backoff_base * 2.0 ** min(retry - 1, 60))
        return ceiling * rand


def _is_nonneg(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


class Failure(enum.Enum):
    """How a request failed below HTTP, by what it means for a retry."""

    NOT_SENT = "not sent"
    """The connection was never established (connect error or timeout, pool timeout)."""
    TIMEOUT = "timeout"
    """A read or write timeout: the server may have received the request."""
    BROKEN = "broken"
    """The connection broke after the request may have been sent (read/write/protocol error),
    or a 2xx answer came with a body that is not the JSON expected (a proxy page, truncated)."""
    INVALID = "invalid"
    """The request could not be made at all (bad URL, local protocol error); never retried."""


@attrs.frozen
class StatusOutcome:
    """The server answered with ``status_code`` (and maybe a ``Retry-After`` in seconds)."""

    status_code: int
    retry_after: float | None = None


@attrs.frozen
class FailureOutcome:
    """The request failed below HTTP; ``description`` names the error for the log."""

    failure: Failure
    description: str = ""


Outcome: TypeAlias = StatusOutcome | FailureOutcome


@attrs.frozen
class Decision:
    """What to do after a failed attempt.

    ``retry``: try again after ``wait`` seconds. Otherwise give up; ``outcome_unknown`` then says
    that a non-idempotent request may have taken effect. ``reason`` is for logs and hooks.
    """

    retry: bool
    wait: float = 0.0
    reason: str = ""
    outcome_unknown: bool = False


def _safe_for_any_method(outcome: Outcome) -> bool:
    """Whether the outcome proves the request did not take effect."""
    if isinstance(outcome, FailureOutcome):
        return outcome.failure is Failure.NOT_SENT
    return outcome.status_code == 429 or (
        outcome.status_code == 503 and outcome.retry_after is not None
    )


def _describe(outcome: Outcome) -> str:
    if isinstance(outcome, FailureOutcome):
        return outcome.description or outcome.failure.value
    text = f"status {outcome.status_code}"
    if outcome.retry_after is not None:
        text += f" (Retry-After {outcome.retry_after:g} s)"
    return text


def decide(
    policy: RetryPolicy,
    *,
    attempt: int,
    idempotent: bool,
    outcome: Outcome,
    elapsed: float,
    rand: float,
    remaining: float | None = None,
) -> Decision:
    """Decide after failed attempt number ``attempt`` (1-based).

    ``elapsed`` is the time since the first attempt started; ``rand`` in [0, 1) draws the jitter;
    ``remaining`` is the time left before the request's deadline (``None``: no deadline).
    """
    reason = _describe(outcome)
    if isinstance(outcome, FailureOutcome):
        if outcome.failure is Failure.INVALID:
            return Decision(False, reason=reason)
    elif outcome.status_code not in policy.retry_statuses:
        return Decision(False, reason=reason)
    if not idempotent and not _safe_for_any_method(outcome):
        return Decision(False, reason=reason, outcome_unknown=True)
    if attempt >= policy.max_attempts:
        return Decision(False, reason=f"{reason}; no attempts left ({policy.max_attempts})")
    retry_after = outcome.retry_after if isinstance(outcome, StatusOutcome) else None
    if retry_after is not None:
        if retry_after > policy.max_retry_after:
            return Decision(
                False,
                reason=f"{reason}; longer than max_retry_after {policy.max_retry_after:g} s",
            )
        wait = retry_after
    else:
        wait = policy.backoff(attempt, rand)
    if policy.total_budget is not None and elapsed + wait > policy.total_budget:
        return Decision(
            False, reason=f"{reason}; time budget of {policy.total_budget:g} s exhausted"
        )
    if remaining is not None and wait >= remaining:
        return Decision(
            False, reason=f"{reason}; a wait of {wait:g} s would pass the deadline (timeout.total)"
        )
    return Decision(True, wait=wait, reason=reason)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP-date.

    ``now`` (aware, UTC) is injectable for tests. A date in the past gives 0; a number too big
    to hold gives ``inf`` (longer than any ``max_retry_after``: the request gives up); anything
    unparsable gives ``None`` (as if absent).
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if math.isnan(seconds) or seconds < 0 or text.lower().lstrip("+").startswith("inf"):
            return None
        return seconds
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


@attrs.frozen
class RetryEvent:
    """Passed to the ``on_retry`` hook before a retry waits.

    ``retry`` is the retry number (1-based) of ``max_retries``; ``status_code`` is ``None`` when
    the attempt failed below HTTP.
    """

    operation: str
    method: str
    url: str
    retry: int
    max_retries: int
    wait: float
    reason: str
    status_code: int | None = None
