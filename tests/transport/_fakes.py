"""Test helpers: a paginated list server for respx, task counting (fake time: tests/_clock.py)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import sniffio
from _clock import FakeTime

__all__ = ["API", "TOKEN", "FakeTime", "ListServer", "item", "live_tasks"]

API = "https://puhuri.test/api/"
TOKEN = "test-token-123"


def item(n: int) -> dict[str, Any]:
    return {"uuid": f"{n:032x}", "name": f"item-{n}"}


class ListServer:
    """A Waldur-like paginated list, as a respx side effect.

    Serves ``items`` with ``X-Result-Count`` and a DRF-style ``Link`` header; ``max_page_size``
    caps the page size; ``delays`` (page → seconds) answers pages out of order; ``on_page``
    (page → callable) changes the data after a page is served; ``gather`` holds the first
    requests until that many are in flight at once (so a concurrency test does not depend on
    timing). Records the pages asked for and the largest number of requests in flight.
    """

    def __init__(
        self,
        items: list[dict[str, Any]],
        *,
        max_page_size: int = 300,
        link: bool = True,
        count: bool = True,
        delays: dict[int, float] | None = None,
        on_page: dict[int, Callable[[ListServer], None]] | None = None,
        gather: int | None = None,
    ) -> None:
        self.items = items
        self.max_page_size = max_page_size
        self.link = link
        self.count = count
        self.delays = delays or {}
        self.on_page = on_page or {}
        self.pages: list[int] = []
        self.page_sizes: list[int] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.urls: list[str] = []
        self.gather = gather
        self.gathered: anyio.Event | None = None

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            page = int(request.url.params.get("page", "1"))
            size = min(int(request.url.params.get("page_size", "10")), self.max_page_size)
            self.pages.append(page)
            self.page_sizes.append(size)
            self.urls.append(str(request.url))
            await self._gather()
            await anyio.sleep(self.delays.get(page, 0))
            return self.respond(request, page, size)
        finally:
            self.in_flight -= 1

    async def _gather(self) -> None:
        """Hold the first requests until ``gather`` of them are in flight together."""
        if self.gather is None:
            return
        if self.gathered is None:
            self.gathered = anyio.Event()
        if self.in_flight >= self.gather:
            self.gathered.set()
        with anyio.fail_after(10):
            await self.gathered.wait()

    def respond(self, request: httpx.Request, page: int, size: int) -> httpx.Response:
        total = len(self.items)
        last = max(1, math.ceil(total / size))
        if page > last:
            return httpx.Response(404, json={"detail": "Invalid page."})
        rows = self.items[(page - 1) * size : page * size]
        headers: list[tuple[str, str]] = []
        if self.count:
            headers.append(("X-Result-Count", str(total)))
        if self.link:
            rels = {"first": 1, "last": last}
            if page > 1:
                rels["prev"] = page - 1
            if page < last:
                rels["next"] = page + 1
            links = ", ".join(
                f'<{request.url.copy_set_param("page", str(n))}>; rel="{rel}"'
                for rel, n in rels.items()
            )
            headers.append(("Link", links))
        if hook := self.on_page.get(page):
            hook(self)
        return httpx.Response(200, json=rows, headers=headers)


def live_tasks() -> set[Any]:
    """Every task alive now, on either back end."""
    if sniffio.current_async_library() == "asyncio":
        import asyncio

        return set(asyncio.all_tasks())
    import trio

    found: set[Any] = set()

    def walk(task: Any) -> None:
        found.add(task)
        for nursery in task.child_nurseries:
            for child in nursery.child_tasks:
                walk(child)

    walk(trio.lowlevel.current_root_task())
    return found
