"""The public names of the transport layer, re-exported from the package."""

from __future__ import annotations

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
    "InsecureTLSWarning",
    "InvalidArgumentError",
    "NotFoundError",
    "OutcomeUnknownError",
    "Page",
    "Paginator",
    "PermissionDeniedError",
    "PuhuriError",
    "PuhuriWarning",
    "RateLimitedError",
    "RequestTimeoutError",
    "RetryEvent",
    "RetryPolicy",
    "ServerError",
    "Timeout",
    "TransportError",
    "TransportStats",
    "ValidationError",
}


def test_transport_names_exported() -> None:
    assert set(puhuri_async.__all__) >= TRANSPORT_NAMES
    for name in TRANSPORT_NAMES:
        assert getattr(puhuri_async, name).__module__.startswith("puhuri_async.")


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
