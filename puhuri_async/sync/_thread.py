"""The sync facade's event-loop thread: one daemon thread per client, and one call through it.

``_LoopThread`` runs an asyncio loop in a daemon thread for a client's whole life; ``_Call`` is
one coroutine on its way through it, settled (result, exception or cancellation) only by the
loop thread. ``pid`` is this process's id, renewed in a forked child, so a client can tell that
its thread did not survive ``os.fork()``. Nothing here knows of the client or its operations.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Generic, TypeVar

from puhuri_async._errors import PuhuriWarning

__all__ = [
    "CANCEL_GRACE",
    "CLOSE_TIMEOUT",
    "EventLoopBlockedWarning",
    "caller_loop_running",
    "pid",
]

T = TypeVar("T")

CANCEL_GRACE = 5.0
"""Seconds a Ctrl-C waits for the cancelled call to unwind in the loop."""
CLOSE_TIMEOUT = 10.0
"""Seconds ``close()`` waits for the loop thread to finish."""

pid = os.getpid()
"""This process's id, renewed in a forked child (cheaper than ``os.getpid()`` on every call)."""


def _after_fork_in_child() -> None:
    global pid
    pid = os.getpid()


os.register_at_fork(after_in_child=_after_fork_in_child)


class EventLoopBlockedWarning(PuhuriWarning):
    """A ``SyncPuhuriClient`` call was made from a thread whose event loop is running.

    The call works, but that loop can do nothing else until it returns; in async code use
    ``PuhuriClient`` and ``await`` instead. Issued once per client.
    """


def caller_loop_running() -> bool:
    """Whether the calling thread is inside a running asyncio (or trio) event loop."""
    if asyncio._get_running_loop() is not None:
        return True
    trio = sys.modules.get("trio")
    in_trio_run = getattr(getattr(trio, "lowlevel", None), "in_trio_run", None)
    return bool(in_trio_run is not None and in_trio_run())


class _LoopThread:
    """A daemon thread running an asyncio loop until asked to stop; then ``on_stop()`` runs.

    Work is handed in with ``submit`` (thread-safe). Stopping cancels the tasks still
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
            await asyncio.wait(tasks, timeout=CLOSE_TIMEOUT)
        with contextlib.suppress(Exception):  # closing idle connections: nobody to tell
            await asyncio.wait_for(self._on_stop(), CLOSE_TIMEOUT)

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

    def stop(self, timeout: float = CLOSE_TIMEOUT) -> None:
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
