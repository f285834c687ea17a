"""A Waldur-like paged list on a raw socket, with every part of its paging open to tampering.

``ListServer(items)`` answers ``GET .../users/?page=N&page_size=S`` as Django REST Framework's
``LinkHeaderPagination`` does (a JSON array, ``X-Result-Count``, ``Link`` with first, prev, next
and last, 404 past the last page); a test replaces ``count``, ``link`` or ``rows`` to make it
lie. Every list also stops on its own after ``max_requests`` requests (404), so a client that
would follow it for ever ends anyway, and the test sees how many it made.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from ._hostile import Conn, RawServer, Request, serve_each

Rows = list[dict[str, Any]]


def user(n: int, **fields: Any) -> dict[str, Any]:
    return {"uuid": f"{n:032x}", "username": f"user-{n}", **fields}


class ListServer:
    """The list (see the module docs); ``requests`` are those of the list path."""

    def __init__(self, items: Rows, *, max_page_size: int = 300, max_requests: int = 200) -> None:
        self.items = items
        self.max_page_size = max_page_size
        self.max_requests = max_requests
        self.visits: dict[int, int] = {}
        """How many times each page number was asked for."""
        self.count: Callable[[Request, int], list[str]] = lambda request, page: [
            str(len(self.items))
        ]
        self.link: Callable[[Request, int, int], str | None] = self.drf_link
        self.rows: Callable[[Request, int, int], Rows | None] = self.page_rows
        self.server = RawServer(serve_each(self.answer))
        self.origin = f"http://127.0.0.1:{self.server.port}"
        self.url = self.server.url

    def __enter__(self) -> ListServer:
        self.server.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.__exit__(*exc_info)

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def size(self, request: Request) -> int:
        return min(int(request.param("page_size", "300") or 300), self.max_page_size)

    def last(self, request: Request) -> int:
        return max(1, math.ceil(len(self.filtered(request)) / self.size(request)))

    def filtered(self, request: Request) -> Rows:
        """The items the request's filters select (``username`` is the one this list has)."""
        name = request.param("username")
        return [row for row in self.items if name is None or row.get("username") == name]

    def page_rows(self, request: Request, page: int, size: int) -> Rows | None:
        rows = self.filtered(request)
        if page > self.last(request):
            return None
        return rows[(page - 1) * size : page * size]

    def url_of(self, request: Request, page: int) -> str:
        query = [(k, v) for k, v in request.query if k != "page"] + [("page", str(page))]
        return f"{self.origin}{request.path}?{urlencode(query)}"

    def drf_link(self, request: Request, page: int, last: int) -> str | None:
        rels = {"first": 1, "last": last}
        if page > 1:
            rels["prev"] = page - 1
        if page < last:
            rels["next"] = page + 1
        return ", ".join(f'<{self.url_of(request, n)}>; rel="{rel}"' for rel, n in rels.items())

    def answer(self, conn: Conn, request: Request) -> None:
        page = int(request.param("page", "1") or 1)
        self.visits[page] = self.visits.get(page, 0) + 1
        rows = self.rows(request, page, self.size(request))
        if rows is None or len(self.requests) > self.max_requests:
            conn.respond_json("404 Not Found", {"detail": "Invalid page."})
            return
        headers = [("X-Result-Count", value) for value in self.count(request, page)]
        link = self.link(request, page, self.last(request))
        if link is not None:
            headers.append(("Link", link))
        conn.respond("200 OK", json.dumps(rows).encode(), headers)
