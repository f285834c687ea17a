"""Users: ``GET users/``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from puhuri_async._pagination import Paginator
from puhuri_async.endpoints._base import EndpointMixin, Progress
from puhuri_async.models import User

__all__ = ["UsersEndpoints"]


class UsersEndpoints(EndpointMixin):
    """Users visible to the token."""

    async def list_users(
        self,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        **filter_kwargs: Any,
    ) -> list[User]:
        """Every user matching the filters (all pages, fetched concurrently).

        Filters (``username``, ``email``, ``is_active``, ...) are given as a dict, as keywords, or
        both; a name ``users/`` does not accept raises ``InvalidArgumentError`` before any
        request. ``extra_params`` passes parameters through unchecked; ``limit`` stops after that
        many users; ``progress(done, total)`` is called as pages arrive.
        """
        return await self._paginate(
            "users/",
            User,
            operation="list_users",
            filters=filters,
            keywords=filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
        ).collect()

    def iter_users(
        self,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
        **filter_kwargs: Any,
    ) -> Paginator[User]:
        """Stream the users matching the filters (``async for user in client.iter_users()``).

        Pages are prefetched concurrently in bounded windows, so memory stays flat however many
        users there are. ``strict=True`` raises ``CountDriftError`` if the total changes while
        iterating (otherwise a ``CountDriftWarning`` is issued and ``.drift`` describes it).
        """
        return self._paginate(
            "users/",
            User,
            operation="iter_users",
            filters=filters,
            keywords=filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            strict=strict,
        )
