"""Running one step of the demo on many items at once, with a progress callback."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from puhuri_async import NotFoundError, PermissionDeniedError, Progress, UnsupportedByServerError

__all__ = ["SITE_AGENT", "Track", "each", "no_progress", "optional"]

T = TypeVar("T")
R = TypeVar("R")

#: The offering type a site agent serves: Waldur leaves its orders to the provider's agent.
SITE_AGENT = "Marketplace.Slurm"

#: ``track(label)`` gives the ``progress(done, total)`` callback of one step (a progress bar).
Track = Callable[[str], Progress]


def no_progress(label: str) -> Progress:
    """A ``track`` that shows nothing."""

    def ignore(done: int, total: int | None) -> None:
        return None

    return ignore


async def each(
    items: Sequence[T], action: Callable[[T], Awaitable[R]], progress: Progress
) -> list[R]:
    """``action(item)`` for every item, concurrently (the client bounds requests in flight)."""
    done = 0
    progress(0, len(items))

    async def one(item: T) -> R:
        nonlocal done
        result = await action(item)
        done += 1
        progress(done, len(items))
        return result

    return list(await asyncio.gather(*(one(item) for item in items)))


async def optional(
    action: Awaitable[Any], name: str, key: str, steps: Counter[str], lacking: set[str]
) -> None:
    """A step some servers lack or keep for staff: noted, not fatal.

    The client refuses it when it knows the server's version (``UnsupportedByServerError``),
    else the server answers 404 (no such route) or 403 (staff only).

    Each such step has a fallback the job takes anyway: finishing the order moves the resource
    to ``OK`` or ``Erred`` too, and the ordered limits stand when the site's cannot be set.
    """
    try:
        await action
    except (UnsupportedByServerError, NotFoundError, PermissionDeniedError):
        lacking.add(name)
        return
    steps[key] += 1
