"""The synchronous facade: ``SyncPuhuriClient``, for code that cannot be async.

``SyncPuhuriClient`` has every operation of ``PuhuriClient`` under the same name, arguments and
results, blocking; its ``iter_*`` methods return a ``SyncPaginator``, the blocking twin of
``Paginator`` (``total``, ``drift``, ``pages_fetched``, ``pages()``, ``collect()``). Both are
also importable from ``puhuri_async``.

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
  call of a client issues an ``EventLoopBlockedWarning``, pointing at the caller's line.

The rooms: ``_thread`` (the loop thread and one call through it), ``_base`` (the call path and
the client's life cycle), ``_paginator`` (``SyncPaginator``) and ``_client`` (the generated
``SyncPuhuriClient``, written by ``scripts/gen_sync_client.py``).
"""

from puhuri_async.sync._client import SyncPuhuriClient
from puhuri_async.sync._paginator import SyncPaginator
from puhuri_async.sync._thread import EventLoopBlockedWarning

__all__ = ["EventLoopBlockedWarning", "SyncPaginator", "SyncPuhuriClient"]
