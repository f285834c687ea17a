"""puhuri-async: an asyncio-native client for Puhuri Core, with a synchronous facade."""

from puhuri_async._errors import (
    APIError,
    AuthenticationError,
    ClientClosedError,
    ConflictError,
    CountDriftError,
    CountDriftWarning,
    CrossOriginError,
    DecodeError,
    InsecureTLSWarning,
    InvalidArgumentError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    PuhuriError,
    PuhuriWarning,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    ValidationError,
)
from puhuri_async._pagination import CountDrift, Page, Paginator
from puhuri_async._retry import RetryPolicy
from puhuri_async._transport import RetryEvent, Timeout, TransportStats
from puhuri_async._version import __version__

__all__ = [
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
    "__version__",
]
