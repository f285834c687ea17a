"""List semantics of Waldur (django-filter + DRF): filters, ordering, field selection, pages.

- Filters: each list declares the query parameters it honours; any other name is ignored, as
  the real server does. Choice filters (``state``, ``type``) repeat, are case-sensitive, and
  answer 400 ``{"state": ["Select a valid choice. X is not one of the available choices."]}``
  for a value outside the schema's enum. UUID filters answer 400 "Enter a valid UUID." for a
  malformed value. Empty values do not filter.
- Ordering: ``o=name,-created``; each list offers its own fields (another is a 400, checked by
  the list before it asks for the order; see ``Listing.orderings``).
- Field selection: repeated ``field``; unknown names are dropped; none left means all fields.
- Pages: ``page`` (or ``last``) and ``page_size`` (default 10; 0, negative or not a number means
  the default; more than 300 is clamped to 300). A page past the end, below 1 or not an integer
  is 404 ``{"detail": "Invalid page."}``; an empty list still has page 1.
- ``Link``: ``first`` and ``last`` always, ``prev`` and ``next`` when those pages exist; absolute
  URLs on the origin the request came to, the other query parameters kept and sorted by name
  (as DRF's ``replace_query_param``); the link to page 1 carries no ``page`` (as DRF's ``prev``
  link to page 1 and ``first`` link do).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from puhuri_async.testing._http import HttpError, Request
from puhuri_async.testing._store import JSONObject, Store

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Filter",
    "Page",
    "filter_items",
    "link_header",
    "select_fields",
    "sort_items",
    "take_page",
]

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 300

_UUID = re.compile(r"^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})$")
_TRUE = {"true", "True", "1"}
_FALSE = {"false", "False", "0"}

#: Parameters of lists that are not filters.
RESERVED = frozenset({"page", "page_size", "field", "o"})


def is_true(value: str) -> bool:
    """django-filter's reading of a boolean query value."""
    return value in _TRUE


def normalise_uuid(value: str) -> str | None:
    """``value`` as 32 lower-case hex digits, or None when it is not a UUID."""
    return value.replace("-", "").lower() if _UUID.match(value) else None


@dataclass(frozen=True)
class Filter:
    """One query parameter a list honours.

    ``kind``: ``exact`` (string equality), ``uuid`` (UUID equality), ``choice`` (repeatable, one
    of ``choices``), ``multi`` (repeatable, any value), ``icontains`` (case-insensitive
    substring), ``bool``, ``related`` (``resolve(data, uuid)`` gives the set of ``key`` values
    that match) or ``custom`` (``match(item, value)`` decides).
    """

    kind: str
    key: str = ""
    choices: tuple[str, ...] = ()
    resolve: Callable[[Store, str], set[str]] | None = None
    match: Callable[[JSONObject, str], bool] | None = None


def _predicate(
    name: str, spec: Filter, values: list[str], data: Store
) -> Callable[[JSONObject], bool] | None:
    key = spec.key
    if spec.kind in ("choice", "multi"):
        wanted = [v for v in values if v != ""]
        if not wanted:
            return None
        if spec.kind == "choice":
            for value in wanted:
                if value not in spec.choices:
                    raise HttpError(
                        400,
                        {
                            name: [
                                f"Select a valid choice. {value} is not one of the available "
                                "choices."
                            ]
                        },
                    )
        allowed = set(wanted)
        return lambda item: item.get(key) in allowed
    value = values[-1]
    if value == "":
        return None
    if spec.kind == "custom":
        assert spec.match is not None
        test = spec.match
        return lambda item: test(item, value)
    if spec.kind == "lookup":
        assert spec.resolve is not None
        found = spec.resolve(data, value)
        return lambda item: item.get(key) in found
    if spec.kind in ("uuid", "related"):
        uuid = normalise_uuid(value)
        if uuid is None:
            raise HttpError(400, {name: ["Enter a valid UUID."]})
        if spec.kind == "related":
            assert spec.resolve is not None
            matching = spec.resolve(data, uuid)
            return lambda item: item.get(key) in matching
        return lambda item: item.get(key) == uuid
    if spec.kind == "icontains":
        needle = value.casefold()
        return lambda item: needle in str(item.get(key, "")).casefold()
    if spec.kind == "bool":
        if value not in _TRUE | _FALSE:
            return None
        flag = value in _TRUE
        return lambda item: item.get(key) is flag
    return lambda item: str(item.get(key)) == value


def filter_items(
    items: Sequence[JSONObject], request: Request, specs: dict[str, Filter], data: Store
) -> Sequence[JSONObject]:
    """The items passing every filter of ``request`` that ``specs`` declares (order kept)."""
    predicates = []
    for name, spec in specs.items():
        values = request.values(name)
        if values:
            predicate = _predicate(name, spec, values, data)
            if predicate is not None:
                predicates.append(predicate)
    if not predicates:
        return items
    return [item for item in items if all(p(item) for p in predicates)]


def sort_items(items: Sequence[JSONObject], request: Request) -> Sequence[JSONObject]:
    """``items`` ordered by the ``o`` parameter (comma-separated, ``-`` for descending)."""
    ordering = request.value("o")
    if not ordering or not items:
        return items
    sample = items[0]
    result = list(items)
    for term in reversed([t.strip() for t in ordering.split(",") if t.strip()]):
        key = term.lstrip("-")
        if key not in sample:
            continue
        result.sort(key=lambda item: _sort_key(item.get(key)), reverse=term.startswith("-"))
    return result


def _sort_key(value: Any) -> tuple[bool, str | float]:
    if isinstance(value, bool | int | float):
        return (False, float(value))
    return (value is None, "" if value is None else str(value))


def select_fields(request: Request) -> set[str] | None:
    """The field names requested with ``field`` (None: every field)."""
    wanted = {name for name in request.values("field") if name}
    return wanted or None


def project(item: JSONObject, wanted: set[str] | None) -> JSONObject:
    """``item`` restricted to ``wanted`` fields; every field when none of them exists."""
    if wanted is None:
        return item
    picked = {key: value for key, value in item.items() if key in wanted}
    return picked or item


@dataclass(frozen=True)
class Page:
    """One page of a list: its number, size and the number of pages."""

    number: int
    size: int
    pages: int
    start: int
    stop: int


def _page_size(request: Request) -> int:
    raw = request.value("page_size")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        return DEFAULT_PAGE_SIZE
    if size <= 0:
        return DEFAULT_PAGE_SIZE
    return min(size, MAX_PAGE_SIZE)


def take_page(count: int, request: Request) -> Page:
    """The page ``request`` asks for out of ``count`` items; 404 "Invalid page." if none."""
    size = _page_size(request)
    pages = max(1, -(-count // size))
    raw = request.value("page")
    if raw is None:
        number = 1
    elif raw == "last":
        number = pages
    else:
        try:
            number = int(raw)
        except ValueError:
            raise HttpError(404, {"detail": "Invalid page."}) from None
        if number < 1 or number > pages:
            raise HttpError(404, {"detail": "Invalid page."})
    start = (number - 1) * size
    return Page(number, size, pages, start, min(start + size, count))


def _page_url(request: Request, number: int) -> str:
    pairs = sorted(((k, v) for k, v in request.query if k != "page"), key=lambda pair: pair[0])
    if number > 1:
        pairs.append(("page", str(number)))
        pairs.sort(key=lambda pair: pair[0])
    query = urlencode(pairs, quote_via=quote, safe="")
    path = quote(request.path, safe="/")
    return f"{request.origin}{path}?{query}" if query else f"{request.origin}{path}"


def link_header(request: Request, page: Page) -> str:
    """The ``Link`` header of ``page``: first, prev, next, last (as they exist)."""
    links = [(1, "first")]
    if page.number > 1:
        links.append((page.number - 1, "prev"))
    if page.number < page.pages:
        links.append((page.number + 1, "next"))
    links.append((page.pages, "last"))
    return ", ".join(f'<{_page_url(request, number)}>; rel="{rel}"' for number, rel in links)
