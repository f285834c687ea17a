"""List filters: checked against the schema tables and encoded as query pairs, once per request.

A list operation takes filters as a positional dict, as keywords, or both (``merge_filters``);
``list_query`` checks them against the operation's table in ``puhuri_async._schema`` and encodes
them, with ``fields=`` (repeated ``field``) and the unchecked ``extra_params``, into the one list
of ``(name, value)`` string pairs the paginator sends. Nothing after this module checks or
converts them again. Pure functions, no I/O.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from puhuri_async._arguments import DECIMAL_TEXT_RE, kind_of, non_empty_str, preview, uuid_arg
from puhuri_async._errors import InvalidArgumentError
from puhuri_async._page_items import RowCheck
from puhuri_async._schema import ENUM_VALUES, MULTI_VALUE, PARAMETER_TYPES

__all__ = [
    "PAGER_PARAMETERS",
    "check_filters",
    "encode_value",
    "extra_params_arg",
    "fields_arg",
    "item_check",
    "list_query",
    "merge_filters",
]

#: Query parameters the pager sets; a caller giving them would fight it.
PAGER_PARAMETERS = frozenset({"page", "page_size"})
_MULTI_VALUE_TYPES = (list, tuple, set, frozenset)

Query = list[tuple[str, str]]


def _table(path_template: str) -> dict[str, str]:
    try:
        return PARAMETER_TYPES[path_template]
    except KeyError:
        raise LookupError(f"no query-parameter table for {path_template!r}") from None


def _not_a_mapping(value: object, argument: str) -> InvalidArgumentError:
    return InvalidArgumentError(
        argument, f"must be a mapping of filter names to values, got {kind_of(value)}"
    )


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss (a case-only difference first), else ``""``."""
    choices = list(choices)
    same_case = [choice for choice in choices if choice.lower() == value.lower()]
    close = same_case or difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def encode_value(kind: str, value: object, argument: str) -> str:
    """One filter value in its query-string form, by the schema type of the parameter.

    ``kind`` is a JSON type (``string``, ``boolean``, ``number``, ``integer``) or a string
    format (``uuid``, ``date``, ``date-time``...), as the schema tables say.
    """
    if kind == "uuid":
        return uuid_arg(value, argument)
    if kind == "boolean":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower()
        raise InvalidArgumentError(argument, f"must be a boolean, got {preview(value)}")
    if isinstance(value, bool):
        raise InvalidArgumentError(argument, f"must be a {kind}, got bool")
    if kind in ("number", "integer"):
        if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
            return str(value)
        if isinstance(value, Decimal) and value.is_finite():
            return format(value, "f")
        if isinstance(value, str) and DECIMAL_TEXT_RE.fullmatch(value):
            return value
        raise InvalidArgumentError(argument, f"must be a number, got {preview(value)}")
    if kind == "date-time" and isinstance(value, date):
        return value.isoformat()
    if kind == "date" and isinstance(value, date):
        if isinstance(value, datetime):
            raise InvalidArgumentError(
                argument, f"must be a date, not a datetime: {preview(value)}"
            )
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    raise InvalidArgumentError(argument, f"must be a string, got {kind_of(value)}")


def _encode(path_template: str, name: str, value: object, argument: str) -> Query:
    """The query pairs for one filter: checked, converted, repeated or comma-joined."""
    kind = PARAMETER_TYPES[path_template][name]
    if kind == "string" and name.endswith("_uuid"):
        kind = "uuid"  # a few UUID filters are typed plain string in the schema
    style = MULTI_VALUE[path_template].get(name)
    if isinstance(value, _MULTI_VALUE_TYPES):
        if style is None:
            raise InvalidArgumentError(argument, f"takes one value, got a {type(value).__name__}")
        if not value:
            raise InvalidArgumentError(argument, f"must not be an empty {type(value).__name__}")
        values = list(value)
    else:
        values = [value]
    encoded = [encode_value(kind, item, argument) for item in values]
    if isinstance(value, set | frozenset):
        encoded.sort()  # a set has no order; make the query deterministic
    allowed = ENUM_VALUES[path_template].get(name)
    if allowed is not None:
        for item in encoded:
            if item not in allowed:
                raise InvalidArgumentError(
                    argument,
                    f"has no value {item!r}{_did_you_mean(item, allowed)}; "
                    f"valid: {', '.join(allowed)}",
                )
    if style == "comma":
        if any("," in item for item in encoded):
            raise InvalidArgumentError(
                argument, "values must not contain ',' (they are sent comma-joined)"
            )
        return [(name, ",".join(encoded))]
    return [(name, item) for item in encoded]


def check_filters(
    path_template: str, filters: Mapping[str, Any] | None, argument: str = "filters"
) -> Query:
    """Filters for the list at ``path_template``, checked and encoded as query pairs.

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
    query: Query = []
    for name, value in filters.items():
        if not isinstance(name, str) or name not in types:
            raise _unknown_filter(path_template, name, types, argument)
        if value is not None:
            query += _encode(path_template, name, value, name)
    return query


def _unknown_filter(
    path_template: str, name: object, types: Mapping[str, str], argument: str
) -> InvalidArgumentError:
    if name in PAGER_PARAMETERS:
        return InvalidArgumentError(argument, f"must not set {name!r}: the client pages by itself")
    hint = _did_you_mean(name, types) if isinstance(name, str) else ""
    valid = ", ".join(sorted(types)) or "none"
    return InvalidArgumentError(
        argument, f"has unknown filter {name!r} for {path_template}{hint}; valid filters: {valid}"
    )


def fields_arg(
    path_template: str, fields: str | Iterable[str] | None, argument: str = "fields"
) -> Query:
    """``fields=`` (one name or several) as repeated ``field`` query pairs, names checked."""
    if fields is None:
        return []
    if "field" not in _table(path_template):
        raise InvalidArgumentError(argument, f"is not supported by {path_template}")
    if isinstance(fields, str):
        fields = [fields]
    elif not isinstance(fields, _MULTI_VALUE_TYPES):
        raise InvalidArgumentError(
            argument, f"must be a field name or a list of them, got {kind_of(fields)}"
        )
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


def extra_params_arg(value: object, argument: str = "extra_params") -> Query:
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
            raise InvalidArgumentError(
                argument, "must be a mapping or a sequence of (name, value) pairs"
            )
    else:
        raise InvalidArgumentError(
            argument, f"must be a mapping or a sequence of pairs, got {kind_of(value)}"
        )
    query: Query = []
    for name, item in entries:
        non_empty_str(name, f"{argument} name")
        if name in PAGER_PARAMETERS:
            raise InvalidArgumentError(
                argument, f"must not set {name!r}: the client pages by itself"
            )
        items = list(item) if isinstance(item, _MULTI_VALUE_TYPES) else [item]
        for one in items:
            kind = "boolean" if isinstance(one, bool) else "string"
            if isinstance(one, int | float | Decimal) and not isinstance(one, bool):
                kind = "number"
            query.append((name, encode_value(kind, one, argument)))
    return query


def list_query(
    path_template: str,
    filters: Mapping[str, Any] | None,
    keywords: Mapping[str, Any],
    *,
    fields: str | Iterable[str] | None = None,
    extra_params: object = None,
) -> Query:
    """The whole query of a list request: filters, then ``field`` pairs, then extra parameters.

    ``filters`` (the positional dict) and ``keywords`` are merged first (a name given both ways
    with different values raises); the result is final: the paginator adds only ``page`` and
    ``page_size``.
    """
    query = check_filters(path_template, merge_filters(filters, keywords))
    if fields is not None:
        query += fields_arg(path_template, fields)
    if extra_params is not None:
        query += extra_params_arg(extra_params)
    return query


def item_check(item_filters: Mapping[str, str], query: Query) -> RowCheck | None:
    """The check that each row of a list matches the equality filters of ``query`` it carries.

    ``item_filters`` is a row's: filter name -> the item field it compares (``"user_uuid"``), or
    ``"<field>__icontains"`` for Waldur's case-insensitive "contains" lookups (``name``). A row
    that lacks the field (``fields=`` left it out) is not judged. UUIDs compare as 32 lowercase
    hex digits, booleans as ``true``/``false``; a filter given several values (``state=a&state=b``)
    matches any of them. ``None`` when the query has none of these filters.
    """
    wanted: dict[str, set[str]] = {}
    for name, value in query:
        if name in item_filters:
            wanted.setdefault(name, set()).add(_comparable(value))
    if not wanted:
        return None
    checks: list[tuple[str, str, bool, frozenset[str]]] = []
    for name, values in wanted.items():
        field, _, lookup = item_filters[name].partition("__")
        checks.append((name, field, lookup == "icontains", frozenset(values)))

    def check(row: dict[str, Any]) -> str | None:
        for name, field, contains, values in checks:
            if field not in row:
                continue
            got = row[field]
            if contains:
                text = "" if got is None else str(got).casefold()
                if not any(value.casefold() in text for value in values):
                    return name
            elif _comparable(got) not in values:
                return name
        return None

    return check


def _comparable(value: Any) -> str:
    """A filter value or an item's field in one form for equality (see ``item_check``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if len(text) in (32, 36) and _looks_like_uuid(text):
        return text.replace("-", "").lower()
    return text


def _looks_like_uuid(text: str) -> bool:
    bare = text.replace("-", "")
    return len(bare) == 32 and all(ch in "0123456789abcdefABCDEF" for ch in bare)
