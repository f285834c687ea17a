"""The transport's own response value: what endpoints and pagination see, never httpx objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from puhuri_async._page_wire import parse_count

__all__ = ["Headers", "Response"]


class Headers(Mapping[str, str]):
    """Read-only, case-insensitive response headers; a repeated header reads as ``"a, b"``."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        merged: dict[str, str] = {}
        for key, value in items:
            low = key.lower()
            merged[low] = f"{merged[low]}, {value}" if low in merged else value
        self._items = merged

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._items == {str(k).lower(): v for k, v in other.items()}
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


@attrs.frozen
class Response:
    """A successful (2xx) response, fully read.

    - ``data``: the decoded JSON body, ``None`` when the body is empty.
    - ``content``: the raw body bytes (decompressed).
    - ``headers``: every header; the paginator reads ``Link`` and ``X-Result-Count`` itself.
    """

    status_code: int
    url: str
    headers: Headers = attrs.field(factory=Headers, repr=False)
    data: Any = attrs.field(default=None, repr=False)
    content: bytes = attrs.field(default=b"", repr=False)

    @property
    def result_count(self) -> int | None:
        """The ``X-Result-Count`` header as an int, ``None`` when absent (an implausible or
        conflicting one raises ``PaginationError``)."""
        return parse_count(self.headers.get("X-Result-Count"))
