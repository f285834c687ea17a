"""SSH keys: ``GET keys/``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from puhuri_async._pagination import Paginator
from puhuri_async.endpoints._base import EndpointMixin, Progress
from puhuri_async.models import SshKey

__all__ = ["SshKeysEndpoints"]


class SshKeysEndpoints(EndpointMixin):
    """SSH public keys visible to the token."""

    async def list_ssh_keys(
        self,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        **filter_kwargs: Any,
    ) -> list[SshKey]:
        """Every SSH key matching the filters (``user_uuid``, ``fingerprint``, ...), all pages.

        ``waldur_client`` fetched these 10 per page, one page at a time; this fetches pages of
        ``page_size`` (300 by default) concurrently.
        """
        return await self._paginate(
            "keys/",
            SshKey,
            operation="list_ssh_keys",
            filters=filters,
            keywords=filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
        ).collect()

    def iter_ssh_keys(
        self,
        filters: Mapping[str, Any] | None = None,
        *,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
        **filter_kwargs: Any,
    ) -> Paginator[SshKey]:
        """Stream the SSH keys matching the filters, with bounded memory."""
        return self._paginate(
            "keys/",
            SshKey,
            operation="iter_ssh_keys",
            filters=filters,
            keywords=filter_kwargs,
            extra_params=extra_params,
            limit=limit,
            progress=progress,
            strict=strict,
        )
