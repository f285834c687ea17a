"""Fetching Waldur lists: concurrent page fetches, in-order iterators, and a truthful account
of what went wrong.

A Waldur list answers with a JSON array, the total in ``X-Result-Count`` and a ``Link`` header
(``first``/``prev``/``next``/``last``). Lists without ``Link`` are one page. Which pages are
fetched, and what is trusted from the server, is ``_page_fetch`` and ``_page_wire``; this
module hands the items out.

Structured concurrency on asyncio and trio: the paginator is a cursor, not an async generator.
Its state lives in attributes (the fetched pages not yet handed out, the next page number, the
keys seen, the drift so far), and a call that needs pages fetches them in an anyio task group
that it enters and fully exits before it returns. ``collect()`` fetches all remaining pages in
one group; the iterators fetch a bounded window of pages (default ``2 * max_concurrency``) per
group, then hand out its items. So no task is alive and no generator frame is suspended while
the consumer holds control: an early ``break`` or an abandoned iterator leaves nothing running
and nothing to finalise, and memory holds one window at most.

Within one iteration no item is yielded twice: items whose identity (``key(row)``, by default
the ``uuid``) was already seen are skipped. At the end of a list whose count held, the distinct
items are counted against it: fewer means the server's ordering is not unique (pages
overlapped), and the pages are read again (``rereads`` times at most) to find the rest. What
was found wrong is reported as ``_page_report`` describes.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Hashable
from types import TracebackType
from typing import Any, NoReturn, TypeVar

from puhuri_async._compact import Compactor
from puhuri_async._config import Timeout, check_callables, check_int
from puhuri_async._errors import (
    CountDriftError,
    FilterIgnoredError,
    InvalidArgumentError,
    PuhuriError,
    UnstableOrderError,
)
from puhuri_async._gc_pause import fewer_collections
from puhuri_async._page_fetch import End, Fetcher, PageSource, Phase, RawPage
from puhuri_async._page_items import Ledger, Page, RowCheck, uuid_key
from puhuri_async._page_report import CountDrift, ignored_message
from puhuri_async._page_wire import encode_query
from puhuri_async._warnings import (
    CountDriftWarning,
    FilterIgnoredWarning,
    UnstableOrderWarning,
    here,
    warn,
)

__all__ = ["CountDrift", "Page", "Paginator", "RowCheck", "uuid_key"]

T = TypeVar("T")


class Paginator(AsyncIterator[T]):
    """An async iterator over the items of a Waldur list (made by ``Transport.paginate``).

    Consume it once, in one of three ways: ``async for item in paginator``, ``async for page in
    paginator.pages()`` or ``await paginator.collect()``. Attributes, filled in as pages arrive:
    ``total`` (``X-Result-Count`` of page 1), ``drift`` (a ``CountDrift`` or ``None``),
    ``pages_fetched`` and ``ignored_filters`` (filter name → rows dropped).

    - ``limit`` stops after that many items without fetching a page it does not need;
      ``progress(done, total)`` is called as pages arrive; ``window`` is the number of pages
      fetched concurrently per step of the item and page iterators.
    - ``key(row)`` gives an item's identity for deduplication (default: its ``uuid``; ``None``
      means "do not deduplicate"). ``item(row)`` makes what is handed out for a row;
      ``items(rows, page_url)``, if given, does it for a whole page at once (``None``: take
      this page row by row with ``item``).
    - ``order``: an ``o=`` value that orders the list uniquely, sent unless the query has an
      ``o`` already (so LIMIT/OFFSET pages cannot overlap). ``rereads``: how many times the
      pages may be read again when a steady count meets fewer distinct items.
    - ``row_check(row)``: names a filter of the request a row fails; such rows are dropped.
    - ``strict``: raise instead of warning (see ``_page_report``).
    """

    def __init__(
        self,
        source: PageSource,
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
        key: Callable[[dict[str, Any]], Hashable | None] | None = None,
        items: Callable[[list[Any], str], list[T] | None] | None = None,
        timeout: Timeout | None = None,
        order: str | None = None,
        rereads: int = 2,
        row_check: RowCheck | None = None,
    ) -> None:
        check_int("page_size", page_size, 1)
        for name, value in (("limit", limit), ("window", window)):
            if value is not None:
                check_int(name, value, 1)
        check_int("rereads", rereads, 0)
        if not callable(item):
            raise InvalidArgumentError("item", "must be callable")
        check_callables(items=items, progress=progress, row_check=row_check)
        reserved = {name for name, _ in params} & {"page", "page_size"}
        if reserved:
            raise InvalidArgumentError(
                "params", f"{sorted(reserved)} are set by the paginator (use page_size=)"
            )
        if order is not None:
            if not isinstance(order, str) or not order.strip():
                raise InvalidArgumentError("order", f"must be a non-empty str, got {order!r}")
            if all(name != "o" for name, _ in params):
                params = [*params, ("o", order)]
        self._source = source
        self._path = path
        self._operation = operation
        self._label = f"{operation} ({path})" if operation else path
        self._ledger: Ledger[T] = Ledger(
            item=item,
            items=items,
            key=key,
            limit=limit,
            row_check=row_check,
            label=(operation, source.url(path)),
        )
        self._strict = strict
        concurrency = source.max_concurrency
        self._window = window if window is not None else 2 * concurrency
        self._rereads = rereads
        self._fetcher = Fetcher(
            source,
            path,
            encode_query(params),
            operation=operation,
            page_size=min(page_size, limit) if limit is not None else page_size,
            limit=limit,
            concurrency=concurrency,
            timeout=timeout,
            prepare=self._ledger.prepare,
            progress=progress,
        )
        self._site = here()  # the caller's line, for warnings issued where it cannot be seen
        self._drift_counts: list[tuple[int, int]] = []
        self._vanished_page: int | None = None
        self._missing = 0
        self._passes = 0
        self._warned = False
        self._ended = False
        self.ignored_filters: dict[str, int] = {}
        """Filter name → rows dropped because they fail it (the server did not apply it)."""
        # How the paginator is consumed: None (not yet), "items", "pages", "collect", "closed".
        self._mode: str | None = None
        self._busy = False
        # The item iterator's current page.
        self._buffer: list[T] = []
        self._position = 0

    @property
    def total(self) -> int | None:
        """``X-Result-Count`` of page 1 (``None`` before it arrives or when absent)."""
        return self._fetcher.total

    @property
    def pages_fetched(self) -> int:
        """Pages fetched so far (pages read again included)."""
        return self._fetcher.pages_fetched

    @property
    def drift(self) -> CountDrift | None:
        """What differed from a steady read of the list, or ``None`` if nothing did."""
        ledger = self._ledger
        if not (
            self._drift_counts
            or ledger.duplicates
            or self._vanished_page is not None
            or self._missing
            or ledger.recovered
        ):
            return None
        return CountDrift(
            self.total,
            tuple(self._drift_counts),
            ledger.duplicates,
            self._vanished_page,
            self._missing,
            self._passes,
            ledger.recovered,
        )

    def __repr__(self) -> str:
        return f"<Paginator {self._label} total={self.total} pages_fetched={self.pages_fetched}>"

    # Where the fetching stands (the sync facade's tests look at these).
    @property
    def _phase(self) -> Phase:
        return self._fetcher.phase

    @property
    def _queue(self) -> deque[RawPage | End]:
        return self._fetcher.queue

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
        """An async iterator over the pages (``Page``), in server order; pages read again to
        recover items come last, with their numbers again and only the items not seen before."""
        self._start("pages")
        return _Pages(self)

    async def collect(self) -> list[T]:
        """Every item in a list; all pages after the first are fetched concurrently."""
        self._start("collect")
        self._ledger.compactor = Compactor(lambda: self.total, self._ledger.limit)  # kept items
        out: list[T] = []
        with fewer_collections():  # the items are kept: scanning them again finds nothing
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
        self._ended = True
        self._fetcher.finish()

    # -- pages, one at a time -----------------------------------------------------------------

    async def _next_page(self, window: int | None) -> Page[T] | None:
        """The next page, duplicates removed, ``item`` applied, ``limit`` honoured; ``None`` at
        the end. When no fetched page is waiting, the next window (``None``: every remaining
        page) is fetched first. Any exception ends the iteration, as it would a generator's."""
        if self._busy:
            raise RuntimeError(f"{self._label}: the paginator is already fetching in another task")
        self._busy = True
        fetcher = self._fetcher
        try:
            while True:
                if self._ledger.full:
                    self._finish()
                    return None
                queue = fetcher.queue
                if not queue:
                    if fetcher.phase is Phase.DONE and (self._ended or not self._at_end()):
                        return None
                    await fetcher.step(window)
                    continue
                raw = queue.popleft()
                if isinstance(raw, End):
                    self._finish()
                    self._vanished_page = raw.number
                    self._report_drift()
                    return None
                self._check_drift(raw)
                page, ignored = self._ledger.take(raw)
                if ignored:
                    self._report_ignored(ignored)
                return page
        except PuhuriError as exc:
            self._finish()
            self._source.redact(exc)
            raise
        except BaseException:
            self._finish()
            raise
        finally:
            self._busy = False

    # -- what went wrong ----------------------------------------------------------------------

    def _check_drift(self, page: RawPage) -> None:
        """Record (and warn about, or in strict mode refuse) a changed ``X-Result-Count``."""
        total = self.total
        if (
            (page.number > 1 or page.reread)
            and total is not None
            and page.total is not None
            and page.total != total
        ):
            self._drift_counts.append((page.number, page.total))
            self._report_drift()

    def _at_end(self) -> bool:
        """At the end of the pages: whether to read them again (the count held, but fewer
        distinct items came); otherwise report what was found, once."""
        fetcher = self._fetcher
        drift = self.drift
        if fetcher.total is None or not fetcher.paged or (drift is not None and drift.changed):
            self._ended = True
            return False
        ledger = self._ledger
        missing = fetcher.total - len(ledger.seen) - ledger.keyless
        if (
            missing > 0
            and self._passes < self._rereads
            and not ledger.keyless  # rows without identity would come twice
            and fetcher.plan_reread()
        ):
            self._passes += 1
            return True
        self._ended = True
        self._missing = max(missing, 0)
        if ledger.duplicates or self._missing or ledger.recovered:
            self._report_unstable()
        return False

    def _report_drift(self) -> None:
        drift = self.drift
        assert drift is not None
        if self._strict:
            raise CountDriftError(str(drift), operation=self._operation, url=self._path)
        if not self._warned:
            self._warned = True
            warn(f"{self._label}: {drift}", CountDriftWarning, fallback=self._site)

    def _report_unstable(self) -> None:
        drift = self.drift
        assert drift is not None
        if self._strict and self._missing:
            raise UnstableOrderError(
                str(drift), missing=self._missing, operation=self._operation, url=self._path
            )
        warn(f"{self._label}: {drift}", UnstableOrderWarning, fallback=self._site)

    def _report_ignored(self, ignored: Counter[str]) -> None:
        first = not self.ignored_filters.keys() >= ignored.keys()
        for name, count in ignored.items():
            self.ignored_filters[name] = self.ignored_filters.get(name, 0) + count
        if self._strict:
            raise FilterIgnoredError(
                ignored_message(self.ignored_filters),
                filters=self.ignored_filters,
                operation=self._operation,
                url=self._path,
            )
        if first:
            warn(
                f"{self._label}: {ignored_message(dict(ignored))}",
                FilterIgnoredWarning,
                fallback=self._site,
            )


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
