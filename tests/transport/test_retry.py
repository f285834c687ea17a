"""Retry decisions as tables; Retry-After parsing; the policy value."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from puhuri_async import InvalidArgumentError, RetryPolicy
from puhuri_async._retry import (
    Failure,
    FailureOutcome,
    Outcome,
    StatusOutcome,
    decide,
    parse_retry_after,
)

POLICY = RetryPolicy(
    max_attempts=4, backoff_base=0.5, backoff_max=8.0, max_retry_after=60.0, total_budget=120.0
)
S = StatusOutcome
F = FailureOutcome

# (idempotent, outcome, retry?, outcome_unknown?)
DECISIONS = [
    # GET and other idempotent requests
    (True, S(429), True, False),
    (True, S(429, 3.0), True, False),
    (True, S(502), True, False),
    (True, S(503), True, False),
    (True, S(503, 2.0), True, False),
    (True, S(504), True, False),
    (True, S(500), False, False),
    (True, S(400), False, False),
    (True, S(401), False, False),
    (True, S(403), False, False),
    (True, S(404), False, False),
    (True, S(409), False, False),
    (True, F(Failure.NOT_SENT), True, False),
    (True, F(Failure.TIMEOUT), True, False),
    (True, F(Failure.BROKEN), True, False),
    (True, F(Failure.INVALID), False, False),
    # POST: only when it certainly did not take effect
    (False, S(429), True, False),
    (False, S(429, 3.0), True, False),
    (False, S(503, 2.0), True, False),
    (False, S(503), False, True),
    (False, S(502), False, True),
    (False, S(504), False, True),
    (False, S(500), False, False),
    (False, S(409), False, False),
    (False, S(400), False, False),
    (False, F(Failure.NOT_SENT), True, False),
    (False, F(Failure.TIMEOUT), False, True),
    (False, F(Failure.BROKEN), False, True),
    (False, F(Failure.INVALID), False, False),
]


@pytest.mark.parametrize(("idempotent", "outcome", "retry", "unknown"), DECISIONS)
def test_decision_table(idempotent: bool, outcome: Outcome, retry: bool, unknown: bool) -> None:
    decision = decide(
        POLICY, attempt=1, idempotent=idempotent, outcome=outcome, elapsed=0.0, rand=0.5
    )
    assert decision.retry is retry
    assert decision.outcome_unknown is unknown
    assert decision.reason


@pytest.mark.parametrize(
    ("attempt", "rand", "wait"),
    [
        (1, 0.0, 0.0),
        (1, 0.5, 0.25),
        (1, 0.999, 0.4995),
        (2, 1.0, 1.0),
        (3, 1.0, 2.0),
        (3, 0.25, 0.5),
    ],
)
def test_full_jitter_backoff(attempt: int, rand: float, wait: float) -> None:
    decision = decide(
        POLICY, attempt=attempt, idempotent=True, outcome=S(502), elapsed=0, rand=rand
    )
    assert decision.retry
    assert decision.wait == pytest.approx(wait)


@pytest.mark.parametrize(
    ("retry", "cap"), [(1, 0.5), (2, 1.0), (4, 4.0), (5, 8.0), (9, 8.0), (1000, 8.0)]
)
def test_backoff_is_capped(retry: int, cap: float) -> None:
    assert POLICY.backoff(retry, 1.0) == cap


@pytest.mark.parametrize(
    ("outcome", "attempt", "elapsed", "retry", "wait", "reason"),
    [
        (S(429, 5.0), 1, 0.0, True, 5.0, "Retry-After 5 s"),
        (S(503, 60.0), 1, 0.0, True, 60.0, "Retry-After 60 s"),
        (S(429, 61.0), 1, 0.0, False, 0.0, "max_retry_after"),
        (S(429, 5.0), 4, 0.0, False, 0.0, "no attempts left"),
        (S(502), 4, 0.0, False, 0.0, "no attempts left"),
        (S(429, 5.0), 1, 115.0, True, 5.0, ""),
        (S(429, 5.0), 1, 115.5, False, 0.0, "time budget"),
        (F(Failure.TIMEOUT), 2, 119.6, False, 0.0, "time budget"),
        (F(Failure.TIMEOUT), 2, 119.5, True, 0.5, ""),
    ],
)
def test_limits(
    outcome: Outcome, attempt: int, elapsed: float, retry: bool, wait: float, reason: str
) -> None:
    decision = decide(
        POLICY, attempt=attempt, idempotent=True, outcome=outcome, elapsed=elapsed, rand=0.5
    )
    assert decision.retry is retry
    assert decision.wait == wait
    assert reason in decision.reason


def test_no_budget() -> None:
    policy = RetryPolicy(total_budget=None)
    decision = decide(
        policy, attempt=1, idempotent=True, outcome=S(429, 59.0), elapsed=1e9, rand=0.5
    )
    assert decision.retry
    assert decision.wait == 59.0


def test_policy_none_never_retries_but_still_reports_unknown_outcome() -> None:
    none = RetryPolicy.none()
    assert none.max_attempts == 1
    assert none.max_retries == 0
    assert not decide(none, attempt=1, idempotent=True, outcome=S(429), elapsed=0, rand=0).retry
    post = decide(none, attempt=1, idempotent=False, outcome=S(502), elapsed=0, rand=0)
    assert not post.retry
    assert post.outcome_unknown


def test_custom_statuses() -> None:
    policy = RetryPolicy(retry_statuses={500, 503})
    assert policy.retry_statuses == frozenset({500, 503})
    assert decide(policy, attempt=1, idempotent=True, outcome=S(500), elapsed=0, rand=0).retry
    assert not decide(policy, attempt=1, idempotent=True, outcome=S(502), elapsed=0, rand=0).retry


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"max_attempts": 0}, "retry.max_attempts"),
        ({"max_attempts": 1.5}, "retry.max_attempts"),
        ({"backoff_base": -1}, "retry.backoff_base"),
        ({"backoff_max": float("nan")}, "retry.backoff_max"),
        ({"max_retry_after": True}, "retry.max_retry_after"),
        ({"total_budget": -1.0}, "retry.total_budget"),
        ({"retry_statuses": {200}}, "retry.retry_statuses"),
        ({"retry_statuses": {409, 503}}, "retry.retry_statuses"),
    ],
)
def test_policy_validation(kwargs: dict[str, object], argument: str) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
    assert info.value.argument == argument


def test_policy_is_frozen() -> None:
    with pytest.raises(AttributeError):
        POLICY.max_attempts = 9  # type: ignore[misc]


NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("", None),
        ("5", 5.0),
        (" 120 ", 120.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-3", None),
        ("nan", None),
        ("inf", None),
        ("soon", None),
        ("Fri, 02 Jan 2026 03:04:35 GMT", 30.0),
        ("Fri, 02 Jan 2026 03:04:05 GMT", 0.0),
        ("Thu, 01 Jan 2026 00:00:00 GMT", 0.0),
        ("Friday, 02-Jan-26 03:05:05 GMT", 60.0),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


def test_parse_retry_after_default_now_is_wall_clock() -> None:
    assert parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT") == 0.0
