"""Which pages of a list to fetch, and fetching them: the paginator's engine.

1. Page 1 is fetched with the pages the list is likely to have, at once: the pages it had when
   the transport last read it (``_adaptive``'s ``Counts``; one window at most), or for a list
   not read yet ``first_window`` pages (4 by default), fewer when the last list read at the
   same URL was shorter (``Counts.guess``; 1: page 1 alone). Page 1's size (the page size the
   server really used) and ``X-Result-Count`` give the number of pages; pages fetched past it
   are dropped, whatever they answered (a page past the end answers 404: the cost of a guess
   too high is a few short requests, once per list, and no round trip).
2. With a count and a ``next`` page, the remaining pages are fetched concurrently, ``window``
   at a time (``None``: all at once), as many at once as the transport's pacer allows
   (``_adaptive``: at most ``max_concurrency``, fewer when the latency says the server
   queues). Without a count, one page at a time while each says there is a ``next``. If the
   last counted page still has a ``next`` (the list grew), it is followed. The list ends only
   where there is no ``next`` page, never on an empty page alone.
3. A page past the first that answers 404 (DRF's ``{"detail": "Invalid page."}``) means the
   list shrank while it was read: that is the end (``End``), reported as drift.
4. On request (``plan_reread``) the pages of the first pass are fetched again, to find items
   that overlapping pages hid.

Every page URL is the client's own (``_page_wire``); each answer is checked before it is
queued, and no list may take more than ``ResponseLimits.max_pages`` page requests.
"""

from __future__ import annotations

import enum
import itertools
import math
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import anyio
import attrs

from puhuri_async._adaptive import learned
from puhuri_async._config import ResponseLimits, Timeout
from puhuri_async._errors import DecodeError, NotFoundError, PaginationError, PuhuriError
from puhuri_async._exchange import Received
from puhuri_async._page_wire import page_number, page_url, parse_count, parse_links, same_list
from puhuri_async._response import Response
from puhuri_async._urls import Origin, check_origin

__all__ = ["End", "Fetcher", "PageSource", "Prepared", "RawPage"]


class PageSource(Protocol):
    """What the paginator needs of the HTTP core (``puhuri_async._http.Transport``)."""

    @property
    def origin(self) -> Origin: ...

    @property
    def max_concurrency(self) -> int: ...

    @property
    def response_limits(self) -> ResponseLimits: ...

    @property
    def troubles(self) -> int:
        """Retries taken and ``429`` answers so far (the pacer backs off when it grows)."""
        ...

    @property
    def learner(self) -> object:
        """What the pacer and the remembered counts belong to (``_adaptive.learned``): the
        transport, also for a source that wraps it."""
        ...

    def url(self, path: str) -> str: ...

    async def get_page(
        self,
        url: str,
        *,
        operation: str,
        timeout: Timeout | None = None,  # noqa: ASYNC109 - per-call timeouts and deadline
        received: Received | None = None,
        speculative: bool = False,
    ) -> Response:
        """GET one page; ``received`` is awaited once its 2xx body is read, before it is
        decoded (``_exchange``). ``speculative``: a page that may lie past the end of the
        list, asked for before its count is known: a ``404`` is raised but not counted as a
        failed request."""
        ...

    @property
    def first_window(self) -> int:
        """Pages asked for at once on the first read of a list (see ``Fetcher``)."""
        ...

    def redact(self, error: PuhuriError) -> PuhuriError: ...


@attrs.frozen
class RawPage:
    """A decoded page, its rows already passed through ``prepare``.

    ``items[i]`` is the prepared ``rows[i]``; ``failures`` maps the index of a row whose
    preparation raised to that exception (raised only if the row is used). ``planned``: one of
    the pages page 1's count announced; ``reread``: fetched again to recover items. ``keys``:
    the identities of the rows, when they were found as the page arrived (``None``: they are
    found when the page is taken).
    """

    number: int
    rows: list[Any]
    total: int | None
    has_next: bool
    items: list[Any] = attrs.field(factory=list)
    failures: dict[int, Exception] = attrs.field(factory=dict)
    planned: bool = True
    reread: bool = False
    keys: list[Any] | None = None


@attrs.frozen
class Prepared:
    """What ``prepare(rows, url)`` made of a page's rows as it arrived (see ``RawPage``)."""

    items: list[Any]
    failures: dict[int, Exception]
    keys: list[Any] | None = None


@attrs.frozen
class End:
    """A page past the first answered 404: the list shrank."""

    number: int


class Phase(enum.Enum):
    """Where the fetching stands."""

    FIRST = "page 1 not fetched yet"
    NUMBERED = "pages fetched by number, a window at a time"
    LINKS = "one page at a time while there is a next"
    REREAD = "the pages read again"
    DONE = "nothing left to fetch"


Prepare = Callable[[list[Any], str], Prepared]


class Fetcher:
    """The fetching state of one paginator: what was planned, fetched and queued."""

    def __init__(
        self,
        source: PageSource,
        path: str,
        query: str,
        *,
        operation: str | None,
        page_size: int,
        limit: int | None,
        concurrency: int,
        timeout: Timeout | None,
        prepare: Prepare,
        progress: Callable[[int, int | None], None] | None,
    ) -> None:
        self._source = source
        self.list_url = source.url(path)
        self._list_prefix = self.list_url + "?"
        self._query = query
        self._operation = operation
        self._label = operation or path
        self._page_size = page_size
        self._limit = limit
        self._concurrency = concurrency
        self._timeout = timeout
        self._prepare = prepare
        self._progress = progress
        self._max_pages = source.response_limits.max_pages
        self.queue: deque[RawPage | End] = deque()
        self.phase = Phase.FIRST
        self.total: int | None = None
        """``X-Result-Count`` of page 1."""
        self.paged = False
        """Whether page 1 came with a ``Link`` header (a paged list, not a plain one)."""
        self.pages_fetched = 0
        self.number = 0  # the highest page number of the first pass requested so far
        self._wanted = 1  # pages of the first pass to fetch by number
        self._rows_fetched = 0
        self._reread: Iterator[int] = iter(())
        self._rereading = 0
        learnt = learned(source.learner, concurrency)
        self._pacer = learnt.pacer
        self._counts = learnt.counts
        self._first_window = source.first_window
        self._count_key = (self.list_url, query, self._page_size)
        self._fastest = math.inf  # the fastest page of this list so far (seconds)

    # -- steps ----------------------------------------------------------------------------------

    async def step(self, window: int | None) -> None:
        """Fetch the next pages into ``queue``, in server order (see the module docs)."""
        if self.phase is Phase.FIRST:
            await self._first(window)
        elif self.phase is Phase.NUMBERED:
            last = self._wanted if window is None else min(self._wanted, self.number + window)
            numbers = list(range(self.number + 1, last + 1))
            results = await self._batch(numbers, planned=True, reread=False)
            self.queue.extend(results)
            self.number = numbers[-1]
            tail = results[-1]
            if isinstance(tail, End):
                self.phase = Phase.DONE
            elif self.number >= self._wanted:  # the list may have grown past its first count
                self.phase = Phase.LINKS if tail.has_next else Phase.DONE
        elif self.phase is Phase.LINKS:
            self._room_for(1, "the server keeps announcing a next page")
            self.number += 1
            try:
                page = await self._get(self.number, planned=False)
            except NotFoundError:
                self.queue.append(End(self.number))
                self.phase = Phase.DONE
                return
            self.queue.append(page)
            if not page.has_next:
                self.phase = Phase.DONE
        elif self.phase is Phase.REREAD:
            numbers = list(itertools.islice(self._reread, window or self._rereading))
            if not numbers:
                self.phase = Phase.DONE
                return
            results = await self._batch(numbers, planned=True, reread=True)
            self.queue.extend(results)
            if isinstance(results[-1], End):
                self.phase = Phase.DONE

    async def _first(self, window: int | None) -> None:
        """Page 1, and with it the pages the list is likely to have (``_first_numbers``): what
        page 1 says decides, the pages past its count are dropped, whatever they answered."""
        numbers = self._first_numbers(window)
        fetched: dict[int, RawPage | Exception]
        if len(numbers) > 1:
            fetched = await self._first_batch(numbers)
        else:
            fetched = {1: await self._get(1, planned=True)}
        first = fetched.pop(1)
        assert isinstance(first, RawPage)  # page 1's errors are raised
        self.total = first.total
        self.queue.append(first)
        self._remember(first)
        if not first.has_next:
            self.number = 1
            self.phase = Phase.DONE
            return
        self._wanted = self._pages_wanted(first)
        kept = self._kept(fetched, min(self._wanted, len(numbers)))
        for page in kept:  # their rows count once page 1 has said they belong to the list
            if isinstance(page, RawPage):
                self._rows_fetched += len(page.rows)
                self._report_progress(page.total)
        self.queue.extend(kept)
        tail = kept[-1] if kept else first
        self.number = tail.number
        if isinstance(tail, End):
            self.phase = Phase.DONE
        elif self.number >= self._wanted:  # the list may have grown past its first count
            self.phase = Phase.LINKS if tail.has_next else Phase.DONE
        else:
            self.phase = Phase.NUMBERED

    def _first_numbers(self, window: int | None) -> list[int]:
        """The pages asked for with page 1: the pages the list had when it was last read
        (``Counts``); for a list not read yet, a guess: the pages of the last list read at
        the same URL, at most ``first_window`` (and no more than may be out at once), or
        ``first_window`` when nothing was read there yet. A guess too high costs a few
        requests answered 404 (``Invalid page.``); too low, the round trip it saves."""
        known = self._counts.pages(self._count_key)
        if known is None:
            guess = self._counts.guess(self.list_url)
            known = min(self._first_window, self._concurrency)
            if guess is not None:
                known = min(known, guess)
        if self._limit is not None:
            known = min(known, math.ceil(self._limit / self._page_size))
        if window is not None:
            known = min(known, window + 1)
        known = min(known, self._max_pages - self.pages_fetched)
        return list(range(1, max(known, 1) + 1))

    def _remember(self, first: RawPage) -> None:
        """Keep the pages page 1 announces for the next read of this list (``Counts``); a
        list without paging or without a count is remembered as one page."""
        if not self.paged or first.total is None:
            self._counts.remember(self._count_key, 1, 1)
        elif first.rows or not first.has_next:
            used = len(first.rows) if first.has_next else max(first.total, 1)
            self._counts.remember(self._count_key, first.total, used)

    async def _first_batch(self, numbers: list[int]) -> dict[int, RawPage | Exception]:
        """Pages ``numbers`` (page 1 among them) at once, the others ``speculative``. Only an
        error of page 1 cancels the others and is raised: what another page answered matters
        only if page 1's count reaches it (``_kept``)."""
        results = await self._gather(
            numbers,
            planned=True,
            reread=False,
            speculative=True,
            stops=lambda number, exc: number == 1,
        )
        first = results[1]
        if isinstance(first, Exception):
            raise first
        return results

    def _kept(self, fetched: dict[int, RawPage | Exception], last: int) -> list[RawPage | End]:
        """Pages 2 to ``last`` of the first batch, in order: up to the first that answered
        404 (``End``: the list shrank); any other error among them is raised (in page order,
        as the numbered pages' are)."""
        kept: list[RawPage | End] = []
        for number in range(2, last + 1):
            page = fetched[number]
            if isinstance(page, NotFoundError):
                kept.append(End(number))
                break
            if isinstance(page, Exception):
                raise page
            kept.append(page)
        return kept

    def plan_reread(self) -> bool:
        """Read pages 1 to ``number`` again (False, and nothing planned, if that would pass
        ``max_pages``)."""
        if self.pages_fetched + self.number > self._max_pages:
            return False
        self._reread = iter(range(1, self.number + 1))
        self._rereading = self.number
        self.phase = Phase.REREAD
        return True

    def finish(self) -> None:
        """Nothing more will be fetched; drop what is queued."""
        self.phase = Phase.DONE
        self.queue.clear()

    # -- fetching -------------------------------------------------------------------------------

    def _room_for(self, pages: int, why: str) -> None:
        if self.pages_fetched + pages > self._max_pages:
            raise PaginationError(
                f"{why}: more than {self._max_pages} pages (ResponseLimits.max_pages)",
                operation=self._operation,
                method="GET",
                url=self.list_url,
            )

    def _pages_wanted(self, first: RawPage) -> int:
        """Pages to fetch by number (1 when the list cannot be fetched concurrently)."""
        if first.total is None or not first.rows:
            return 1
        size = len(first.rows)  # the page size the server used: page 1 is full when next exists
        wanted = max(1, math.ceil(first.total / size))
        if self._limit is not None:
            wanted = min(wanted, math.ceil(self._limit / size))
        self._room_for(wanted, f"X-Result-Count {first.total} means {wanted} pages of {size} items")
        return wanted

    async def _get(
        self, number: int, *, planned: bool, reread: bool = False, speculative: bool = False
    ) -> RawPage:
        """Page ``number``, fetched under a pacer slot and parsed.

        The slot is given back as soon as the page's body is read, before it is decoded
        (the transport awaits ``received`` then): a page waiting for a slot is sent first,
        and this page's JSON and items are made while it is on the way. At a high latency
        the pages of a round come back together, and each would otherwise hold the next
        request of its worker until the pages before it were decoded. The latency sampled
        is the server's answer, not the client's CPU. (The hand-over is one yield to the
        event loop: on asyncio the page given the slot runs next; trio orders each batch of
        ready tasks at random, so there it runs first about half of the time.)
        """
        url = page_url(self.list_url, self._query, number, self._page_size)
        source, pacer = self._source, self._pacer
        sent_with = await pacer.acquire()
        start = pacer.clock()
        held = True

        def give_back() -> bool:
            nonlocal held
            held = False
            latency = pacer.clock() - start
            self._fastest = fastest = min(self._fastest, latency)
            trouble = pacer.troubled(source.troubles)
            stretch = latency / fastest if fastest > 0 else 1.0
            return pacer.release(sent_with, stretch, trouble=trouble)

        async def received() -> None:
            if held and give_back():  # once: a retry's answer finds the slot given back
                await anyio.lowlevel.checkpoint()  # the page given the slot goes out first

        try:
            # A page woken at the pacer as its batch failed: its wait has ended, so the batch's
            # cancellation would reach it only at its next yield, once its request is written.
            await anyio.lowlevel.checkpoint_if_cancelled()
            response = await source.get_page(
                url,
                operation=self._label,
                timeout=self._timeout,
                received=received,
                speculative=speculative,
            )
        except NotFoundError:
            if held:
                pacer.release(sent_with, None)
            raise
        except Exception:
            if held:
                pacer.release(sent_with, None, trouble=True)
            raise
        except BaseException:  # cancelled: no sample
            if held:
                pacer.release(sent_with, None)
            raise
        if held:  # a page source that reads bodies without saying so
            give_back()
        return self._parse(
            response, number, planned=planned, reread=reread, counted=not speculative
        )

    async def _batch(
        self, numbers: list[int], *, planned: bool, reread: bool
    ) -> list[RawPage | End]:
        """Fetch pages ``numbers`` concurrently (``_gather``): the pages in order, up to the
        first that answered 404 past page 1 of the first pass (``End``: the list shrank); any
        other error cancels the other fetches and the lowest page's is raised."""

        def ends(exc: Exception, number: int) -> bool:
            """A 404 past page 1 of the first pass: the list shrank (page 1's is an error)."""
            return isinstance(exc, NotFoundError) and (number > 1 or reread)

        results = await self._gather(
            numbers,
            planned=planned,
            reread=reread,
            speculative=False,
            stops=lambda number, exc: not ends(exc, number),
        )
        for number, result in sorted(results.items()):
            if isinstance(result, Exception) and not ends(result, number):
                raise result
        ordered: list[RawPage | End] = []
        for number in numbers:
            page = results[number]
            if isinstance(page, Exception):
                ordered.append(End(number))
                break
            ordered.append(page)
        return ordered

    async def _gather(
        self,
        numbers: list[int],
        *,
        planned: bool,
        reread: bool,
        speculative: bool,
        stops: Callable[[int, Exception], bool],
    ) -> dict[int, RawPage | Exception]:
        """Pages ``numbers``, fetched concurrently (bounded by the pacer), by page number: each
        page or its error. An error for which ``stops(number, error)`` holds cancels the other
        fetches (those not fetched are missing). ``speculative``: every page but page 1 is.

        Workers keep errors instead of raising them, so the caller sees the error it chooses,
        never an exception group. There are twice as many workers as pages may be out at once:
        while one decodes its page, another waits at the pacer with the next number, sent the
        moment a slot is back.
        """
        results: dict[int, RawPage | Exception] = {}
        pending: Iterator[int] = iter(numbers)

        async def worker(cancel_scope: anyio.CancelScope) -> None:
            for number in pending:
                try:
                    results[number] = await self._get(
                        number,
                        planned=planned,
                        reread=reread,
                        speculative=speculative and number > 1,
                    )
                except Exception as exc:  # the caller raises what it chooses
                    results[number] = exc
                    if stops(number, exc):
                        cancel_scope.cancel()
                        return

        async with anyio.create_task_group() as group:
            for _ in range(min(len(numbers), 2 * self._concurrency)):
                group.start_soon(worker, group.cancel_scope)
        return results

    def _parse(
        self, response: Response, number: int, *, planned: bool, reread: bool, counted: bool
    ) -> RawPage:
        """A page from its response, checked (see ``_page_wire``); counts it and, when
        ``counted`` (a page past page 1 of the first window is counted by ``_first``, once page
        1 said it is of the list), counts its rows and reports progress."""
        self.pages_fetched += 1
        rows = response.data
        try:
            if not isinstance(rows, list):
                raise DecodeError(
                    f"expected a JSON array for page {number}, got {type(rows).__name__}"
                )
            headers = response.headers
            total = parse_count(headers.get("X-Result-Count"))
            link = headers.get("Link")
            if number == 1 and not reread:
                self.paged = link is not None
            next_url = parse_links(link, response.url).get("next")
            if next_url is not None:
                self._check_next(next_url, number)
        except DecodeError as exc:
            exc.operation, exc.method, exc.url = self._operation, "GET", response.url
            exc.status_code = response.status_code
            raise
        if counted and not reread:
            self._rows_fetched += len(rows)
            self._report_progress(total)
        made = self._prepare(rows, response.url)
        return RawPage(
            number,
            rows,
            total,
            next_url is not None,
            made.items,
            made.failures,
            planned,
            reread,
            made.keys,
        )

    def _check_next(self, next_url: str, number: int) -> None:
        """The ``next`` of page ``number`` must be the next page of this list, on the origin."""
        if not next_url.startswith(self._list_prefix):  # the usual case needs no parsing
            check_origin(
                next_url, self._source.origin, source="Link next", operation=self._operation
            )
            if not same_list(next_url, self.list_url):
                raise PaginationError(f"the Link next of page {number} is another list: {next_url}")
        following = page_number(next_url)
        if following is not None and following != number + 1:
            how = "loops back to" if following <= number else "skips to"
            raise PaginationError(
                f"the Link next of page {number} {how} page {following}: {next_url}"
            )

    def _report_progress(self, count: int | None) -> None:
        """Tell ``progress`` the rows so far, against page 1's count (or else ``count``, the
        ``X-Result-Count`` of the page just counted)."""
        if self._progress is None:
            return
        done = self._rows_fetched
        total = count if self.total is None else self.total
        if self._limit is not None:
            done = min(done, self._limit)
            total = self._limit if total is None else min(total, self._limit)
        self._progress(done, total)
