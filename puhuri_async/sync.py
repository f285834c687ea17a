"""The machinery of the synchronous facade: one event-loop thread per client, and the call path.

``SyncPuhuriClient`` (generated into ``puhuri_async/_sync_client.py`` by
``scripts/gen_sync_client.py``) is :class:`SyncClientBase` plus one method per operation of
``PuhuriClient``. Import it from the package: ``from puhuri_async import SyncPuhuriClient``.

How it works:

- Each client starts one daemon thread running an asyncio event loop, for the client's whole
  life; the ``PuhuriClient`` it wraps opens its HTTP connection pool and its concurrency limiter
  lazily, at the first request, so both live in that loop. Every call runs there as a task while
  the calling thread waits for its result. Many threads may share one client: their calls run
  concurrently in the one loop, bounded by the client's shared limiter.
- A call costs one hop into the loop and one back. (anyio's ``BlockingPortal.start_task_soon``
  first waits for the loop to spawn the task, a second round trip per call: about 160 µs
  against 70 µs for an empty call on a two-core machine, which matters next to a
  sub-millisecond request. So the loop is driven directly, which also keeps the thread a daemon
  whatever the anyio version.)
- Errors are the async client's, raised in the calling thread with their traceback from the
  loop's side kept.
- ``iter_*`` pull whole pages through the loop (pages are still fetched concurrently, a window
  at a time, by the ``Paginator``) and yield their items in the calling thread. Leaving a loop
  early closes the async iterator in the loop; nothing keeps running (the ``Paginator`` never
  leaves a task alive between pages).
- Ctrl-C while a call waits cancels the call's task and waits (briefly) for it to unwind before
  ``KeyboardInterrupt`` goes on: the request does not keep running behind the user's back.
- ``close()`` (or leaving ``with``) cancels calls still in flight (they raise
  ``ClientClosedError``), closes the connections and stops the thread. A client never closed
  does not keep the interpreter alive: the thread is a daemon, and an exit hook closes what is
  still open; a client that is garbage-collected stops its thread without waiting.
- After ``os.fork()`` the thread does not exist in the child: a client from the parent raises
  ``ClientClosedError`` there instead of waiting forever.
- Called from a thread whose asyncio loop is running (a Jupyter cell, sync code called from an
  async application), a call still works but blocks that loop until it returns: the first such
  call of a client issues an :class:`EventLoopBlockedWarning`.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import os
import sys
import threading
import warnings
import weakref
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Iterator
from typing import Any, Generic, ParamSpec, Self, TypeVar

from puhuri_async._client import PuhuriClient
from puhuri_async._errors import ClientClosedError, PuhuriError, PuhuriWarning
from puhuri_async._pagination import Page, Paginator
from puhuri_async._transport import TransportStats

__all__ = ["EventLoopBlockedWarning", "SyncClientBase"]

T = TypeVar("T")
P = ParamSpec("P")

_CANCEL_GRACE = 5.0
"""Seconds a Ctrl-C waits for the cancelled call to unwind in the loop."""
_CLOSE_TIMEOUT = 10.0
"""Seconds ``close()`` waits for the loop thread to finish."""

_pid = os.getpid()
"""This process's id, renewed in a forked child (cheaper than ``os.getpid()`` on every call)."""


def _after_fork_in_child() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_after_fork_in_child)


class EventLoopBlockedWarning(PuhuriWarning):
    """A ``SyncPuhuriClient`` call was made from a thread whose event loop is running.

    The call works, but that loop can do nothing else until it returns; in async code use
    ``PuhuriClient`` and ``await`` instead. Issued once per client.
    """


def _caller_loop_running() -> bool:
    """Whether the calling thread is inside a running asyncio (or trio) event loop."""
    if asyncio._get_running_loop() is not None:
        return True
    trio = sys.modules.get("trio")
    in_trio_run = getattr(getattr(trio, "lowlevel", None), "in_trio_run", None)
    return bool(in_trio_run is not None and in_trio_run())


class _LoopThread:
    """A daemon thread running an asyncio loop until asked to stop; then ``on_stop()`` runs.

    Work is handed in with :meth:`submit` (thread-safe). Stopping cancels the tasks still
    running, runs ``on_stop`` (closing the client's connections) and ends the loop.
    """

    def __init__(self, name: str, on_stop: Callable[[], Awaitable[None]]) -> None:
        self._on_stop = on_stop
        self._accepting = True
        self._gate = threading.Lock()  # orders submit() against the start of the shutdown
        self._stopping = False  # read and written in the loop thread only
        self._stop_requested: asyncio.Event | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self.thread = threading.Thread(target=self._run, args=(ready,), name=name, daemon=True)
        self.thread.start()
        ready.result()

    @property
    def in_loop_thread(self) -> bool:
        """Whether the caller is this loop's own thread (where waiting would deadlock)."""
        return threading.get_ident() == self.thread.ident

    def _run(self, ready: concurrent.futures.Future[None]) -> None:
        try:
            asyncio.run(self._main(ready))
        except BaseException as exc:  # reported to the constructor if the loop never started
            if not ready.done():
                ready.set_exception(exc)
        finally:
            with self._gate:
                self._accepting = False

    async def _main(self, ready: concurrent.futures.Future[None]) -> None:
        self.loop = asyncio.get_running_loop()
        self._stop_requested = asyncio.Event()
        ready.set_result(None)
        await self._stop_requested.wait()
        with self._gate:
            self._accepting = False
        self._stopping = True
        await asyncio.sleep(0)  # let calls submitted before the gate closed see _stopping
        tasks = asyncio.all_tasks() - {asyncio.current_task()}
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=_CLOSE_TIMEOUT)
        with contextlib.suppress(Exception):  # closing idle connections: nobody to tell
            await asyncio.wait_for(self._on_stop(), _CLOSE_TIMEOUT)

    def submit(self, call: _Call[Any]) -> bool:
        """Schedule ``call`` in the loop; False (and the call discarded) once stopping."""
        with self._gate:
            if self._accepting:
                assert self.loop is not None
                self.loop.call_soon_threadsafe(call.start, self)
                return True
        call.discard()
        return False

    def cancel(self, call: _Call[Any]) -> bool:
        """Ask the loop to cancel ``call`` (any thread); False if the loop is gone already.

        Submitted from the same thread earlier, ``call.start`` runs before ``call.cancel``
        (the loop runs its callbacks in order).
        """
        loop = self.loop
        if loop is None:
            return False
        try:
            loop.call_soon_threadsafe(call.cancel)
        except RuntimeError:  # closed: nothing runs any more
            return False
        return True

    def request_stop(self) -> None:
        """Begin the shutdown without waiting (any thread, the loop's own included)."""
        loop, event = self.loop, self._stop_requested
        if loop is not None and event is not None:
            with contextlib.suppress(RuntimeError):  # already closed
                loop.call_soon_threadsafe(event.set)

    def stop(self, timeout: float = _CLOSE_TIMEOUT) -> None:
        """Shut down and wait for the thread to end (unless called from the thread itself)."""
        self.request_stop()
        if not self.in_loop_thread:
            self.thread.join(timeout)


class _Call(Generic[T]):
    """One call on its way through the loop: the coroutine, its task and the caller's future.

    Only the loop thread settles the future, so it never races with a cancellation.
    """

    __slots__ = ("_coro", "_task", "future")

    def __init__(self, coro: Coroutine[Any, Any, T]) -> None:
        self._coro = coro
        self._task: asyncio.Task[T] | None = None
        self.future: concurrent.futures.Future[T] = concurrent.futures.Future()

    def start(self, owner: _LoopThread) -> None:
        """In the loop thread: run the coroutine as a task (or drop it when shutting down)."""
        if owner._stopping:
            self.discard()
            return
        self._task = task = asyncio.get_running_loop().create_task(self._coro)
        task.add_done_callback(self._settle)

    def discard(self) -> None:
        """The call will never run: close the coroutine unstarted, cancel the future."""
        self._coro.close()
        self.future.cancel()

    def cancel(self) -> None:
        """In the loop thread: cancel the task, or the call if it never started."""
        if self._task is None:
            self.discard()
        else:
            self._task.cancel()

    def _settle(self, task: asyncio.Task[T]) -> None:
        if task.cancelled():
            self.future.cancel()
            return
        exc = task.exception()
        if exc is None:
            self.future.set_result(task.result())
        else:
            self.future.set_exception(exc)


async def _next_page(pages: AsyncGenerator[Page[T], None]) -> Page[T]:
    return await pages.__anext__()


async def _close_pages(pages: AsyncGenerator[Any, None]) -> None:
    await pages.aclose()


_open_clients: weakref.WeakSet[SyncClientBase] = weakref.WeakSet()


@atexit.register
def _close_open_clients() -> None:
    """At interpreter exit, close the clients nobody closed (their connections included)."""
    for client in list(_open_clients):
        client.close()


class SyncClientBase:
    """What every ``SyncPuhuriClient`` method runs on: the loop thread, the call path, closing.

    The operations themselves are generated from ``PuhuriClient`` (``_sync_client.py``); each is
    ``self._call(self._async.<name>, ...)`` or, for ``iter_*``,
    ``self._iterate(self._async.<name>(...))``.
    """

    _async: PuhuriClient

    def _start(self, client: PuhuriClient) -> None:
        """Wrap ``client`` (unused so far) and start the loop thread it will live in."""
        self._async = client
        self._pid = _pid
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
        if self._closed or self._pid != _pid:
            raise self._unusable()
        if _caller_loop_running():
            self._blocking_a_loop()
        call = _Call(func(*args, **kwargs))
        try:
            if not self._loop.submit(call):
                raise self._unusable()
            return call.future.result()
        except KeyboardInterrupt:  # Ctrl-C, which may arrive anywhere in the lines above
            if self._loop.cancel(call):
                with contextlib.suppress(concurrent.futures.CancelledError, TimeoutError):
                    call.future.exception(timeout=_CANCEL_GRACE)  # the task has unwound
            raise
        except concurrent.futures.CancelledError:
            raise self._unusable(during=True) from None

    def _iterate(self, paginator: Paginator[T]) -> Iterator[T]:
        """A plain iterator over the items of ``paginator``, pulled a page at a time."""
        if self._closed or self._pid != _pid:
            raise self._unusable()
        return self._stream(paginator.pages())

    def _stream(self, pages: AsyncGenerator[Page[T], None]) -> Iterator[T]:
        while True:
            try:
                page = self._call(_next_page, pages)
            except StopAsyncIteration:
                return
            try:
                yield from page.items
            except GeneratorExit:  # the consumer left early: close the async side now
                self._discard(pages)
                raise

    def _discard(self, pages: AsyncGenerator[Any, None]) -> None:
        """Close an abandoned async page iterator in the loop (if there still is one)."""
        if self._closed or self._pid != _pid or self._loop.in_loop_thread:
            return  # the loop finalizes it on its own when it goes
        with contextlib.suppress(PuhuriError, RuntimeError):
            self._call(_close_pages, pages)

    def _unusable(self, *, during: bool = False) -> ClientClosedError:
        if self._pid != _pid:
            return ClientClosedError(
                f"this SyncPuhuriClient was created in process {self._pid} and cannot be used "
                f"in process {_pid}: its event-loop thread does not survive os.fork(); "
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
            stacklevel=4,
        )

    # -- life cycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connections and stop the event-loop thread. Safe to call twice.

        Calls still waiting in other threads raise ``ClientClosedError``; so does any later call.
        """
        if self._pid != _pid:  # forked child: the thread is not here; locks may be stale
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
        return self._closed

    def __enter__(self) -> Self:
        if self._closed or self._pid != _pid:
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
    def stats(self) -> TransportStats:
        """Counters so far: requests sent, retries, rate-limit waits, bytes received..."""
        return self._async.stats

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<{type(self).__name__} {self.base_url} ({state})>"


def _stop_soon(loop: _LoopThread, pid: int) -> None:
    """The finalizer of a client collected while open: stop its thread, wait for nothing."""
    if pid == _pid:
        loop.request_stop()
