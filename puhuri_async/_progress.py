"""``Progress``: the type of the ``progress=`` callback of every list operation."""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress"]


class Progress(Protocol):
    """``progress(done, total)``: called as pages arrive, in the client's event loop.

    ``done`` is the number of items fetched so far, ``total`` the list's ``X-Result-Count``
    (``None`` when the server does not say). Any function of two positional arguments fits,
    ``lambda done, total: print(done, total)`` included.
    """

    def __call__(self, done: int, total: int | None, /) -> None: ...
