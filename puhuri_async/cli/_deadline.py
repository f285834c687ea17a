"""``--timeout``: the most seconds one API call may take in all.

One call is one operation of the client: a list with every page it fetches, one ``get``, one
action; retries and waits for ``Retry-After`` included. A server that trickles one byte every
half second cannot stretch it: the deadline is counted from the start of the call, not reset
by each byte read.

:func:`call_within` is the only place the deadline is applied. Today it is an anyio deadline
around the call, because the client's timeouts are per read. When the client gets an overall
per-call deadline of its own, this function passes ``--timeout`` to it instead (and maps its
error); no command changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio

from puhuri_async.cli._exits import CliError, Exit

__all__ = ["call_within"]

T = TypeVar("T")


def _seconds(value: float) -> str:
    return f"{value:g} s"


async def call_within(
    seconds: float | None,
    call: Callable[[], Awaitable[T]],
    *,
    operation: str,
    changes: bool = False,
) -> T:
    """``await call()``, given at most ``seconds`` (None: no limit) to finish.

    A call that takes longer is cancelled and raises ``CliError`` with ``Exit.TIMEOUT`` and a
    readable line naming ``operation``; for a call that ``changes`` something the line says the
    change may have been made.
    """
    with anyio.move_on_after(seconds) as scope:
        return await call()
    assert scope.cancelled_caught
    limit = _seconds(seconds) if seconds is not None else "the time allowed"
    message = f"{operation}: timed out, no complete answer within {limit} (--timeout)"
    if changes:
        message += "; the change may have been made: check before trying again"
    raise CliError(Exit.TIMEOUT, message)
