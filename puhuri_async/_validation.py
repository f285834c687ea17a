"""Argument checks run by the endpoints before any request: pure functions, no I/O.

Each check returns the value in its wire form (a UUID as 32 lowercase hex digits, a filter set as
query pairs, an amount as ``Decimal``) or raises ``InvalidArgumentError``, a ``ValueError`` whose
message starts with the name of the argument at fault and whose ``.argument`` holds that name.
Inputs are never changed.
"""

from __future__ import annotations

import difflib
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from puhuri_async._errors import InvalidArgumentError
from puhuri_async._schema import ENUM_VALUES, MULTI_VALUE, PARAMETER_TYPES

_UUID_RE = re.compile(
    r"[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
#: Plain decimal notation accepted for amounts given as text: "10", "-3", "0.25", ".5".
_DECIMAL_TEXT_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
#: `set_usage` amounts: at most 18 digits before the point and 2 after (the schema's pattern).
AMOUNT_MAX_INTEGER_DIGITS = 18
AMOUNT_MAX_DECIMAL_PLACES = 2
BACKEND_ID_MAX_LENGTH = 255
#: Query parameters the pager sets; a caller giving them would fight it.
_PAGER_PARAMETERS = frozenset({"page", "page_size"})
_MULTI_VALUE_TYPES = (list, tuple, set, frozenset)


def _preview(value: object) -> str:
    """``repr`` of a value, cut short for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _invalid(argument: str, problem: str) -> InvalidArgumentError:
    return InvalidArgumentError(argument, problem)


# Strings and UUIDs.


def non_empty_str(value: object, argument: str, *, max_length: int | None = None) -> str:
    """``value`` if it is a string with some non-blank character and at most ``max_length`` long."""
    if not isinstance(value, str):
        raise _invalid(argument, f"must be a string, got {_kind(value)}")
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
        raise _invalid(argument, f"must be a string or None, got {_kind(value)}")
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
        raise _invalid(argument, f"must be a UUID string, got {_kind(value)}")
    if not _UUID_RE.fullmatch(value):
        raise _invalid(
            argument, f"must be a UUID (32 hex digits, dashes allowed), got {_preview(value)}"
        )
    return value.replace("-", "").lower()


def _origin(scheme: str, host: str | None, port: int | None) -> tuple[str, str, int | None]:
    scheme = scheme.lower()
    default = {"http": 80, "https": 443}.get(scheme)
    return scheme, (host or "").lower(), port if port is not None else default


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
        raise _invalid(argument, f"must be a UUID or an API URL string, got {_kind(value)}")
    expected = f"{base_url}{collection}/<uuid>/"
    not_a_url = _invalid(argument, f"must be a UUID or a URL like {expected}: {_preview(value)}")
    try:
        parts = urlsplit(value)
        given_origin = _origin(parts.scheme, parts.hostname, parts.port)
    except ValueError:
        raise not_a_url from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise not_a_url
    base = urlsplit(base_url)
    if parts.username is not None:
        raise _invalid(argument, "URL must not carry credentials")
    if given_origin != _origin(base.scheme, base.hostname, base.port):
        raise _invalid(
            argument,
            f"URL {_preview(value)} is not on the API origin {base.scheme}://{base.netloc}",
        )
    prefix = f"{base.path}{collection}/"
    tail = parts.path[len(prefix) :].rstrip("/") if parts.path.startswith(prefix) else ""
    if not _UUID_RE.fullmatch(tail) or parts.query or parts.fragment:
        raise _invalid(argument, f"URL must look like {expected}, got {_preview(value)}")
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
        if not _DECIMAL_TEXT_RE.fullmatch(value.strip()):
            raise _invalid(argument, f"must be a decimal number, got {_preview(value)}")
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid text
            raise _invalid(argument, f"must be a decimal number, got {_preview(value)}") from None
    else:
        raise _invalid(argument, f"must be an int, float, Decimal or str, got {_kind(value)}")
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
                argument, f"must be an ISO 8601 timestamp, got {_preview(value)}"
            ) from None
        if parsed.tzinfo is None:
            raise _invalid(
                argument, f"must carry a timezone offset (e.g. 'Z'), got {_preview(value)}"
            )
        return value
    raise _invalid(argument, f"must be a datetime, date or ISO 8601 string, got {_kind(value)}")


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


def _not_a_mapping(value: object, argument: str) -> InvalidArgumentError:
    return _invalid(argument, f"must be a mapping of filter names to values, got {_kind(value)}")


# Filters: names and values checked against the schema tables of each GET operation.


def _table(path_template: str) -> dict[str, str]:
    try:
        return PARAMETER_TYPES[path_template]
    except KeyError:
        raise LookupError(f"no query-parameter table for {path_template!r}") from None


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss (a case-only difference first), else ``""``."""
    choices = list(choices)
    same_case = [choice for choice in choices if choice.lower() == value.lower()]
    close = same_case or difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _encode_one(kind: str, value: object, argument: str) -> str:
    """One filter value in its query-string form, by the schema type of the parameter."""
    if kind == "uuid":
        return uuid_arg(value, argument)
    if kind == "boolean":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower()
        raise _invalid(argument, f"must be a boolean, got {_preview(value)}")
    if isinstance(value, bool):
        raise _invalid(argument, f"must be a {kind}, got bool")
    if kind in ("number", "integer"):
        if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
            return str(value)
        if isinstance(value, Decimal) and value.is_finite():
            return format(value, "f")
        if isinstance(value, str) and _DECIMAL_TEXT_RE.fullmatch(value):
            return value
        raise _invalid(argument, f"must be a number, got {_preview(value)}")
    if kind == "date-time" and isinstance(value, date):
        return value.isoformat()
    if kind == "date" and isinstance(value, date):
        if isinstance(value, datetime):
            raise _invalid(argument, f"must be a date, not a datetime: {_preview(value)}")
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    raise _invalid(argument, f"must be a string, got {_kind(value)}")


def _encode(path_template: str, name: str, value: object, argument: str) -> list[tuple[str, str]]:
    """The query pairs for one filter: checked, converted, repeated or comma-joined."""
    kind = PARAMETER_TYPES[path_template][name]
    if kind == "string" and name.endswith("_uuid"):
        kind = "uuid"  # a few UUID filters are typed plain string in the schema
    style = MULTI_VALUE[path_template].get(name)
    if isinstance(value, _MULTI_VALUE_TYPES):
        if style is None:
            raise _invalid(argument, f"takes one value, got a {type(value).__name__}")
        if not value:
            raise _invalid(argument, f"must not be an empty {type(value).__name__}")
        values = list(value)
    else:
        values = [value]
    encoded = [_encode_one(kind, item, argument) for item in values]
    if isinstance(value, set | frozenset):
        encoded.sort()  # a set has no order; make the query deterministic
    allowed = ENUM_VALUES[path_template].get(name)
    if allowed is not None:
        for item in encoded:
            if item not in allowed:
                raise _invalid(
                    argument,
                    f"has no value {item!r}{_did_you_mean(item, allowed)}; "
                    f"valid: {', '.join(allowed)}",
                )
    if style == "comma":
        if any("," in item for item in encoded):
            raise _invalid(argument, "values must not contain ',' (they are sent comma-joined)")
        return [(name, ",".join(encoded))]
    return [(name, item) for item in encoded]


def check_filters(
    path_template: str, filters: Mapping[str, Any] | None, argument: str = "filters"
) -> list[tuple[str, str]]:
    """Filters for the GET operation at ``path_template``, checked and encoded as query pairs.

    - a name the operation does not accept raises, listing the valid names with a "did you mean"
      hint (the server would ignore it and return everything);
    - enum values (``state``, ``type``, ``o``, ``field``...) are checked case-sensitively;
    - a list, tuple or set gives several values: repeated (``state=a&state=b``) or comma-joined
      (``o=a,b``), as the schema says for that parameter; a set is sent sorted;
    - booleans become ``true``/``false``; UUID filters are normalised to 32 lowercase hex digits;
      dates and datetimes become ISO 8601;
    - a ``None`` value means "not filtered" and is left out.

    Value errors name the filter itself (``state``), as it is usually given as a keyword.
    """
    types = _table(path_template)
    if filters is None:
        return []
    if not isinstance(filters, Mapping):
        raise _not_a_mapping(filters, argument)
    query: list[tuple[str, str]] = []
    for name, value in filters.items():
        if not isinstance(name, str) or name not in types:
            raise _unknown_filter(path_template, name, types, argument)
        if value is not None:
            query += _encode(path_template, name, value, name)
    return query


def _unknown_filter(
    path_template: str, name: object, types: Mapping[str, str], argument: str
) -> InvalidArgumentError:
    if name in _PAGER_PARAMETERS:
        return _invalid(argument, f"must not set {name!r}: the client pages by itself")
    hint = _did_you_mean(name, types) if isinstance(name, str) else ""
    valid = ", ".join(sorted(types)) or "none"
    return _invalid(
        argument, f"has unknown filter {name!r} for {path_template}{hint}; valid filters: {valid}"
    )


def fields_arg(
    path_template: str, fields: str | Iterable[str] | None, argument: str = "fields"
) -> list[tuple[str, str]]:
    """``fields=`` (one name or several) as repeated ``field`` query pairs, names checked."""
    if fields is None:
        return []
    if "field" not in _table(path_template):
        raise _invalid(argument, f"is not supported by {path_template}")
    if isinstance(fields, str):
        fields = [fields]
    elif not isinstance(fields, _MULTI_VALUE_TYPES):
        raise _invalid(argument, f"must be a field name or a list of them, got {_kind(fields)}")
    return _encode(path_template, "field", fields, argument)


def merge_filters(
    filters: Mapping[str, Any] | None, keywords: Mapping[str, Any], argument: str = "filters"
) -> dict[str, Any]:
    """The positional filter dict and the keyword filters as one new dict (neither is changed).

    A name given both ways with different values raises rather than silently picking one.
    """
    if filters is None:
        merged: dict[str, Any] = {}
    elif isinstance(filters, Mapping):
        merged = dict(filters)
    else:
        raise _not_a_mapping(filters, argument)
    for name, value in keywords.items():
        if name in merged and merged[name] != value:
            raise InvalidArgumentError(
                name, f"given twice, in {argument} and as a keyword, with different values"
            )
        merged[name] = value
    return merged


def extra_params_arg(value: object, argument: str = "extra_params") -> list[tuple[str, str]]:
    """Query parameters passed through unchecked by name, for filters newer servers added.

    A mapping or a sequence of ``(name, value)`` pairs. Values are encoded as filter values
    are (booleans as ``true``/``false``, lists repeated); ``page`` and ``page_size`` are refused.
    """
    if value is None:
        return []
    if isinstance(value, Mapping):
        entries = list(value.items())
    elif isinstance(value, list | tuple):
        entries = list(value)
        if not all(isinstance(entry, tuple | list) and len(entry) == 2 for entry in entries):
            raise _invalid(argument, "must be a mapping or a sequence of (name, value) pairs")
    else:
        raise _invalid(argument, f"must be a mapping or a sequence of pairs, got {_kind(value)}")
    query: list[tuple[str, str]] = []
    for name, item in entries:
        non_empty_str(name, f"{argument} name")
        if name in _PAGER_PARAMETERS:
            raise _invalid(argument, f"must not set {name!r}: the client pages by itself")
        items = list(item) if isinstance(item, _MULTI_VALUE_TYPES) else [item]
        for one in items:
            kind = "boolean" if isinstance(one, bool) else "string"
            if isinstance(one, int | float | Decimal) and not isinstance(one, bool):
                kind = "number"
            query.append((name, _encode_one(kind, one, argument)))
    return query
