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

Structured concurrency on asyncio and trio: the paginator is a cursor, not an async generator.
Its state lives in attributes (the fetched pages not yet handed out, the next page number or
``next`` URL, the keys seen, the drift so far), and a call that needs pages fetches them in an
anyio task group that it enters and fully exits before it returns. ``collect()`` fetches all
remaining pages in one group; the iterators fetch a bounded window of pages (default
``2 * max_concurrency``) per group, then hand out its items. So no task is alive and no
generator frame is suspended while the consumer holds control: an early ``break`` or an
abandoned iterator leaves nothing running and nothing to finalise (trio warns about unexhausted
async generators; a cursor has none), and memory holds one window at most. (A background
prefetch task would overlap fetching with consuming, but it would outlive the call that
started it.)

Within one iteration no item is yielded twice: items whose identity (``key(row)``, by default
the ``uuid``) was already seen are skipped (pages shift when objects are added during the read).
Lists whose objects have no ``uuid`` (project permissions) pass a ``key`` of their own. When
``X-Result-Count`` changes during the iteration, a ``CountDriftWarning`` is issued and
``drift`` describes it; with ``strict=True`` ``CountDriftError`` is raised instead.
"""

from __future__ import annotations

import enum
import math
import warnings
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Hashable,
    Iterator,
)
from itertools import repeat
from types import TracebackType
from typing import Any, Generic, NoReturn, TypeAlias, TypeVar

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


def _keys(key_of: Callable[[dict[str, Any]], Hashable | None], rows: list[Any]) -> list[Any]:
    """``key_of`` of every row (all plain dicts); ``uuid_key`` without a Python call per row."""
    if key_of is uuid_key:
        keys = list(map(dict.get, rows, repeat("uuid")))
        if _UUID_KEY_TYPES.issuperset(map(type, keys)):
            return keys  # what uuid_key gives: a str, or None for a missing or null uuid
    return list(map(key_of, rows))


_UUID_KEY_TYPES = {str, type(None)}


class _Phase(enum.Enum):
    """Where the list's fetching stands (see ``Paginator._fetch_step``)."""

    FIRST = "page 1 not fetched yet"
    NUMBERED = "pages fetched by number, a window at a time"
    LINKS = "following Link next, one page at a time"
    DONE = "nothing left to fetch"


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
    ``item(row)`` makes what is handed out for a row; ``items(rows)``, if given, does it for a
    whole page at once (``None``: take this page row by row with ``item``), for lists long
    enough that a Python call per row counts.

    It is a cursor, not an async generator: its whole state is in attributes (the pages of the
    current window not yet handed out, the next page number or ``next`` URL, the keys seen, the
    drift so far), and each step that needs pages fetches a window in a task group it enters
    and leaves within that one call. Between items nothing is running and nothing needs
    finalising, so breaking out of ``async for`` and dropping the paginator is safe on asyncio
    and trio alike; ``aclose()`` only drops the state.
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
        items: Callable[[list[Any]], list[T] | None] | None = None,
    ) -> None:
        _check_positive("page_size", page_size)
        _check_positive("limit", limit, allow_none=True)
        _check_positive("window", window, allow_none=True)
        _check_positive("concurrency", concurrency)
        if not callable(item):
            raise InvalidArgumentError("item", "must be callable")
        if items is not None and not callable(items):
            raise InvalidArgumentError("items", "must be callable")
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
        self._items = items
        self._key = key if key is not None else uuid_key
        self._params = params
        self._page_size = min(page_size, limit) if limit is not None else page_size
        self._limit = limit
        self._progress = progress
        self._strict = strict
        self._concurrency = concurrency
        self._window = window if window is not None else 2 * concurrency
        self.total: int | None = None
        """``X-Result-Count`` of page 1 (``None`` before it arrives or when absent)."""
        self.pages_fetched = 0
        """Pages fetched so far."""
        self._drift_counts: list[tuple[int, int]] = []
        self._duplicates = 0
        self._vanished_page: int | None = None
        self._warned = False
        self._rows_fetched = 0
        # How the paginator is consumed: None (not yet), "items", "pages", "collect", "closed".
        self._mode: str | None = None
        self._busy = False
        # The fetching state (see ``_fetch_step``).
        self._phase = _Phase.FIRST
        self._number = 0  # the highest page number requested so far
        self._wanted = 1  # pages to fetch by number
        self._template = ""  # the ``next`` link of page 1, whose ``page`` is replaced
        self._next_url: str | None = None
        self._visited: set[str] = set()
        self._queue: deque[_RawPage | _End] = deque()  # fetched, not yet handed out
        # The handing-out state: keys seen, items taken, the page the item iterator is in.
        self._seen: set[Hashable] = set()
        self._taken = 0
        self._buffer: list[T] = []
        self._position = 0

    @property
    def drift(self) -> CountDrift | None:
        """What changed on the server during the iteration, or ``None`` if nothing did."""
        if not (self._drift_counts or self._duplicates or self._vanished_page is not None):
            return None
        return CountDrift(
            self.total, tuple(self._drift_counts), self._duplicates, self._vanished_page
        )

    def __repr__(self) -> str:
        return f"<Paginator {self._label} total={self.total} pages_fetched={self.pages_fetched}>"

    # -- the three ways to consume ------------------------------------------------------------

    def __aiter__(self) -> Paginator[T]:
        return self

    async def __anext__(self) -> T:
        position = self._position
        buffer = self._buffer
        if position < len(buffer):
            self._position = position + 1
            return buffer[position]
        if self._mode is None:
            self._start("items")
        elif self._mode not in ("items", "closed"):
            self._start("items")  # raises: consumed another way
        while True:
            page = await self._next_page(self._window)
            if page is None:
                self._buffer, self._position = [], 0
                raise StopAsyncIteration
            if page.items:
                self._buffer, self._position = page.items, 1
                return page.items[0]

    def pages(self) -> AsyncGenerator[Page[T], None]:
        """An async iterator over the pages (``Page``), in server order."""
        self._start("pages")
        return _Pages(self)

    async def collect(self) -> list[T]:
        """Every item in a list; all pages after the first are fetched concurrently."""
        self._start("collect")
        out: list[T] = []
        while (page := await self._next_page(None)) is not None:
            out.extend(page.items)
        return out

    async def aclose(self) -> None:
        """Stop the iteration: drop what was fetched and not handed out (nothing is running).

        Later ``__anext__`` calls end the iteration; ``pages()`` and ``collect()`` refuse.
        """
        if self._mode is None:
            self._mode = "closed"
        self._finish()
        self._buffer, self._position = [], 0

    def _start(self, mode: str) -> None:
        if self._mode is not None:
            raise PuhuriError(
                f"{self._label}: this paginator was already consumed; ask for a new one"
            )
        self._mode = mode

    def _finish(self) -> None:
        """Nothing more will be fetched or handed out."""
        self._phase = _Phase.DONE
        self._queue.clear()

    # -- pages, one at a time -----------------------------------------------------------------

    async def _next_page(self, window: int | None) -> Page[T] | None:
        """The next page, duplicates removed, ``item`` applied, ``limit`` honoured; ``None`` at
        the end. When no fetched page is waiting, the next window (``None``: every remaining
        page) is fetched first. Any exception ends the iteration, as it would a generator's."""
        if self._busy:
            raise RuntimeError(f"{self._label}: the paginator is already fetching in another task")
        self._busy = True
        try:
            while True:
                limit = self._limit
                if limit is not None and self._taken >= limit:
                    self._finish()
                    return None
                queue = self._queue
                if not queue:
                    if self._phase is _Phase.DONE:
                        return None
                    await self._fetch_step(window)
                    continue
                raw = queue.popleft()
                if isinstance(raw, _End):
                    self._finish()
                    self._end_early(raw.number)
                    return None
                self._check_drift(raw)
                return self._page_of(raw)
        except BaseException:
            self._finish()
            raise
        finally:
            self._busy = False

    def _page_of(self, raw: _RawPage) -> Page[T]:
        """The page handed out for ``raw``: repeated keys skipped, at most ``limit`` items.

        A row that ``item`` rejected raises its error here, if it is really used. The usual
        page (JSON objects only, no repeated key, none rejected, all within ``limit``) is
        decided with set operations and hands out ``raw.items`` as it is.
        """
        rows = raw.rows
        limit = self._limit
        room = len(rows) if limit is None else limit - self._taken
        seen = self._seen
        key_of = self._key
        keys: list[Hashable | None] | None = None
        if room >= len(rows) and not raw.failures and set(map(type, rows)) <= {dict}:
            keys = _keys(key_of, rows)
            fresh = set(keys)
            fresh.discard(None)
            if len(fresh) == len(keys) - keys.count(None) and seen.isdisjoint(fresh):
                seen |= fresh
                self._taken += len(rows)
                return Page(raw.number, raw.items, raw.total)
        failures = raw.failures
        prepared = raw.items
        items: list[T] = []
        append = items.append
        for index, row in enumerate(rows):
            if len(items) >= room:
                break
            if keys is not None:
                key = keys[index]
            else:
                key = key_of(row) if isinstance(row, dict) else None
            if key is not None:
                if key in seen:
                    self._duplicates += 1
                    continue
                seen.add(key)
            if failures and index in failures:
                raise failures[index]
            append(prepared[index])
        self._taken += len(items)
        return Page(raw.number, items, raw.total)

    async def _fetch_step(self, window: int | None) -> None:
        """Fetch the next pages into the queue, in server order; see the module docs.

        Page 1 alone; then by number, ``window`` pages at a time (``None``: all that remain)
        in one task group, fully exited before this returns; then ``next`` links one by one.
        A page that vanished (404) is queued as ``_End``.
        """
        if self._phase is _Phase.FIRST:
            query = [*self._params, ("page", "1"), ("page_size", str(self._page_size))]
            first = self._parse(await self._fetch(self._path, query), 1)
            self.total = first.total
            self._queue.append(first)
            self._wanted = self._pages_wanted(first)
            self._number = 1
            next_url = first.next_url
            if next_url is not None and self._wanted > 1 and query_param(next_url, "page") == "2":
                self._phase, self._template = _Phase.NUMBERED, next_url
            else:
                self._follow(next_url)
        elif self._phase is _Phase.NUMBERED:
            last = self._wanted if window is None else min(self._wanted, self._number + window)
            numbers = list(range(self._number + 1, last + 1))
            results = await self._fetch_batch(self._template, numbers)
            self._queue.extend(results)
            self._number = numbers[-1]
            tail = results[-1]
            if isinstance(tail, _End):
                self._phase = _Phase.DONE
            elif self._number >= self._wanted:
                self._follow(tail.next_url)  # the list may have grown past its first count
        elif self._phase is _Phase.LINKS:
            next_url = self._next_url
            assert next_url is not None
            if next_url in self._visited:
                raise DecodeError(
                    f"the Link next loops back to {next_url}", operation=self._operation
                )
            self._visited.add(next_url)
            self._number += 1
            try:
                page = self._parse(await self._fetch(next_url, None), self._number)
            except NotFoundError:
                self._queue.append(_End(self._number))
                self._phase = _Phase.DONE
                return
            self._queue.append(page)
            self._follow(page.next_url)

    def _follow(self, next_url: str | None) -> None:
        """Go on by ``next`` links from ``next_url`` (the end if there is none)."""
        self._next_url = next_url
        self._phase = _Phase.DONE if next_url is None else _Phase.LINKS

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

    def _parse(self, resp: Response, number: int) -> _RawPage:
        """A page from its response; counts it and reports progress."""
        if not isinstance(resp.data, list):
            raise DecodeError(
                f"expected a JSON array for page {number}, got {type(resp.data).__name__}",
                operation=self._operation,
                method="GET",
                url=resp.url,
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
        """``item`` applied to every row as soon as its page arrives (by ``items`` at once when
        it takes the page).

        Pages are parsed by the fetch workers, so this work is done while later pages are
        still on the way instead of after the last one. A row that ``item`` rejects keeps its
        exception; ``_page_of`` raises it only if the row is really used (not a duplicate, not
        past ``limit``), as if ``item`` had been called then.
        """
        if self._items is not None:
            whole = self._items(rows)
            if whole is not None:
                return whole, {}
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
        return items, failures

    def _check_drift(self, page: _RawPage) -> None:
        """Record (and warn about, or in strict mode refuse) a changed ``X-Result-Count``."""
        if (
            page.number > 1
            and self.total is not None
            and page.total is not None
            and (page.total != self.total)
        ):
            self._drift_counts.append((page.number, page.total))
            self._report_drift()

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
            warnings.warn(f"{self._label}: {drift}", CountDriftWarning, stacklevel=5)


class _Pages(AsyncGenerator[Page[T], None]):
    """``Paginator.pages()``: the paginator's pages, with the async generator interface the
    callers use (``async for``, ``__anext__``, ``aclose()``) but no generator frame: each page
    is one ``Paginator._next_page`` call."""

    def __init__(self, paginator: Paginator[T]) -> None:
        self._paginator = paginator

    def __aiter__(self) -> _Pages[T]:
        return self

    async def __anext__(self) -> Page[T]:
        paginator = self._paginator
        page = await paginator._next_page(paginator._window)
        if page is None:
            raise StopAsyncIteration
        return page

    async def asend(self, value: None) -> Page[T]:
        if value is not None:
            raise TypeError("the pages iterator takes no values")
        return await self.__anext__()

    async def athrow(
        self,
        typ: type[BaseException] | BaseException,
        val: object = None,
        tb: TracebackType | None = None,
    ) -> NoReturn:
        """End the iteration and raise the given exception (nothing runs that could catch it)."""
        self._paginator._finish()
        if isinstance(typ, BaseException):
            raise typ.with_traceback(tb) if tb is not None else typ
        if isinstance(val, BaseException):
            raise val.with_traceback(tb) if tb is not None else val
        raise typ() if val is None else typ(val)

    async def aclose(self) -> None:
        """End the iteration (nothing is running; this only drops the fetched pages)."""
        self._paginator._finish()
