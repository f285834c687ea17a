"""The identities a paginator has handed out, in little memory however long the list.

The newest keys are kept as they are, in a set (exact). Once ``RECENT`` of them have gathered,
they are folded into a sorted array of their 64-bit hashes (8 bytes a key, where a set of
32-character uuids takes some 120): streaming a million users keeps ~8 MB of keys instead of
~120 MB. Folding merges two sorted runs (linear, without a list of boxed ints); looking a key
up there is one binary search.

Two different keys could share a hash: for a list of a million keys the chance is about one in
ten million (``hash`` of a ``str`` is keyed at random per process, so a server cannot aim for
it). The later item would then count as seen; the count check at the end of the list finds it
missing and reports it (``UnstableOrderWarning``, or ``UnstableOrderError`` in strict mode),
never silently.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Hashable, Sequence
from typing import Final

__all__ = ["RECENT", "SeenKeys"]

RECENT: Final = 65_536
"""Keys kept exactly before they are folded into the array of hashes."""


class SeenKeys:
    """A set of keys (``in``, ``add``, ``add_new`` for a page's keys at once, ``len``) that
    grows by 8 bytes a key past its first ``recent`` keys (see the module docs)."""

    __slots__ = ("_folded", "_recent", "_size")

    def __init__(self, recent: int | None = None) -> None:
        self._recent: set[Hashable] = set()
        self._folded = array("q")
        self._size = RECENT if recent is None else recent

    def __len__(self) -> int:
        return len(self._recent) + len(self._folded)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._recent or (bool(self._folded) and self._folded_has(hash(key)))

    def add(self, key: Hashable) -> None:
        self._recent.add(key)
        if len(self._recent) >= self._size:
            self._fold()

    def add_new(self, keys: Sequence[Hashable | None]) -> bool:
        """Add ``keys`` if none was seen, none repeats among them and none is ``None`` (True);
        else add nothing and return False. The usual page of a list is decided by this call
        alone: one pass over its keys, without a set of the page's own."""
        recent = self._recent
        if not recent.isdisjoint(keys):
            return False
        if self._folded:
            has = self._folded_has
            if any(map(has, map(hash, keys))):
                return False
        before = len(recent)
        recent.update(keys)
        # A key repeated within the page, or a row without one (``None`` is never kept): every
        # one of them was new, so removing them gives back the set as it was.
        if len(recent) - before != len(keys) or None in recent:
            recent.difference_update(keys)
            return False
        if len(recent) >= self._size:
            self._fold()
        return True

    def _folded_has(self, value: int) -> bool:
        folded = self._folded
        index = bisect_left(folded, value)
        return index < len(folded) and folded[index] == value

    def _fold(self) -> None:
        new = sorted(map(hash, self._recent))
        folded = self._folded
        self._folded = array("q", heapq.merge(folded, new) if folded else new)
        self._recent = set()
