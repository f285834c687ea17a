"""``SyncPaginator``: the ``Paginator`` of an ``iter_*`` call, for code that cannot be async."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

from puhuri_async._pagination import CountDrift, Page, Paginator

if TYPE_CHECKING:
    from puhuri_async.sync._base import SyncClientBase

__all__ = ["SyncPaginator"]

T = TypeVar("T")


class SyncPaginator(Iterator[T], Generic[T]):
    """The items of a Waldur list, streamed: what every ``SyncPuhuriClient.iter_*`` returns.

    The same API as the async ``Paginator``, blocking: consume it once, in one of three ways
    (``for item in paginator``, ``for page in paginator.pages()`` or ``paginator.collect()``),
    and read ``total`` (``X-Result-Count`` of page 1), ``drift`` (a ``CountDrift`` or ``None``),
    ``pages_fetched`` and ``ignored_filters`` as pages arrive. ``close()`` stops it early;
    leaving a ``for`` loop early, or dropping the paginator, does the same.

    Underneath, the async paginator runs in the client's event-loop thread: pages are still
    fetched concurrently, a window at a time, and each page costs one hop into that thread
    (never one per item); ``collect()`` is a single hop.
    """

    def __init__(self, client: SyncClientBase, paginator: Paginator[T]) -> None:
        self._client = client
        self._paginator = paginator
        self._items: Generator[T, None, None] | None = None
        self._pages: Generator[Page[T], None, None] | None = None
        self._closed = False

    @property
    def total(self) -> int | None:
        """``X-Result-Count`` of page 1 (``None`` before it arrives or when absent)."""
        return self._paginator.total

    @property
    def drift(self) -> CountDrift | None:
        """What changed on the server during the iteration, or ``None`` if nothing did."""
        return self._paginator.drift

    @property
    def pages_fetched(self) -> int:
        """Pages fetched so far."""
        return self._paginator.pages_fetched

    @property
    def ignored_filters(self) -> dict[str, int]:
        """Filters the server did not apply: filter name → rows dropped on the client."""
        return self._paginator.ignored_filters

    def __iter__(self) -> Iterator[T]:
        # The items come from a generator: a ``for`` loop over it runs at generator speed,
        # with no Python call of ours per item.
        return self._item_iterator()

    def __next__(self) -> T:
        return next(self._item_iterator())

    def _item_iterator(self) -> Iterator[T]:
        items = self._items
        if items is None:
            if self._closed:
                return iter(())
            items = self._items = self._client._pull_items(self._paginator.pages())
        return items

    def pages(self) -> Iterator[Page[T]]:
        """An iterator over the pages (``Page``), in server order."""
        pages = self._pages = self._client._pull_pages(self._paginator.pages())
        return pages

    def collect(self) -> list[T]:
        """Every item in a list; all pages after the first are fetched concurrently."""
        return self._client._call(self._paginator.collect)

    def close(self) -> None:
        """Stop the iteration: nothing more is fetched; a later ``next()`` ends it.

        ``pages()`` and ``collect()`` then refuse, as the async paginator's do.
        """
        self._closed = True
        if self._items is not None:
            self._items.close()
        if self._pages is not None:
            self._pages.close()
        if self._items is None and self._pages is None:
            self._client._discard(self._paginator)

    def __repr__(self) -> str:
        return "<Sync" + repr(self._paginator).removeprefix("<")
