"""The public names of the transport layer, re-exported from the package."""

from __future__ import annotations

import httpx

import puhuri_async

TRANSPORT_NAMES = {
    "APIError",
    "AuthenticationError",
    "ClientClosedError",
    "ConflictError",
    "CountDrift",
    "CountDriftError",
    "CountDriftWarning",
    "CrossOriginError",
    "DecodeError",
    "FilterIgnoredError",
    "FilterIgnoredWarning",
    "HttpxAsyncTransport",
    "InsecureTLSWarning",
    "InvalidArgumentError",
    "NotFoundError",
    "OutcomeUnknownError",
    "Page",
    "PaginationError",
    "Paginator",
    "PermissionDeniedError",
    "PuhuriError",
    "PuhuriWarning",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseLimits",
    "ResponseTooLargeError",
    "RetryEvent",
    "RetryPolicy",
    "ServerError",
    "Timeout",
    "TimeoutLike",
    "TransportError",
    "TransportStats",
    "UnstableOrderError",
    "UnstableOrderWarning",
    "ValidationError",
}

ALIASES = {"HttpxAsyncTransport", "TimeoutLike"}  # type aliases of other types


def test_transport_names_exported() -> None:
    assert set(puhuri_async.__all__) >= TRANSPORT_NAMES
    for name in TRANSPORT_NAMES - ALIASES:
        assert getattr(puhuri_async, name).__module__.startswith("puhuri_async.")
    assert puhuri_async.HttpxAsyncTransport is httpx.AsyncBaseTransport
    assert puhuri_async.TimeoutLike == puhuri_async.Timeout | float


def test_all_is_sorted_and_unique() -> None:
    assert puhuri_async.__all__ == sorted(set(puhuri_async.__all__))


def test_hierarchy() -> None:
    p = puhuri_async
    for name in (
        "ValidationError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "RateLimitedError",
        "ServerError",
    ):
        assert issubclass(getattr(p, name), p.APIError)
    for name in (
        "APIError",
        "TransportError",
        "DecodeError",
        "OutcomeUnknownError",
        "CrossOriginError",
        "ClientClosedError",
        "CountDriftError",
        "InvalidArgumentError",
    ):
        assert issubclass(getattr(p, name), p.PuhuriError)
    assert issubclass(p.RequestTimeoutError, p.TransportError)
    assert issubclass(p.InvalidArgumentError, ValueError)
    assert issubclass(p.CountDriftWarning, p.PuhuriWarning)
    assert issubclass(p.PuhuriWarning, UserWarning)
    # what a hostile or broken server provokes
    assert issubclass(p.ResponseTooLargeError, p.DecodeError)
    assert issubclass(p.PaginationError, p.DecodeError)
    assert issubclass(p.FilterIgnoredError, p.PaginationError)
    assert issubclass(p.UnstableOrderError, p.CountDriftError)
    assert issubclass(p.UnstableOrderWarning, p.CountDriftWarning)
    assert issubclass(p.FilterIgnoredWarning, p.PuhuriWarning)
