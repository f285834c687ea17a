"""What a failed attempt means, and the typed error a request that gives up raises.

httpx's exceptions are classified for the retry decision (``classify``) and described for logs
and messages (``describe``); a request that will not be retried gets one error of the
package's hierarchy (``give_up``), its causes chained. No httpx exception escapes.
"""

from __future__ import annotations

import ssl
from typing import Any, Final

import httpx

from puhuri_async import _json
from puhuri_async._body import Undecodable
from puhuri_async._error_bodies import MAX_DEPTH, depth_exceeds
from puhuri_async._errors import (
    DecodeError,
    OutcomeUnknownError,
    PuhuriError,
    RequestTimeoutError,
    TransportError,
    error_for_status,
)
from puhuri_async._response import Headers
from puhuri_async._retry import Decision, Failure, parse_retry_after

__all__ = [
    "REDIRECTS",
    "certificate_error",
    "classify",
    "describe",
    "error_body",
    "give_up",
    "past_deadline",
    "undecodable",
]

REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})


def certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The failed certificate verification behind a connect error, if that is what it was.

    httpx chains the ``ssl`` error through httpcore's (asyncio) or trio's ``BrokenResourceError``,
    so the whole chain of causes is searched.
    """
    if not isinstance(exc, httpx.ConnectError):
        return None
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def classify(exc: Exception) -> Failure:
    """What an httpx exception means for a retry.

    A certificate the client does not trust is refused again on every attempt: retrying cannot
    help, so it is ``INVALID`` (never retried; nothing was sent, so never an unknown outcome).
    """
    if isinstance(exc, httpx.ConnectError) and certificate_error(exc) is not None:
        return Failure.INVALID
    if isinstance(
        exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ProxyError
    ):
        return Failure.NOT_SENT
    if isinstance(exc, httpx.TimeoutException):
        return Failure.TIMEOUT
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError | httpx.InvalidURL):
        return Failure.INVALID
    return Failure.BROKEN


_FAILURE_WORDS: Final = {
    Failure.NOT_SENT: "could not connect",
    Failure.TIMEOUT: "timed out",
    Failure.BROKEN: "connection failed",
    Failure.INVALID: "request could not be made",
}


def describe(exc: Exception) -> str:
    """A one-line description of an httpx failure (a TLS verification failure by its host)."""
    certificate = certificate_error(exc)
    if certificate is not None:
        try:
            host = exc.request.url.host  # type: ignore[attr-defined]
        except RuntimeError:  # pragma: no cover - httpx sets the request of transport errors
            host = "?"
        reason = str(certificate).strip() or certificate.verify_message
        return f"TLS certificate verification failed for host {host}: {reason}"
    text = str(exc).strip()
    name = type(exc).__name__
    cause: BaseException | None = exc
    while not text and cause is not None:
        # On trio httpx's error is empty and the reason (a TLS verification failure, say) is
        # further down the chain: name the first cause that says something.
        cause = cause.__cause__ or cause.__context__
        if cause is not None and str(cause).strip():
            text = f"{type(cause).__name__}: {str(cause).strip()}"
    words = _FAILURE_WORDS[classify(exc)]
    return f"{words} ({name}: {text})" if text else f"{words} ({name})"


def error_body(content: bytes) -> Any:
    """A decoded error body: its JSON, else its text, else ``None`` when empty.

    JSON nested deeper than ``MAX_DEPTH`` is kept as text (summaries and field errors would not
    look that deep anyway), so nothing downstream walks a thousand levels.
    """
    if not content.strip():
        return None
    text = content.decode("utf-8", "replace")
    try:
        body = _json.loads(content)
    except _json.JSONDecodeError:
        return text
    return text if depth_exceeds(body, MAX_DEPTH) else body


def give_up(
    decision: Decision,
    status: tuple[int, Headers, bytes] | None,
    failure: Exception | None,
    *,
    operation: str,
    method: str,
    url: str,
    retries: int,
) -> PuhuriError:
    """The typed error of a request that will not be retried, its causes chained.

    ``status`` is the (status, headers, body) of the last answer, if there was one; else
    ``failure`` is what went wrong below HTTP (an httpx exception) or a ``DecodeError``.
    """
    error: PuhuriError
    if status is not None:
        code, headers, content = status
        retry_after = parse_retry_after(headers.get("Retry-After")) if code == 429 else None
        api_error = error_for_status(
            code,
            method,
            url,
            error_body(content),
            operation=operation,
            retries=retries,
            retry_after=retry_after,
        )
        if code in REDIRECTS:
            target = headers.get("Location", "")
            api_error.detail = f"redirect to {target!r} not followed"
        error = api_error
    elif isinstance(failure, PuhuriError):
        failure.retries = retries
        error = failure
    else:
        assert failure is not None
        cls = RequestTimeoutError if isinstance(failure, httpx.TimeoutException) else TransportError
        error = cls(describe(failure), operation=operation, method=method, url=url, retries=retries)
        error.__cause__ = failure
    if decision.outcome_unknown:
        unknown = OutcomeUnknownError(
            error, operation=operation, method=method, url=url, retries=retries
        )
        unknown.__cause__ = error
        return unknown
    return error


def undecodable(problem: Undecodable, *, operation: str, method: str, url: str) -> DecodeError:
    """The ``DecodeError`` of a 2xx body that is not the JSON expected."""
    return DecodeError(
        problem.message,
        operation=operation,
        method=method,
        url=url,
        status_code=problem.status,
        excerpt=problem.excerpt,
    )


def past_deadline(
    total: float, *, operation: str, method: str, url: str, retries: int, outcome_unknown: bool
) -> PuhuriError:
    """The error of a request still unanswered at its deadline (``Timeout.total``);
    ``outcome_unknown`` when a non-idempotent request was cut off while it was out."""
    error: PuhuriError = RequestTimeoutError(
        f"no complete answer within the deadline of {total:g} s (timeout.total)",
        operation=operation,
        method=method,
        url=url,
        retries=retries,
    )
    if outcome_unknown:
        unknown = OutcomeUnknownError(
            error, operation=operation, method=method, url=url, retries=retries
        )
        unknown.__cause__ = error
        error = unknown
    return error
