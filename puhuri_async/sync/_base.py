"""``SyncClientBase``: what every ``SyncPuhuriClient`` method runs on.

The call path (one hop into the client's loop thread and one back, errors re-raised in the
caller, Ctrl-C cancelling the waiting call), the page-at-a-time bridge the ``SyncPaginator``
uses, closing (explicitly, at interpreter exit, or when collected), the fork guard and the
warning when called from inside a running event loop. The operations themselves are generated
(``_client.py``); the loop thread is ``_thread``.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import copy
import sys
import threading
import warnings
import weakref
from collections.abc import AsyncGenerator, Callable, Coroutine, Generator
from typing import Any, ParamSpec, Protocol, Self, TypeVar

from puhuri_async._client import PuhuriClient
from puhuri_async._config import ResponseLimits, TimeoutLike
from puhuri_async._errors import ClientClosedError, PuhuriError
from puhuri_async._exchange import TransportStats
from puhuri_async._pagination import Page, Paginator
from puhuri_async._retry import RetryPolicy
from puhuri_async._warnings import remember_caller
from puhuri_async.sync import _thread
from puhuri_async.sync._paginator import SyncPaginator
from puhuri_async.sync._thread import (
    CANCEL_GRACE,
    EventLoopBlockedWarning,
    _Call,
    _LoopThread,
    caller_loop_running,
)

__all__ = ["SyncClientBase"]

T = TypeVar("T")
P = ParamSpec("P")


async def _next_page(pages: AsyncGenerator[Page[T], None]) -> Page[T]:
    return await pages.__anext__()


class _Closable(Protocol):
    async def aclose(self) -> None: ...


async def _close(closable: _Closable) -> None:
    await closable.aclose()


_open_clients: weakref.WeakSet[SyncClientBase] = weakref.WeakSet()


@atexit.register
def _close_open_clients() -> None:
    """At interpreter exit, close the clients nobody closed (their connections included)."""
    for client in list(_open_clients):
        client.close()


class SyncClientBase:
    """What every ``SyncPuhuriClient`` method runs on: the loop thread, the call path, closing.

    The operations themselves are generated from ``PuhuriClient`` (``_client.py``); each is
    ``self._call(self._async.<name>, ...)`` or, for ``iter_*``,
    ``self._iterate(self._async.<name>(...))``, which returns a ``SyncPaginator``.
    """

    _async: PuhuriClient
    _view_of: SyncClientBase | None = None

    def _start(self, client: PuhuriClient) -> None:
        """Wrap ``client`` (unused so far) and start the loop thread it will live in."""
        self._async = client
        self._pid = _thread.pid
        self._closed = False
        self._warned_loop = False
        self._lock = threading.Lock()
        self._loop = _LoopThread(f"puhuri-sync-{id(self):x}", client.aclose)
        # Garbage-collected while open: stop the thread without waiting (no I/O from a
        # finalizer). At interpreter exit, _close_open_clients closes properly instead.
        self._finalizer = weakref.finalize(self, _stop_soon, self._loop, self._pid)
        self._finalizer.atexit = False
        _open_clients.add(self)

    # -- the call path ------------------------------------------------------------------------

    def _call(
        self, func: Callable[P, Coroutine[Any, Any, T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run ``func(*args, **kwargs)`` in the loop; return its result in this thread."""
        if self._closed or self._pid != _thread.pid:
            raise self._unusable()
        if caller_loop_running():
            self._blocking_a_loop()
        call: _Call[T] | None = None
        try:
            with remember_caller():  # warnings of the call point at this caller's line
                call = _Call(func(*args, **kwargs))
                submitted = self._loop.submit(call)
            if not submitted:
                raise self._unusable()
            return call.future.result()
        except KeyboardInterrupt:  # Ctrl-C, which may arrive anywhere in the lines above
            # Even before the wait began: the loop thread may have started the call while
            # this thread waited for the GIL on its way out of ``submit``. A call not yet
            # started is dropped unstarted (``start`` runs before ``cancel``).
            if call is not None and self._loop.cancel(call):
                with contextlib.suppress(concurrent.futures.CancelledError, TimeoutError):
                    call.future.exception(timeout=CANCEL_GRACE)  # the task has unwound
            raise
        except concurrent.futures.CancelledError:
            raise self._unusable(during=True) from None

    def _iterate(self, paginator: Paginator[T]) -> SyncPaginator[T]:
        """``paginator`` for this thread: its items and pages pulled a page at a time."""
        if self._closed or self._pid != _thread.pid:
            raise self._unusable()
        return SyncPaginator(self, paginator)

    def _pull_pages(self, pages: AsyncGenerator[Page[T], None]) -> Generator[Page[T], None, None]:
        """The pages of an async page iterator, one hop into the loop each (and one that ends).

        Leaving early (``close()``, a ``break`` out of a loop over it, or the iterator being
        collected) closes the async side at once.
        """
        while True:
            try:
                page = self._call(_next_page, pages)
            except StopAsyncIteration:
                return
            try:
                yield page
            except GeneratorExit:  # the consumer left early: close the async side now
                self._discard(pages)
                raise

    def _pull_items(self, pages: AsyncGenerator[Page[T], None]) -> Generator[T, None, None]:
        """The items of an async page iterator, pulled a page at a time."""
        pulled = self._pull_pages(pages)
        try:
            for page in pulled:
                yield from page.items
        finally:
            pulled.close()  # leaving early closes the async side at once

    def _discard(self, pages: _Closable) -> None:
        """Close an abandoned async page iterator (or paginator) in the loop, if there still
        is one."""
        if self._closed or self._pid != _thread.pid or self._loop.in_loop_thread:
            return  # the loop finalizes it on its own when it goes
        with contextlib.suppress(PuhuriError, RuntimeError):
            self._call(_close, pages)

    def _unusable(self, *, during: bool = False) -> ClientClosedError:
        if self._pid != _thread.pid:
            return ClientClosedError(
                f"this SyncPuhuriClient was created in process {self._pid} and cannot be used "
                f"in process {_thread.pid}: its event-loop thread does not survive os.fork(); "
                "create a new client in the child process"
            )
        when = "while the call was waiting" if during else ""
        return ClientClosedError(
            f"the SyncPuhuriClient for {self.base_url} was closed {when}".rstrip()
        )

    def _blocking_a_loop(self) -> None:
        """The caller's thread runs an event loop: refuse our own (deadlock), warn once."""
        if self._loop.in_loop_thread:
            raise PuhuriError(
                "a SyncPuhuriClient cannot be called from its own event-loop thread (from a "
                "progress or on_retry callback): the call would wait for itself forever"
            )
        with self._lock:
            if self._warned_loop:
                return
            self._warned_loop = True
        warnings.warn(
            "SyncPuhuriClient was called from a thread whose event loop is running: the call "
            "works, but blocks that loop until it returns (in async code, await PuhuriClient "
            "instead)",
            EventLoopBlockedWarning,
            stacklevel=_outside_package(),
        )

    def with_options(
        self,
        *,
        timeout: TimeoutLike | None = None,
        retry: RetryPolicy | None = None,
        page_size: int | None = None,
    ) -> Self:
        """A view of this client with other defaults for the calls made through it
        (``PuhuriClient.with_options``): it shares the client's thread, connections, limit,
        ``Retry-After`` gate and ``stats``. Closing the client closes its views; ``close()`` on
        a view only makes that view unusable."""
        if self._closed or self._pid != _thread.pid:
            raise self._unusable()
        view = copy.copy(self)
        view._async = self._async.with_options(timeout=timeout, retry=retry, page_size=page_size)
        view._view_of = self._view_of or self
        view._warned_loop = False
        return view

    # -- life cycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connections and stop the event-loop thread. Safe to call twice.

        Calls still waiting in other threads raise ``ClientClosedError``; so does any later call.
        """
        if self._view_of is not None:  # a view: the client's thread and pool are not its own
            self._closed = True
            return
        if self._pid != _thread.pid:  # forked child: the thread is not here; locks may be stale
            self._closed = True
            return
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._finalizer.detach()
        _open_clients.discard(self)
        self._loop.stop()

    @property
    def closed(self) -> bool:
        """True once ``close()`` has run; calls then raise ``ClientClosedError``."""
        return self._closed or (self._view_of is not None and self._view_of.closed)

    def __enter__(self) -> Self:
        if self._closed or self._pid != _thread.pid:
            raise self._unusable()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the async client's read-only settings ------------------------------------------------

    @property
    def base_url(self) -> str:
        """The normalised API root, e.g. ``https://puhuri.example.org/api/``."""
        return self._async.base_url

    @property
    def page_size(self) -> int:
        """Items per page of list requests."""
        return self._async.page_size

    @property
    def max_concurrency(self) -> int:
        """Requests in flight at once over the whole client (all threads together)."""
        return self._async.max_concurrency

    @property
    def response_limits(self) -> ResponseLimits:
        """How much a server may send (body size, pages of one list)."""
        return self._async.response_limits

    @property
    def stats(self) -> TransportStats:
        """Counters so far: requests sent, retries, rate-limit waits, bytes received..."""
        return self._async.stats

    def __repr__(self) -> str:
        # Safe on a client whose constructor failed before or while wrapping the async one.
        client = getattr(self, "_async", None)
        if client is None:
            return f"<{type(self).__name__} (not constructed)>"
        state = "closed" if getattr(self, "_closed", False) else "open"
        return f"<{type(self).__name__} {_url(client)} ({state})>"


def _url(client: PuhuriClient) -> str:
    transport = getattr(client, "_transport", None)
    return "(not constructed)" if transport is None else str(transport.base_url)


def _stop_soon(loop: _LoopThread, pid: int) -> None:
    """The finalizer of a client collected while open: stop its thread, wait for nothing."""
    if pid == _thread.pid:
        loop.request_stop()


def _outside_package() -> int:
    """The ``stacklevel`` that makes a warning issued by the caller point at the first frame
    outside the package: the user's line, however many of our frames (the paginator's
    iterators included) are in between."""
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith(
        "puhuri_async"
    ):
        frame = frame.f_back
        level += 1
    return level
