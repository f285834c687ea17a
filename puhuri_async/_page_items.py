"""Handing out the items of a list's pages: each item once, failing rows dropped, ``limit``
honoured, and the items made from the rows as soon as a page arrives.

The ``Ledger`` of a paginator remembers the identities seen (``key(row)``, by default the
``uuid``; in little memory, see ``_page_keys``), counts what it skipped and why, and notices a
server that keeps sending pages with nothing new past the ones its count announced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from itertools import repeat
from typing import Any, Generic, TypeVar

import attrs

from puhuri_async._compact import Compactor
from puhuri_async._errors import PaginationError
from puhuri_async._page_fetch import Prepared, RawPage
from puhuri_async._page_keys import SeenKeys

__all__ = ["STALE_PAGES", "Ledger", "Page", "RowCheck", "RowKey", "all_strings", "uuid_key"]

T = TypeVar("T")

RowCheck = Callable[[dict[str, Any]], str | None]
"""``check(row)``: the name of a filter of the request that ``row`` fails, or ``None``."""

STALE_PAGES = 3
"""Pages in a row past the counted ones that bring nothing new before the list is refused."""


@attrs.frozen
class Page(Generic[T]):
    """One page of a list: its server page ``number``, its ``items`` and the ``total`` it said."""

    number: int
    items: list[T]
    total: int | None


@attrs.frozen
class RowKey:
    """A row's identity (``key(row)``) with a form for a whole page (``many(rows)``).

    ``many`` gives, for a list of plain dicts, what ``one`` gives for each of them, in C-level
    passes over the page instead of a Python call per row (a bulk fetch dedups 20,000 rows or
    more); it returns ``None`` when a row needs ``one``'s care (a missing or odd field), and
    the page is then keyed row by row. It is also given pages whose rows have not been
    checked: a row that is not a dict must make it raise ``TypeError`` (``dict.get`` does),
    which is the check (``_page_keys``).
    """

    one: Callable[[dict[str, Any]], Hashable | None]
    many: Callable[[list[dict[str, Any]]], list[Hashable | None] | None]

    def __call__(self, row: dict[str, Any]) -> Hashable | None:
        return self.one(row)


_STR_OR_NONE = {str, type(None)}


def _uuid_key(row: dict[str, Any]) -> Hashable | None:
    key = row.get("uuid")
    return key if isinstance(key, str) else None


def _uuid_keys(rows: list[dict[str, Any]]) -> list[Hashable | None] | None:
    keys: list[Hashable | None] = list(map(dict.get, rows, repeat("uuid")))
    if all_strings(keys):
        return keys
    return keys if _STR_OR_NONE.issuperset(map(type, keys)) else None


def all_strings(values: list[Any]) -> bool:
    """Whether every one of ``values`` is a ``str``: ``str.join`` checks that in C, about a
    third of the instructions of a ``type`` call per value (a page's keys are checked so)."""
    try:
        "".join(values)
    except TypeError:
        return False
    return True


uuid_key = RowKey(_uuid_key, _uuid_keys)
"""The default identity of a list item: its ``uuid`` (``None``, never deduplicated, if none)."""


_DICT = {dict}


def _plain(rows: list[Any]) -> bool:
    """Whether every row is a plain ``dict`` (one C-level pass over the page)."""
    return _DICT.issuperset(map(type, rows))


def _page_keys(key: RowKey, rows: list[Any]) -> list[Any] | None:
    """``key.many(rows)`` for rows not checked yet; ``None`` if a row is not a JSON object.
    ``dict.get`` refuses anything but a dict with ``TypeError``, so the keys of the usual page
    need no type pass over its rows first (some 220 instructions a row)."""
    try:
        return key.many(rows)
    except TypeError:
        return None


def _keys(key_of: Callable[[dict[str, Any]], Hashable | None], rows: list[Any]) -> list[Any]:
    """``key_of`` of every row (all plain dicts): by its page form when it has one."""
    if isinstance(key_of, RowKey):
        keys = key_of.many(rows)
        if keys is not None:
            return keys
    return list(map(key_of, rows))


class Ledger(Generic[T]):
    """What was handed out of one list so far (see the module docs)."""

    def __init__(
        self,
        *,
        item: Callable[[Any], T],
        items: Callable[[list[Any], str], list[T] | None] | None,
        key: Callable[[dict[str, Any]], Hashable | None] | None,
        limit: int | None,
        row_check: RowCheck | None,
        label: tuple[str | None, str],
    ) -> None:
        self._item = item
        self._items = items
        self._key = key if key is not None else uuid_key
        self.limit = limit
        self._row_check = row_check
        self._operation, self._url = label
        self.seen = SeenKeys()
        """The keys handed out (compact past the first 65,536: ``_page_keys``)."""
        self.keyless = 0
        """Rows without an identity (never deduplicated)."""
        self.taken = 0
        self.duplicates = 0
        """Rows of the first pass skipped because their item was handed out already."""
        self.recovered = 0
        """Items found by reading the pages again."""
        self._stale = 0
        self.compactor: Compactor | None = None
        """Set when the items are kept (``collect``): compacts each page's rows (``_compact``)."""

    @property
    def full(self) -> bool:
        """Whether ``limit`` items were handed out."""
        return self.limit is not None and self.taken >= self.limit

    def take(self, raw: RawPage) -> tuple[Page[T], Counter[str]]:
        """The page handed out for ``raw`` (repeated keys skipped, failing rows dropped, at most
        ``limit`` items), and how many rows failed which filter.

        A row that ``item`` rejected raises its error here, if it is really used. The usual
        page (JSON objects only, no repeated key, none rejected, no row check, all within
        ``limit``) is decided with set operations and hands out ``raw.items`` as it is.
        """
        rows = raw.rows
        limit = self.limit
        room = len(rows) if limit is None else limit - self.taken
        seen = self.seen
        key_of = self._key
        keys: list[Hashable | None] | None = raw.keys  # found only if every row is a dict
        if (
            rows
            and room >= len(rows)
            and not raw.failures
            and self._row_check is None
            and (keys is not None or _plain(rows))
        ):
            if keys is None:
                keys = _keys(key_of, rows)
            if seen.add_new(keys):
                self.taken += len(rows)
                self._stale = 0
                return Page(raw.number, raw.items, raw.total), Counter()
        failures = raw.failures
        prepared = raw.items
        check = self._row_check
        ignored: Counter[str] = Counter()
        items: list[T] = []
        append = items.append
        new = 0
        for index, row in enumerate(rows):
            if len(items) >= room:
                break
            if keys is not None:
                key = keys[index]
            else:
                key = key_of(row) if isinstance(row, dict) else None
            if key is not None:
                if key in seen:
                    if not raw.reread:
                        self.duplicates += 1
                    continue
                seen.add(key)
            else:
                self.keyless += 1
            new += 1
            if check is not None and isinstance(row, dict):
                failed = check(row)
                if failed is not None:
                    ignored[failed] += 1
                    continue
            if failures and index in failures:
                raise failures[index]
            append(prepared[index])
        self.taken += len(items)
        if raw.reread:
            self.recovered += len(items)
        elif not raw.planned:
            self._stale = 0 if new else self._stale + 1
            if self._stale >= STALE_PAGES:
                raise PaginationError(
                    f"{STALE_PAGES} pages in a row after the counted ones brought no new item "
                    f"(up to page {raw.number}): the server repeats its pages",
                    operation=self._operation,
                    url=self._url,
                )
        return Page(raw.number, items, raw.total), ignored

    def prepare(self, rows: list[Any], url: str) -> Prepared:
        """``item`` applied to every row as soon as its page arrives (by ``items(rows, url)`` at
        once when it takes the page; ``url`` is the page's, named in lazy models' errors), and
        the rows' identities found then too when the key is a ``RowKey`` (the built-in ones).

        Pages are parsed by the fetch workers, so this work is done while later pages are
        still on the way instead of after the last one: ``collect`` takes its pages only once
        the last has come, and the identities of 20,000 permissions (strings built row by row)
        would otherwise be made then, while the caller waits. A row that ``item`` rejects keeps
        its exception; ``take`` raises it only if the row is really used (not a duplicate, not
        past ``limit``), as if ``item`` had been called then.
        """
        keys: list[Any] | None = None
        if isinstance(self._key, RowKey) and rows:
            keys = _page_keys(self._key, rows)
        if self._items is not None:
            whole = self._items(rows, url)
            if whole is not None:
                if self.compactor is not None:
                    self.compactor(rows, whole)
                return Prepared(whole, {}, keys)
        item = self._item
        items: list[Any] = []
        append = items.append
        failures: dict[int, Exception] = {}
        start = 0
        while start < len(rows):
            try:
                for row in rows[start:] if start else rows:
                    append(item(row))
            except Exception as exc:
                failures[len(items)] = exc
                append(None)
            start = len(items)
        return Prepared(items, failures, keys)
