"""Fetching Waldur lists: concurrent page fetches, in-order iterators, drift detection.

A Waldur list answers with a JSON array, the total in ``X-Result-Count`` and a ``Link`` header
with ``first``/``prev``/``next``/``last`` (absolute URLs). Lists without ``Link`` are one page.

How pages are fetched:

1. Page 1 is fetched alone. Its size (the page size the server really used) and
   ``X-Result-Count`` give the number of pages.
2. With a count and a ``next`` link carrying ``page``, the remaining pages are fetched
   concurrently, each URL made from the ``next`` link with only its ``page`` changed (parameters
   are handled by name, never by substring or position). Without a count, ``next`` is followed
   one page at a time. If the last page still has a ``next`` (the list grew), it is followed.
   Iteration stops only when there is no ``next`` page, never on an empty page alone.
3. A page past the first that answers 404 (DRF's ``{"detail": "Invalid page."}``) means the list
   shrank while it was read: that is the end, and it is reported as drift.

Structured concurrency on asyncio and trio: page fetches run in an anyio task group that is
always fully exited before anything is yielded. ``collect()`` fetches all remaining pages in one
group; the iterators fetch a bounded window of pages (default ``2 * max_concurrency``) per group,
then yield its items. So no task is ever alive while the consumer holds control: an early
``break`` or an abandoned iterator leaves nothing running, and memory holds one window at most.
(A background prefetch task would overlap fetching with consuming, but it would be alive across
``yield``, which an async generator cannot do safely inside a task group.)

Within one iteration no item is yielded twice: items whose identity (``key(row)``, by default
the ``uuid``) was already seen are skipped (pages shift when objects are added during the read).
Lists whose objects have no ``uuid`` (project permissions) pass a ``key`` of their own. When
``X-Result-Count`` changes during the iteration, a ``CountDriftWarning`` is issued and
``drift`` describes it; with ``strict=True`` ``CountDriftError`` is raised instead.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Hashable,
    Iterator,
)
from contextlib import aclosing
from typing import Any, Generic, TypeAlias, TypeVar

import anyio
import attrs

from puhuri_async._errors import (
    CountDriftError,
    CountDriftWarning,
    DecodeError,
    InvalidArgumentError,
    NotFoundError,
    PuhuriError,
)
from puhuri_async._response import Response
from puhuri_async._urls import query_param, replace_query_param

__all__ = ["CountDrift", "Fetch", "Page", "Paginator", "uuid_key"]

T = TypeVar("T")

Fetch: TypeAlias = Callable[[str, list[tuple[str, str]] | None], Awaitable[Response]]
"""``fetch(path_or_url, query)``: one GET through the transport (retries, limiter, origin check)."""


@attrs.frozen
class Page(Generic[T]):
    """One page of a list: its server page ``number``, its ``items`` and the ``total`` it said."""

    number: int
    items: list[T]
    total: int | None


@attrs.frozen
class CountDrift:
    """How a list changed on the server while it was being read.

    ``initial``: ``X-Result-Count`` of page 1; ``counts``: (page number, count) of every page
    whose count differed; ``duplicates``: items skipped because already yielded;
    ``vanished_page``: the page that answered 404 because the list shrank (the end of the list).
    """

    initial: int | None
    counts: tuple[tuple[int, int], ...] = ()
    duplicates: int = 0
    vanished_page: int | None = None

    def __str__(self) -> str:
        parts = [f"the list changed on the server while it was read (count {self.initial}"]
        parts.extend(f" → {count} at page {page}" for page, count in self.counts)
        parts.append(")")
        if self.duplicates:
            parts.append(f"; {self.duplicates} repeated items skipped")
        if self.vanished_page is not None:
            parts.append(f"; it ended early: page {self.vanished_page} vanished")
        return "".join(parts)


@attrs.frozen
class _RawPage:
    """A decoded page, its rows already passed through ``item`` (see ``Paginator._prepare``).

    ``items[i]`` is ``item(rows[i])``; ``failures`` maps the index of a row whose ``item``
    raised to that exception, raised only if the row is used.
    """

    number: int
    rows: list[Any]
    total: int | None
    next_url: str | None
    items: list[Any] = attrs.field(factory=list)
    failures: dict[int, Exception] = attrs.field(factory=dict)


@attrs.frozen
class _End:
    """A page past the first answered 404: the list shrank."""

    number: int


def _check_positive(name: str, value: Any, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(name, f"must be an int >= 1, got {value!r}")


def uuid_key(row: dict[str, Any]) -> Hashable | None:
    """The default identity of a list item: its ``uuid`` (``None``, never deduplicated, if none)."""
    key = row.get("uuid")
    return key if isinstance(key, str) else None


class Paginator(AsyncIterator[T]):
    """An async iterator over the items of a Waldur list (made by ``Transport.paginate``).

    Consume it once, in one of three ways: ``async for item in paginator``, ``async for page in
    paginator.pages()`` or ``await paginator.collect()``. Attributes, filled in as pages arrive:
    ``total`` (``X-Result-Count`` of page 1), ``drift`` (a ``CountDrift`` or ``None``) and
    ``pages_fetched``.

    ``limit`` stops after that many items without fetching a page it does not need;
    ``progress(done, total)`` is called as pages arrive; ``window`` is the number of pages
    fetched concurrently per step of the item and page iterators. ``key(row)`` gives an item's
    identity for deduplication (default: its ``uuid``; ``None`` means "do not deduplicate").
    """

    def __init__(
        self,
        fetch: Fetch,
        path: str,
        *,
        item: Callable[[Any], T],
        params: list[tuple[str, str]],
        operation: str | None = None,
        page_size: int = 300,
        limit: int | None = None,
        progress: Callable[[int, int | None], None] | None = None,
        strict: bool = False,
        window: int | None = None,
        concurrency: int = 16,
        key: Callable[[dict[str, Any]], Hashable | None] | None = None,
    ) -> None:
        _check_positive("page_size", page_size)
        _check_positive("limit", limit, allow_none=True)
        _check_positive("window", window, allow_none=True)
        _check_positive("concurrency", concurrency)
        if not callable(item):
            raise InvalidArgumentError("item", "must be callable")
        if progress is not None and not callable(progress):
            raise InvalidArgumentError("progress", "must be callable")
        reserved = {name for name, _ in params} & {"page", "page_size"}
        if reserved:
            raise InvalidArgumentError(
                "params", f"{sorted(reserved)} are set by the paginator (use page_size=)"
            )
        self._fetch = fetch
        self._path = path
        self._operation = operation
        self._label = f"{operation} ({path})" if operation else path
        self._item = item
        self._key = key if key is not None else uuid_key
        self._params = params
        self._page_size = min(page_size, limit) if limit is not None else page_size
        self._limit = limit
        self._progress = progress
        self._strict = strict
        self._concurrency = concurrency
        self._window = window if window is not None else 2 * concurrency
        self._started = False
        self._active: AsyncGenerator[Any, None] | None = None
        self._items_iterator: AsyncGenerator[T, None] | None = None
        self.total: int | None = None
        """``X-Result-Count`` of page 1 (``None`` before it arrives or when absent)."""
        self.pages_fetched = 0
        """Pages fetched so far."""
        self._drift_counts: list[tuple[int, int]] = []
        self._duplicates = 0
        self._vanished_page: int | None = None
        self._warned = False
        self._rows_fetched = 0

    @property
    def drift(self) -> CountDrift | None:
        """What changed on the server during the iteration, or ``None`` if nothing did."""
        if not (self._drift_counts or self._duplicates or self._vanished_page is not None):
            return None
        return CountDrift(
            self.total, tuple(self._drift_counts), self._duplicates, self._vanished_page
        )

    def __repr__(self) -> str:
        return (
            f"<Paginator {self._label} total={self.total} pages_fetched={self.pages_fetched}>"
        )

    # -- the three ways to consume ------------------------------------------------------------

    def __aiter__(self) -> Paginator[T]:
        return self

    async def __anext__(self) -> T:
        if self._items_iterator is None:
            self._start()
            self._items_iterator = self._active = self._items()
        return await self._items_iterator.__anext__()

    def pages(self) -> AsyncGenerator[Page[T], None]:
        """An async iterator over the pages (``Page``), in server order."""
        self._start()
        generator = self._pages(self._window)
        self._active = generator
        return generator

    async def collect(self) -> list[T]:
        """Every item in a list; all pages after the first are fetched concurrently."""
        self._start()
        out: list[T] = []
        async with aclosing(self._pages(None)) as pages:
            async for page in pages:
                out.extend(page.items)
        return out

    async def aclose(self) -> None:
        """Stop the iteration (nothing is running between items, so this only drops state)."""
        if self._active is not None:
            await self._active.aclose()

    def _start(self) -> None:
        if self._started:
            raise PuhuriError(
                f"{self._label}: this paginator was already consumed; ask for a new one"
            )
        self._started = True

    # -- items and pages ----------------------------------------------------------------------

    async def _items(self) -> AsyncGenerator[T, None]:
        async with aclosing(self._pages(self._window)) as pages:
            async for page in pages:
                for item in page.items:
                    yield item

    async def _pages(self, window: int | None) -> AsyncGenerator[Page[T], None]:
        """Pages with duplicates removed, ``item`` applied and ``limit`` honoured."""
        seen: set[Hashable] = set()
        taken = 0
        limit = self._limit
        key_of = self._key
        async with aclosing(self._raw_pages(window)) as raw_pages:
            async for raw in raw_pages:
                items: list[T] = []
                failures = raw.failures
                for index, row in enumerate(raw.rows):
                    if limit is not None and taken >= limit:
                        break
                    key = key_of(row) if isinstance(row, dict) else None
                    if key is not None:
                        if key in seen:
                            self._duplicates += 1
                            continue
                        seen.add(key)
                    if failures and index in failures:
                        raise failures[index]
                    items.append(raw.items[index])
                    taken += 1
                yield Page(raw.number, items, raw.total)
                if limit is not None and taken >= limit:
                    return

    async def _raw_pages(self, window: int | None) -> AsyncGenerator[_RawPage, None]:
        """Decoded pages in server order; see the module docs for the strategy."""
        query = [*self._params, ("page", "1"), ("page_size", str(self._page_size))]
        first = self._accept(await self._fetch(self._path, query), 1)
        self.total = first.total
        yield first
        wanted = self._pages_wanted(first)
        next_url = first.next_url
        if next_url is None:
            return
        number = 1
        if wanted > 1 and query_param(next_url, "page") == "2":
            template = next_url
            step = wanted if window is None else window
            last: _RawPage = first
            while number < wanted:
                numbers = list(range(number + 1, min(wanted, number + step) + 1))
                for result in await self._fetch_batch(template, numbers):
                    if isinstance(result, _End):
                        self._end_early(result.number)
                        return
                    last = result
                    yield self._check_drift(result)
                number = numbers[-1]
            next_url = last.next_url
        visited: set[str] = set()
        while next_url is not None:
            if next_url in visited:
                raise DecodeError(
                    f"the Link next loops back to {next_url}", operation=self._operation
                )
            visited.add(next_url)
            number += 1
            try:
                page = self._accept(await self._fetch(next_url, None), number)
            except NotFoundError:
                self._end_early(number)
                return
            yield page
            next_url = page.next_url

    def _pages_wanted(self, first: _RawPage) -> int:
        """Pages to fetch by number (1 when the list cannot be fetched concurrently)."""
        if first.total is None or first.next_url is None or not first.rows:
            return 1
        size = len(first.rows)  # the page size the server used: page 1 is full when next exists
        wanted = max(1, math.ceil(first.total / size))
        if self._limit is not None:
            wanted = min(wanted, math.ceil(self._limit / size))
        return wanted

    async def _fetch_batch(self, template: str, numbers: list[int]) -> list[_RawPage | _End]:
        """Fetch pages ``numbers`` concurrently (bounded by the transport's limiter).

        Workers keep errors instead of raising them, so the caller sees the error of the lowest
        page, never an exception group; any error but a 404 cancels the other fetches.
        """
        results: dict[int, _RawPage | Exception] = {}
        pending: Iterator[int] = iter(numbers)

        async def worker(cancel_scope: anyio.CancelScope) -> None:
            for number in pending:
                url = replace_query_param(template, "page", str(number))
                try:
                    results[number] = self._parse(await self._fetch(url, None), number)
                except Exception as exc:  # re-raised below, in page order
                    results[number] = exc
                    if not isinstance(exc, NotFoundError):
                        cancel_scope.cancel()
                        return

        async with anyio.create_task_group() as group:
            for _ in range(min(len(numbers), self._concurrency)):
                group.start_soon(worker, group.cancel_scope)
        for _, result in sorted(results.items()):
            if isinstance(result, Exception) and not isinstance(result, NotFoundError):
                raise result
        ordered: list[_RawPage | _End] = []
        for number in numbers:
            page = results[number]
            if isinstance(page, Exception):
                ordered.append(_End(number))
                break
            ordered.append(page)
        return ordered

    def _accept(self, resp: Response, number: int) -> _RawPage:
        return self._check_drift(self._parse(resp, number))

    def _parse(self, resp: Response, number: int) -> _RawPage:
        """A page from its response; counts it and reports progress."""
        if not isinstance(resp.data, list):
            raise DecodeError(
                f"expected a JSON array for page {number}, got {type(resp.data).__name__}",
                operation=self._operation, method="GET", url=resp.url,
                status_code=resp.status_code,
            )
        self.pages_fetched += 1
        self._rows_fetched += len(resp.data)
        if self._progress is not None:
            done = self._rows_fetched
            total = resp.result_count if self.total is None else self.total
            if self._limit is not None:
                done = min(done, self._limit)
                total = self._limit if total is None else min(total, self._limit)
            self._progress(done, total)
        items, failures = self._prepare(resp.data)
        return _RawPage(
            number, resp.data, resp.result_count, resp.links.get("next"), items, failures
        )

    def _prepare(self, rows: list[Any]) -> tuple[list[Any], dict[int, Exception]]:
        """``item`` applied to every row as soon as its page arrives.

        Pages are parsed by the fetch workers, so this work is done while later pages are
        still on the way instead of after the last one. A row that ``item`` rejects keeps its
        exception; ``_pages`` raises it only if the row is really used (not a duplicate, not
        past ``limit``), as if ``item`` had been called then.
        """
        item = self._item
        items: list[Any] = []
        append = items.append
        failures: dict[int, Exception] = {}
        for index, row in enumerate(rows):
            try:
                append(item(row))
            except Exception as exc:
                failures[index] = exc
                append(None)
        return items, failures

    def _check_drift(self, page: _RawPage) -> _RawPage:
        """Record (and warn about, or in strict mode refuse) a changed ``X-Result-Count``."""
        if page.number > 1 and self.total is not None and page.total is not None and (
            page.total != self.total
        ):
            self._drift_counts.append((page.number, page.total))
            self._report_drift()
        return page

    def _end_early(self, number: int) -> None:
        """Page ``number`` vanished (404): the list shrank while it was read."""
        self._vanished_page = number
        self._report_drift()

    def _report_drift(self) -> None:
        drift = self.drift
        assert drift is not None
        if self._strict:
            raise CountDriftError(str(drift), operation=self._operation, url=self._path)
        if not self._warned:
            self._warned = True
            warnings.warn(f"{self._label}: {drift}", CountDriftWarning, stacklevel=4)
