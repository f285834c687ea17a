"""Smaller items for ``collect()``: empty lists shared, and in a long list equal strings too.

A collected list keeps every item's JSON (``PuhuriModel._data``) for as long as the program
keeps the list: 100,000 users took 2.9 KB each as decoded. Much of it repeats from item to item:
the same organization, registration method, identity provider and job titles, each decoded into
a string of its own, and a new empty list for every ``[]``. ``Compactor`` replaces them in the
rows of each page as the page arrives, before the pages pile up:

- in a long list, a key whose string values repeat on the first page compacted keeps one
  string per distinct value, in a cache of at most ``CACHE_SIZE`` values. A key is given up
  when a later page brings mostly new values, outgrows the cache, or holds anything but
  strings and ``null`` (``1``, ``1.0`` and ``true`` are equal keys of a dict). Unique values
  (``uuid``, ``url``, ``email``) are never cached;
- a ``[]`` value of a top-level key becomes ``EMPTY_LIST``, one immutable empty list shared by
  every item. Models never hand it out: mapping access and ``to_dict()`` copy lists, and a
  free-form JSON attribute reads a new ``[]`` instead (``models._fields``).

Nothing a reader sees changes: values are equal, keys keep their order, ``null`` stays
``null``, an absent key stays absent. Only pages whose items are models are compacted (items
that are the plain rows are the caller's to change).

Why strings only in long lists: the work is a few C-level passes per shared key and page, no
Python call per item, but it still costs about 1,200 instructions per value replaced, a quarter
of the client's instructions per user (less in time: the items touch less memory afterwards).
It saves about 0.8 KB per user. A list below ``LONG`` items (what a site agent syncs at once)
takes little enough memory as decoded and keeps its speed; a list counted at ``LONG`` or more
shares its strings from its second page (the count comes with the first), and a list without a
count once ``LONG`` rows have arrived.

Why empty lists in every collected list: each ``[]`` the decoder makes is an object of its own
that the garbage collector tracks and scans. A Waldur user has five list fields, most often
empty: the 20,000 users of the benchmarks' bulk lists brought some 100,000 empty lists, more
than half of the objects the collector had to scan while the lists were collected (with the
users' and permissions' models and JSON). Shared, they are freed as their page arrives, so the
collector runs less often and scans less each time. The bulk lists read five times on one
client, each read kept until the next is done: the collector's time 377 ms to 165 ms, the
client's CPU 0.89x; read once on a fresh client, 0.97x (``python -m benchmarks.levers
empty-lists``). The instructions barely move (the collector's time is spent waiting for
memory): the work is some 20 M instructions of C-level passes per bulk read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from itertools import chain, compress, repeat
from operator import eq, is_not, setitem
from typing import Any

from puhuri_async.models._base import EMPTY_LIST, PuhuriModel

__all__ = ["CACHE_SIZE", "LONG", "Compactor"]

LONG = 50_000
"""Items from which a list is compacted (see the module docs)."""

CACHE_SIZE = 4096
"""Distinct values kept per key; a key with more is no longer shared."""

_ABSENT: Any = object()
_SHARED_TYPES = {str, type(None)}


class Compactor:
    """Compacts the rows of a list's pages in place, page by page (see the module docs).

    ``total()`` is the list's count once known (``None`` before, or without one); ``limit``
    the most items that will be taken; ``long`` is ``LONG`` unless given.
    """

    def __init__(
        self, total: Callable[[], int | None], limit: int | None = None, long: int | None = None
    ) -> None:
        self._total = total
        self._limit = limit
        self._long = LONG if long is None else long
        self._rows = 0
        self._strings: dict[str, dict[Any, Any]] | None = None
        """Key → the cache of its values (each value its own key), chosen once the list is
        known to be long (on its first page when it has a count)."""
        self._lists: list[str] | None = None
        """The keys whose values were lists on the first page."""

    def __call__(self, rows: list[dict[str, Any]], items: Sequence[Any]) -> None:
        """Compact ``rows``, plain dicts that ``items`` (one model per row) are made over."""
        self._rows += len(rows)
        if not rows or not isinstance(items[0], PuhuriModel) or items[0]._data is not rows[0]:
            return  # plain rows handed out as they are, or models over copies
        if self._lists is None:
            self._lists = _list_keys(rows)
        if self._strings is None:
            expected = max(self._total() or 0, self._rows)
            if min(expected, self._limit or expected) >= self._long:
                self._strings = _repeated_string_keys(rows)
        strings = self._strings
        if strings:
            for key, cache in list(strings.items()):
                if not _share_strings(rows, key, cache):
                    del strings[key]
        for key in self._lists:
            _share_empty_lists(rows, key)


def _columns(rows: list[dict[str, Any]]) -> Iterator[tuple[str, list[Any]]]:
    """Each key of ``rows`` (the first seen first) with its values but ``null``."""
    for key in dict.fromkeys(chain.from_iterable(rows)):
        yield key, _values(rows, key)


def _values(rows: list[dict[str, Any]], key: str) -> list[Any]:
    """The ``key`` values of ``rows`` but ``null`` (an absent key reads as ``null``)."""
    column = list(map(dict.get, rows, repeat(key)))
    return list(compress(column, map(is_not, column, repeat(None))))


def _list_keys(rows: list[dict[str, Any]]) -> list[str]:
    """The keys of a page whose values are lists (``null`` aside). Only the keys whose value
    in the first row is a list or ``null``, or that the first row lacks, are looked at row by
    row: a list without list fields (SSH keys) costs one pass over the keys."""
    first = rows[0]
    return [
        key
        for key in dict.fromkeys(chain.from_iterable(rows))
        if ((value := first.get(key)) is None or type(value) is list)
        and set(map(type, _values(rows, key))) == {list}
    ]


def _repeated_string_keys(rows: list[dict[str, Any]]) -> dict[str, dict[Any, Any]]:
    """The keys of a page whose string values repeat, each with an empty cache."""
    chosen: dict[str, dict[Any, Any]] = {}
    for key, column in _columns(rows):
        if set(map(type, column)) == {str}:
            distinct = len(set(column))
            # Equal values in objects of their own (the decoder already shares "").
            if distinct < len(column) and len(set(map(id, column))) > distinct:
                chosen[key] = {}
    return chosen


def _share_strings(rows: list[dict[str, Any]], key: str, cache: dict[Any, Any]) -> bool:
    """Put the cached equal string in place of each ``key`` value of ``rows``; ``False`` (and
    nothing changed) when the key is not worth sharing any more."""
    column = list(map(dict.get, rows, repeat(key), repeat(_ABSENT)))
    size = len(cache)
    try:
        shared = list(map(cache.setdefault, column, column))
    except TypeError:  # an unhashable value: a list or an object
        return False
    if len(cache) != size:
        absent = cache.pop(_ABSENT, None) is not None
        if (
            len(cache) > CACHE_SIZE
            or (size and 2 * (len(cache) - size) > len(rows))  # mostly new values: unique
            or not _SHARED_TYPES.issuperset(map(type, cache))
        ):
            return False
        if absent:
            present = list(map(is_not, column, repeat(_ABSENT)))
            rows = list(compress(rows, present))
            shared = list(compress(shared, present))
    deque(map(setitem, rows, repeat(key), shared), maxlen=0)
    return True


def _share_empty_lists(rows: list[dict[str, Any]], key: str) -> None:
    """Put ``EMPTY_LIST`` in place of each ``[]`` value of ``key`` in ``rows``."""
    column = list(map(dict.get, rows, repeat(key)))
    empty = column.count(EMPTY_LIST)  # the values equal to []: empty lists only
    if empty == len(column):
        deque(map(setitem, rows, repeat(key), repeat(EMPTY_LIST)), maxlen=0)
    elif empty:
        which = list(map(eq, column, repeat(EMPTY_LIST)))
        deque(map(setitem, compress(rows, which), repeat(key), repeat(EMPTY_LIST)), maxlen=0)
