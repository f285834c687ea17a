"""Checks of single arguments, run before any request: pure functions, no I/O.

Each check returns the value in its wire form (a UUID as 32 lowercase hex digits, an amount as
``Decimal``, a timestamp as ISO 8601 text) or raises ``InvalidArgumentError``, a ``ValueError``
whose message starts with the name of the argument at fault and whose ``.argument`` holds that
name. Inputs are never changed. List filters, which are checked against the schema tables, are
the job of ``puhuri_async._filters``.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from puhuri_async._errors import InvalidArgumentError
from puhuri_async._urls import origin_of

__all__ = [
    "AMOUNT_MAX_DECIMAL_PLACES",
    "AMOUNT_MAX_INTEGER_DIGITS",
    "BACKEND_ID_MAX_LENGTH",
    "DECIMAL_TEXT_RE",
    "amount_arg",
    "backend_id_arg",
    "date_arg",
    "exactly_one",
    "kind_of",
    "non_empty_str",
    "optional_str",
    "preview",
    "timestamp_arg",
    "uuid_arg",
    "uuid_or_url_arg",
]

_UUID_RE = re.compile(
    r"[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
#: Plain decimal notation accepted for amounts given as text: "10", "-3", "0.25", ".5".
DECIMAL_TEXT_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
#: `set_usage` amounts: at most 18 digits before the point and 2 after (the schema's pattern).
AMOUNT_MAX_INTEGER_DIGITS = 18
AMOUNT_MAX_DECIMAL_PLACES = 2
BACKEND_ID_MAX_LENGTH = 255


def preview(value: object) -> str:
    """``repr`` of a value, cut short for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def kind_of(value: object) -> str:
    """The type name of a value for messages (``None`` for None)."""
    return "None" if value is None else type(value).__name__


def _invalid(argument: str, problem: str) -> InvalidArgumentError:
    return InvalidArgumentError(argument, problem)


# Strings and UUIDs.


def non_empty_str(value: object, argument: str, *, max_length: int | None = None) -> str:
    """``value`` if it is a string with some non-blank character and at most ``max_length`` long."""
    if not isinstance(value, str):
        raise _invalid(argument, f"must be a string, got {kind_of(value)}")
    if not value.strip():
        raise _invalid(argument, f"must not be empty or blank, got {value!r}")
    if max_length is not None and len(value) > max_length:
        raise _invalid(argument, f"must be at most {max_length} characters, got {len(value)}")
    return value


def optional_str(value: object, argument: str, *, max_length: int | None = None) -> str | None:
    """``None``, or a string (empty allowed) of at most ``max_length`` characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _invalid(argument, f"must be a string or None, got {kind_of(value)}")
    if max_length is not None and len(value) > max_length:
        raise _invalid(argument, f"must be at most {max_length} characters, got {len(value)}")
    return value


def backend_id_arg(value: object, argument: str = "backend_id") -> str:
    """A resource's ``backend_id``: non-empty, at most 255 characters (the schema's limit)."""
    return non_empty_str(value, argument, max_length=BACKEND_ID_MAX_LENGTH)


def uuid_arg(value: object, argument: str) -> str:
    """A UUID as 32 lowercase hex digits, from 32 hex digits or the dashed form, in any case.

    A ``uuid.UUID`` is accepted too. Anything else (empty, wrong length, braces, not a string)
    is rejected.
    """
    if isinstance(value, uuid.UUID):
        return value.hex
    if not isinstance(value, str):
        raise _invalid(argument, f"must be a UUID string, got {kind_of(value)}")
    if not _UUID_RE.fullmatch(value):
        raise _invalid(
            argument, f"must be a UUID (32 hex digits, dashes allowed), got {preview(value)}"
        )
    return value.replace("-", "").lower()


def uuid_or_url_arg(value: object, argument: str, *, base_url: str, collection: str) -> str:
    """The absolute API URL of an object given by UUID or URL: ``{base_url}{collection}/{uuid}/``.

    ``base_url`` is the API root ending in ``/`` (``https://host/api/``), ``collection`` a path
    segment such as ``marketplace-provider-offerings``. A URL must be on the API origin (scheme,
    host and port of ``base_url``), below its path, point at ``collection`` and end in a UUID;
    it comes back in the canonical form. A token never leaves for another origin this way.
    """
    collection = collection.strip("/")
    if not base_url.endswith("/"):
        base_url += "/"
    if isinstance(value, uuid.UUID) or (isinstance(value, str) and _UUID_RE.fullmatch(value)):
        return f"{base_url}{collection}/{uuid_arg(value, argument)}/"
    if not isinstance(value, str):
        raise _invalid(argument, f"must be a UUID or an API URL string, got {kind_of(value)}")
    expected = f"{base_url}{collection}/<uuid>/"
    try:
        given_origin = origin_of(value)
        parts = urlsplit(value)
    except (InvalidArgumentError, ValueError):
        raise _invalid(
            argument, f"must be a UUID or a URL like {expected}: {preview(value)}"
        ) from None
    base = urlsplit(base_url)
    if parts.username is not None:
        raise _invalid(argument, "URL must not carry credentials")
    if given_origin != origin_of(base_url):
        raise _invalid(
            argument,
            f"URL {preview(value)} is not on the API origin {base.scheme}://{base.netloc}",
        )
    prefix = f"{base.path}{collection}/"
    tail = parts.path[len(prefix) :].rstrip("/") if parts.path.startswith(prefix) else ""
    if not _UUID_RE.fullmatch(tail) or parts.query or parts.fragment:
        raise _invalid(argument, f"URL must look like {expected}, got {preview(value)}")
    return f"{base_url}{collection}/{uuid_arg(tail, argument)}/"


# Numbers and times.


def amount_arg(value: object, argument: str) -> Decimal:
    """A usage amount as ``Decimal``, exactly as given, never rounded.

    Accepts ``int``, ``float`` (read through its shortest repr: ``0.1`` is ``Decimal("0.1")``),
    ``Decimal`` and plain decimal text (``"12.5"``). Rejects booleans, NaN, infinities, negative
    amounts and values with more than 2 decimal places or 18 integer digits. Trailing zeros past
    the second place are dropped, which changes no value (``"1.500"`` becomes ``Decimal("1.50")``).
    """
    if isinstance(value, bool):
        raise _invalid(argument, "must be a number, got bool")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _invalid(argument, f"must be a finite number, got {value!r}")
        amount = Decimal(repr(value))
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        if not DECIMAL_TEXT_RE.fullmatch(value.strip()):
            raise _invalid(argument, f"must be a decimal number, got {preview(value)}")
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid text
            raise _invalid(argument, f"must be a decimal number, got {preview(value)}") from None
    else:
        raise _invalid(argument, f"must be an int, float, Decimal or str, got {kind_of(value)}")
    if not amount.is_finite():
        raise _invalid(argument, f"must be a finite number, got {value!r}")
    if amount < 0:
        raise _invalid(argument, f"must not be negative, got {value!r}")
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, so never 'n', 'N' or 'F'
    if exponent < -AMOUNT_MAX_DECIMAL_PLACES:
        quantum = Decimal(1).scaleb(-AMOUNT_MAX_DECIMAL_PLACES)
        exact = amount.quantize(quantum)
        if exact != amount:
            raise _invalid(
                argument,
                f"must have at most {AMOUNT_MAX_DECIMAL_PLACES} decimal places "
                f"(it is never rounded), got {value!r}",
            )
        amount = exact
    if amount.adjusted() >= AMOUNT_MAX_INTEGER_DIGITS:
        raise _invalid(
            argument, f"must have at most {AMOUNT_MAX_INTEGER_DIGITS} digits before the point"
        )
    return amount


def timestamp_arg(value: object, argument: str) -> str:
    """An ISO 8601 timestamp for a request body.

    A timezone-aware ``datetime`` is sent as is; a ``date`` means midnight UTC of that day; a
    string must parse as an ISO 8601 timestamp with an offset (``...Z``, ``...+02:00``). A naive
    ``datetime``, or a string without an offset, is rejected: the server would have to guess its
    timezone.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise _invalid(argument, "must be timezone-aware (e.g. datetime.now(timezone.utc))")
        return value.isoformat()
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00+00:00"
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise _invalid(
                argument, f"must be an ISO 8601 timestamp, got {preview(value)}"
            ) from None
        if parsed.tzinfo is None:
            raise _invalid(
                argument, f"must carry a timezone offset (e.g. 'Z'), got {preview(value)}"
            )
        return value
    raise _invalid(argument, f"must be a datetime, date or ISO 8601 string, got {kind_of(value)}")


def date_arg(value: object, argument: str) -> str:
    """A calendar day for a request body, as ``YYYY-MM-DD``: a ``date`` or that text.

    A ``datetime`` is refused rather than cut to its day in some timezone.
    """
    if isinstance(value, datetime):
        raise _invalid(argument, "must be a date, not a datetime (use value.date())")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            problem = f"must be a date as YYYY-MM-DD, got {preview(value)}"
            raise _invalid(argument, problem) from None
    raise _invalid(argument, f"must be a date or YYYY-MM-DD text, got {kind_of(value)}")


def exactly_one(arguments: Mapping[str, object]) -> str:
    """The name of the only argument that is not ``None``; zero or several raise.

    ``exactly_one({"resource": resource, "plan_period": plan_period})``
    """
    given = [name for name, value in arguments.items() if value is not None]
    if len(given) == 1:
        return given[0]
    names = " or ".join(arguments)
    first = next(iter(arguments))
    if not given:
        raise InvalidArgumentError(first, f"one of {names} is required")
    raise InvalidArgumentError(given[0], f"{' and '.join(given)} given: give only one of {names}")
