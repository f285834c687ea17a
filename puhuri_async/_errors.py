"""The exception and warning hierarchy of puhuri-async.

A leaf module (it imports only the body summaries of ``_error_bodies``), so every layer can
raise these.

Every error raised while making a request carries the request context: ``operation`` (the public
method name), ``method``, the token-free ``url`` and ``retries`` (how many retries were taken before
giving up). The message is built from these fields when it is shown, so the transport can fill in
``retries`` after the error was made. No error ever holds request headers, so the API token can
never appear in a message or a ``repr``.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from puhuri_async._error_bodies import field_errors_of, summarize_body
from puhuri_async._warnings import (
    CountDriftWarning,
    FilterIgnoredWarning,
    InsecureTLSWarning,
    PuhuriWarning,
    UnstableOrderWarning,
)

__all__ = [
    "APIError",
    "AuthenticationError",
    "ClientClosedError",
    "EventLoopMismatchError",
    "ConflictError",
    "CountDriftError",
    "CountDriftWarning",
    "CrossOriginError",
    "DecodeError",
    "FilterIgnoredError",
    "FilterIgnoredWarning",
    "InsecureTLSWarning",
    "InvalidArgumentError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PaginationError",
    "PermissionDeniedError",
    "PuhuriError",
    "PuhuriWarning",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseTooLargeError",
    "ServerError",
    "TransportError",
    "UnstableOrderError",
    "UnstableOrderWarning",
    "UnsupportedByServerError",
    "ValidationError",
    "error_for_status",
    "field_errors_of",
    "summarize_body",
]


class PuhuriError(Exception):
    """Base class of every error raised by puhuri-async.

    Attributes describing the request are ``None`` when the error did not come from a request
    (for example a model that could not be structured).
    """

    operation: str | None = None
    method: str | None = None
    url: str | None = None
    retries: int = 0

    def __init__(
        self,
        message: str = "",
        *,
        operation: str | None = None,
        method: str | None = None,
        url: str | None = None,
        retries: int = 0,
    ) -> None:
        super().__init__(message)
        self._message = message
        self.operation = operation
        self.method = method
        self.url = url
        self.retries = retries

    def _describe(self) -> str:
        """The message without the request prefix; subclasses build theirs from attributes."""
        return self._message

    def __str__(self) -> str:
        text = self._describe()
        prefix = ""
        if self.operation:
            prefix = f"{self.operation}: "
        if self.method and self.url:
            prefix += f"{self.method} {self.url} "
        elif self.url:
            prefix += f"{self.url} "
        if prefix:
            # "op: GET url: text", "op: text" (the prefix's own colon), "GET url → 404 ..."
            head = prefix.rstrip()
            joiner = "" if head.endswith(":") or text.startswith(("→", ":")) else ":"
            text = f"{head}{joiner} {text}"
        if self.retries:
            text += f" (after {self.retries} {'retry' if self.retries == 1 else 'retries'})"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other constructor arguments: rebuild from the attributes instead, so
        # errors survive pickling (multiprocessing, concurrent.futures).
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[PuhuriError], args: tuple[Any, ...], state: dict[str, Any]) -> PuhuriError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InvalidArgumentError(PuhuriError, ValueError):
    """A caller passed a bad argument; raised before any request is sent.

    ``argument`` names the parameter (``"api_url"``, ``"token"``, ``"uuid"`` ...), ``problem``
    says what is wrong with it; the message reads ``invalid <argument>: <problem>``.
    """

    def __init__(self, argument: str, problem: str) -> None:
        super().__init__(problem)
        self.argument = argument
        self.problem = problem

    def _describe(self) -> str:
        return f"invalid {self.argument}: {self._message}"


class UnsupportedByServerError(InvalidArgumentError):
    """The connected server cannot honour this operation or argument; refused before sending.

    ``argument`` is the parameter the server would drop (``"date"``, ``"comment"``), or the
    method's name when the server lacks the whole operation. ``needs`` is the first server
    version known to honour it (``None`` when not known) and ``server`` what the client knows of
    the connected one (``"7.0.7"``, ``"7.x (told by OPTIONS probes)"``). A subclass of
    ``InvalidArgumentError``: nothing was sent.
    """

    def __init__(
        self,
        argument: str,
        problem: str,
        *,
        operation: str | None = None,
        needs: str | None = None,
        server: str = "",
    ) -> None:
        super().__init__(argument, problem)
        self.operation = operation
        self.needs = needs
        self.server = server

    def _describe(self) -> str:
        return f"{self.argument}: {self._message}"


class APIError(PuhuriError):
    """The server answered with a status other than 2xx.

    ``body`` is the decoded JSON error body when there was one, else the text (or ``None`` when
    empty). ``detail`` is a readable one-line summary of it, ``field_errors`` the per-field messages
    of a Django REST Framework validation body (``{}`` otherwise).
    """

    def __init__(
        self,
        status_code: int,
        method: str,
        url: str,
        body: Any = None,
        *,
        operation: str | None = None,
        retries: int = 0,
    ) -> None:
        super().__init__("", operation=operation, method=method, url=url, retries=retries)
        self.status_code = status_code
        self.body = body
        self.detail = summarize_body(body)
        self.field_errors = field_errors_of(body)
        self.hint: str | None = None
        """What the client knows about why this happened, when it knows (shown after it)."""

    @property
    def messages(self) -> list[str]:
        """Every message of the body, in order: ``detail``, then the field errors'."""
        found = (
            [] if not isinstance(self.body, dict) or "detail" not in self.body else [self.detail]
        )
        return found + [message for group in self.field_errors.values() for message in group]

    @property
    def reason(self) -> str:
        """The standard reason phrase of ``status_code`` ("Conflict"), or "" when unknown."""
        try:
            return HTTPStatus(self.status_code).phrase
        except ValueError:
            return ""

    def _describe(self) -> str:
        head = f"→ {self.status_code} {self.reason}".rstrip()
        text = f"{head}: {self.detail}" if self.detail else head
        hint = getattr(self, "hint", None)  # errors pickled before it existed have none
        return f"{text} ({hint})" if hint else text


class ValidationError(APIError):
    """400: the server rejected the input; see ``field_errors``."""


class AuthenticationError(APIError):
    """401: the token is missing, wrong or expired."""


class PermissionDeniedError(APIError):
    """403: the token is valid but not allowed to do this."""


class NotFoundError(APIError):
    """404: no such object (or not visible to this token)."""


class ConflictError(APIError):
    """409: the object is in the wrong state for this action; never retried."""


class RateLimitedError(APIError):
    """429: throttled. ``retry_after`` is the server's wait in seconds, when it said one."""

    def __init__(
        self,
        status_code: int,
        method: str,
        url: str,
        body: Any = None,
        *,
        operation: str | None = None,
        retries: int = 0,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(status_code, method, url, body, operation=operation, retries=retries)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx: the server failed."""


class TransportError(PuhuriError):
    """The request failed below HTTP: connect, read, write or protocol error.

    Chained (``raise ... from``) from the underlying network exception.
    """


class RequestTimeoutError(TransportError):
    """A connect, read, write or pool timeout expired."""


class DecodeError(PuhuriError):
    """A successful response whose body is not the JSON expected, or data that cannot be structured.

    Works without any HTTP context, so the models layer raises it too. ``status_code`` and
    ``excerpt`` (the start of the offending body) are set when it came from a response.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        method: str | None = None,
        url: str | None = None,
        retries: int = 0,
        status_code: int | None = None,
        excerpt: str | None = None,
    ) -> None:
        super().__init__(message, operation=operation, method=method, url=url, retries=retries)
        self.status_code = status_code
        self.excerpt = excerpt


class OutcomeUnknownError(PuhuriError):
    """A non-idempotent request may have reached the server and then failed.

    It was not retried, because a retry could apply it twice. Check the object's state before
    trying again. ``cause`` is the error that made the outcome unknown (also ``__cause__``).
    """

    def __init__(
        self,
        cause: PuhuriError,
        *,
        operation: str | None = None,
        method: str | None = None,
        url: str | None = None,
        retries: int = 0,
    ) -> None:
        super().__init__("", operation=operation, method=method, url=url, retries=retries)
        self.cause = cause

    def _describe(self) -> str:
        return (
            f"outcome unknown, the request may have taken effect "
            f"({self.cause._describe().removeprefix('→ ')}); "
            "not retried because it is not idempotent: check the state before trying again"
        )


class CrossOriginError(PuhuriError):
    """A URL (from a ``Link`` header, a redirect or a caller) is outside the API origin.

    The token is pinned to the API's scheme, host and port, so such a URL is never requested.
    """

    def __init__(
        self,
        target: str,
        origin: str,
        *,
        source: str = "URL",
        operation: str | None = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__("", operation=operation, method=method, url=url)
        self.target = target
        self.origin = origin
        self.source = source

    def _describe(self) -> str:
        return (
            f"refusing {self.source} {self.target!r}: it is outside the API origin {self.origin} "
            "(the token is only ever sent there)"
        )


class ClientClosedError(PuhuriError):
    """The client was used after ``aclose()``."""


class EventLoopMismatchError(PuhuriError, RuntimeError):
    """A ``PuhuriClient`` was used in an event loop other than the one it first ran in.

    Its connections belong to that first loop (a second ``asyncio.run()`` cannot use them):
    make the client inside the loop that uses it (``async with PuhuriClient(...)`` in the
    coroutine that ``asyncio.run()`` runs), one per loop, or use ``SyncPuhuriClient``.
    """


class CountDriftError(PuhuriError):
    """Strict pagination: the total (``X-Result-Count``) changed during one iteration."""


class UnstableOrderError(CountDriftError):
    """Strict pagination: the count held, but the pages held fewer distinct items than it said.

    The server's ordering is not unique, so LIMIT/OFFSET pages overlapped (some items came
    twice, others never), and re-reading did not find the rest. ``missing`` is how many items
    the count promised and the client never saw. (A subclass of ``CountDriftError``, so code
    that refuses a drifting list refuses this one too; the data itself did not change.)
    """

    def __init__(self, message: str, *, missing: int, **context: Any) -> None:
        super().__init__(message, **context)
        self.missing = missing


class ResponseTooLargeError(DecodeError):
    """A response body (its decompressed size) is larger than the client accepts.

    ``limit`` is the limit in bytes (``ResponseLimits.max_body_size``). Never retried: the
    same request would get the same answer. The connection is closed without reading the rest.
    """

    def __init__(self, message: str, *, limit: int, **context: Any) -> None:
        super().__init__(message, **context)
        self.limit = limit


class PaginationError(DecodeError):
    """The paging of a list contradicts itself or passes the client's limits.

    An implausible or conflicting ``X-Result-Count``, a ``Link`` header that cannot be parsed,
    a ``next`` page that points back or elsewhere, more pages than ``ResponseLimits.max_pages``
    or pages that keep repeating: the client stops instead of returning a list that may be
    silently short or unfiltered.
    """


class FilterIgnoredError(PaginationError):
    """Strict pagination: the server sent rows that fail a filter the request asked for.

    ``filters`` maps each filter name to the number of rows that failed it (they were dropped).
    """

    def __init__(self, message: str, *, filters: dict[str, int], **context: Any) -> None:
        super().__init__(message, **context)
        self.filters = dict(filters)


_STATUS_CLASSES: Mapping[int, type[APIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
}


def error_for_status(
    status_code: int,
    method: str,
    url: str,
    body: Any = None,
    *,
    operation: str | None = None,
    retries: int = 0,
    retry_after: float | None = None,
) -> APIError:
    """The ``APIError`` subclass for ``status_code`` (plain ``APIError`` for unexpected ones)."""
    if status_code == 429:
        return RateLimitedError(
            status_code,
            method,
            url,
            body,
            operation=operation,
            retries=retries,
            retry_after=retry_after,
        )
    cls = _STATUS_CLASSES.get(status_code)
    if cls is None:
        cls = ServerError if 500 <= status_code <= 599 else APIError
    return cls(status_code, method, url, body, operation=operation, retries=retries)
