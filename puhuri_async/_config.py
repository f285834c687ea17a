"""Settings values of the HTTP layer, checked when they are made: timeouts, the limits on what a
server may send, the token and the User-Agent.

No I/O and no httpx: the request loop (``_http``) turns these into what httpx takes. Every
check raises ``InvalidArgumentError`` naming the argument, before any request is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeAlias, TypeVar

import attrs

from puhuri_async._errors import InvalidArgumentError
from puhuri_async._version import __version__

__all__ = [
    "DEFAULT_FIRST_WINDOW",
    "DEFAULT_MAX_BODY_SIZE",
    "DEFAULT_MAX_PAGES",
    "ResponseLimits",
    "Timeout",
    "TimeoutLike",
    "auth_header",
    "check_callables",
    "check_instance",
    "check_int",
    "user_agent",
]

T = TypeVar("T")

TOKEN_PREFIXES: Final = frozenset({"Token", "Bearer"})

DEFAULT_MAX_BODY_SIZE: Final = 32 * 1024 * 1024
"""32 MiB: a page of 300 big objects is a few MiB; a body past this is refused."""

DEFAULT_MAX_PAGES: Final = 10_000
"""Pages one list call may request (3 million items at 300 a page)."""

DEFAULT_FIRST_WINDOW: Final = 4
"""Pages asked for at once on the first read of a list, before its count is known: a list of
up to 1,200 items at 300 a page takes one round trip, a longer one a round trip less than if
page 1 went alone; a shorter one costs up to three requests answered ``404``, once."""


def _positive_or_none(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidArgumentError(
            f"timeout.{attribute.name}", f"must be None or a number > 0, got {value!r}"
        )


@attrs.frozen
class Timeout:
    """Timeouts in seconds (``None``: wait for ever).

    Attributes:
        connect: Establishing a connection.
        read: Between bytes of the response.
        write: Between bytes of the request.
        pool: Waiting for a free connection.
        total: The deadline of one request from its start to its last byte, retries, redirects
            and ``Retry-After`` waits included: a server that keeps sending a byte now and then,
            or asks to come back later, cannot hold a call longer (a list applies it to each
            page request).
    """

    connect: float | None = attrs.field(default=5.0, validator=_positive_or_none)
    read: float | None = attrs.field(default=60.0, validator=_positive_or_none)
    write: float | None = attrs.field(default=60.0, validator=_positive_or_none)
    pool: float | None = attrs.field(default=30.0, validator=_positive_or_none)
    total: float | None = attrs.field(default=300.0, validator=_positive_or_none)

    @classmethod
    def of(cls, value: TimeoutLike, argument: str = "timeout") -> Timeout:
        """A ``Timeout`` from a ``Timeout``, or from one number used for all four phases and
        as the deadline (``timeout=10``: no request takes more than 10 s, whatever happens)."""
        if isinstance(value, Timeout):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return cls(value, value, value, value, value)
        raise InvalidArgumentError(argument, f"expected a Timeout or a number, got {value!r}")


TimeoutLike: TypeAlias = Timeout | float
"""What ``timeout=`` takes: a ``Timeout``, or seconds for every phase and the deadline."""


def _at_least_one(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_int(f"response_limits.{attribute.name}", value, 1)


@attrs.frozen
class ResponseLimits:
    """How much the client accepts from a server, so a broken or hostile one cannot exhaust it.

    Attributes:
        max_body_size: Bytes of one response body after decompression (a small gzip body
            that inflates to gigabytes is stopped at this size); past it,
            ``ResponseTooLargeError``. Error bodies (non-2xx) are read up to 64 KiB (or this,
            if smaller) and cut there.
        max_pages: Pages one list call may request, re-reads included; a list that needs more
            raises ``PaginationError`` (never a silently short result).
    """

    max_body_size: int = attrs.field(default=DEFAULT_MAX_BODY_SIZE, validator=_at_least_one)
    max_pages: int = attrs.field(default=DEFAULT_MAX_PAGES, validator=_at_least_one)


def check_int(argument: str, value: Any, minimum: int) -> int:
    """``value`` if it is an int (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgumentError(argument, f"must be an int >= {minimum}, got {value!r}")
    return value


def check_instance(argument: str, value: Any, cls: type[T]) -> T:
    """``value`` if it is a ``cls``."""
    if not isinstance(value, cls):
        raise InvalidArgumentError(argument, f"expected a {cls.__name__}, got {value!r}")
    return value


def check_callables(**functions: Callable[..., Any] | None) -> None:
    """Each given function is ``None`` or callable."""
    for name, function in functions.items():
        if function is not None and not callable(function):
            raise InvalidArgumentError(name, "must be callable")


def auth_header(token: str, prefix: str) -> str:
    """The ``Authorization`` value; the token must be one printable ASCII word (no header
    injection), and its value is never shown in the error."""
    if prefix not in TOKEN_PREFIXES:
        raise InvalidArgumentError(
            "token_prefix", f"must be one of {sorted(TOKEN_PREFIXES)}, got {prefix!r}"
        )
    return f"{prefix} {clean_token(token)}"


def clean_token(token: str) -> str:
    """The token without surrounding white space, checked (see ``auth_header``)."""
    if not isinstance(token, str):
        raise InvalidArgumentError("token", f"expected a str, got {type(token).__name__}")
    token = token.strip()
    if not token:
        raise InvalidArgumentError("token", "must not be empty")
    if not token.isascii() or not token.isprintable() or any(c.isspace() for c in token):
        raise InvalidArgumentError(
            "token", "must be printable ASCII without spaces (its value is not shown)"
        )
    return token


def user_agent(suffix: str | None) -> str:
    """``puhuri-async/<version>``, with the caller's printable ASCII ``suffix`` appended."""
    base = f"puhuri-async/{__version__}"
    if suffix is None:
        return base
    if (
        not isinstance(suffix, str)
        or not suffix.strip()
        or not suffix.isprintable()
        or not suffix.isascii()
    ):
        raise InvalidArgumentError("user_agent", "must be a non-empty printable ASCII str")
    return f"{base} {suffix.strip()}"
