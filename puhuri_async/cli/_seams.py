"""Calls the command line needs before the client has them: one place to switch each over.

``current_user`` (``GET users/me/``) is what ``puhuri whoami`` and ``puhuri login`` call. The
client gains ``get_current_user()``; until then this module makes the request itself through
the client's transport, so it still gets the client's auth, origin pinning, retries and typed
errors. That stand-in is marked below and goes once ``get_current_user`` exists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from puhuri_async import PuhuriClient, User
from puhuri_async.models import structure

__all__ = ["current_user"]

OPERATION = "get_current_user"


async def current_user(client: PuhuriClient) -> User:
    """The user the client's token belongs to (``users/me/``)."""
    method = cast("Callable[[], Awaitable[Any]] | None", getattr(client, OPERATION, None))
    if method is not None:
        return cast(User, await method())
    # STAND-IN until PuhuriClient.get_current_user exists: the same request, made through the
    # client's own transport (a private attribute, used here only). Remove with the client's.
    response = await client._transport.request("GET", "users/me/", operation=OPERATION)
    return structure(response.data, User)
