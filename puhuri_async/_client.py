"""``PuhuriClient``: the async client, composed of the endpoint mixins over one transport.

Its operations come from the operation table (``puhuri_async._operations``): the plain ones are
generated methods (``_endpoints/_generated.py``), the few with argument logic of their own are
written by hand (the other ``_endpoints`` modules).
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable
from typing import Any

from puhuri_async._endpoints._generated import GeneratedEndpoints
from puhuri_async._endpoints.offering_users import OfferingUsersEndpoints
from puhuri_async._endpoints.reports import ReportsEndpoints
from puhuri_async._endpoints.usages import UsagesEndpoints
from puhuri_async._errors import InvalidArgumentError
from puhuri_async._retry import RetryPolicy
from puhuri_async._transport import (
    HTTPTransport,
    RetryEvent,
    Timeout,
    TimeoutTypes,
    Transport,
    TransportStats,
)

__all__ = ["ENV_API_URL", "ENV_TOKEN", "PuhuriClient"]

ENV_API_URL = "PUHURI_API_URL"
ENV_TOKEN = "PUHURI_TOKEN"  # noqa: S105 - the variable's name, not a secret

DEFAULT_PAGE_SIZE = 300
MAX_PAGE_SIZE = 300


class PuhuriClient(
    GeneratedEndpoints,
    ReportsEndpoints,
    UsagesEndpoints,
    OfferingUsersEndpoints,
):
    """The asyncio-native Puhuri Core client for service providers.

    One instance is meant to live as long as the program and be shared by every task: it holds
    one HTTP connection pool and one concurrency limiter (``max_concurrency`` requests in flight
    over all tasks), so ``asyncio.gather`` over many calls cannot flood the server.

    Typical use:

    ```python
    async with PuhuriClient("https://puhuri.example.org/api/", token) as client:
        users = await client.list_users()
    ```

    Args:
        api_url: The API root; ``https://host``, ``https://host/api`` and ``https://host/api/``
            are the same.
        access_token: Sent as ``Authorization: <token_prefix> <token>``, only to the API origin.
        token_prefix: ``"Token"`` (Waldur API tokens) or ``"Bearer"`` (OIDC access tokens).
        timeout: A ``Timeout`` or seconds; the default is 5 s to connect, 60 s to read.
        retry: A ``RetryPolicy``; ``RetryPolicy.none()`` turns retries off.
        max_concurrency: Requests in flight at once over the whole client (default 16).
        page_size: Items per page of list requests (default and maximum 300).
        user_agent: Appended to ``puhuri-async/<version>`` in the ``User-Agent`` header.
        verify: TLS verification (``True``; ``False`` warns; or a CA bundle path or
            ``ssl.SSLContext``).
        transport: An httpx transport to use instead of the network, e.g. FakePuhuri's
            ``fake.transport()`` in tests.
        on_retry: Called with a ``RetryEvent`` before each retry.
    """

    def __init__(
        self,
        api_url: str,
        access_token: str,
        *,
        token_prefix: str = "Token",  # noqa: S107 - the scheme word, not a secret
        timeout: TimeoutTypes = Timeout(),  # noqa: B008 - a frozen value
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - a frozen value
        max_concurrency: int = 16,
        page_size: int = DEFAULT_PAGE_SIZE,
        user_agent: str | None = None,
        verify: bool | str | ssl.SSLContext = True,
        transport: HTTPTransport | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
    ) -> None:
        if (
            isinstance(page_size, bool)
            or not isinstance(page_size, int)
            or not (1 <= page_size <= MAX_PAGE_SIZE)
        ):
            raise InvalidArgumentError(
                "page_size", f"must be an int from 1 to {MAX_PAGE_SIZE}, got {page_size!r}"
            )
        self._page_size = page_size
        self._transport = Transport(
            api_url,
            access_token,
            token_prefix=token_prefix,
            timeout=timeout,
            retry=retry,
            max_concurrency=max_concurrency,
            user_agent=user_agent,
            verify=verify,
            transport=transport,
            on_retry=on_retry,
        )

    @classmethod
    def from_env(cls, **options: Any) -> PuhuriClient:
        """A client for ``$PUHURI_API_URL`` with the token in ``$PUHURI_TOKEN``.

        ``options`` are the constructor's keyword arguments (``timeout``, ``retry``, ...).
        """
        api_url, token = env_settings()
        return cls(api_url, token, **options)

    @property
    def base_url(self) -> str:
        """The normalised API root, e.g. ``https://puhuri.example.org/api/``."""
        return self._transport.base_url

    @property
    def page_size(self) -> int:
        """Items per page of list requests."""
        return self._page_size

    @property
    def max_concurrency(self) -> int:
        """Requests in flight at once over the whole client."""
        return self._transport.max_concurrency

    @property
    def stats(self) -> TransportStats:
        """Counters so far: requests sent, retries, rate-limit waits, bytes received..."""
        return self._transport.stats

    @property
    def closed(self) -> bool:
        """True once ``aclose()`` has run; calls then raise ``ClientClosedError``."""
        return self._transport.closed

    async def aclose(self) -> None:
        """Close the connection pool. Safe to call twice."""
        await self._transport.aclose()

    async def __aenter__(self) -> PuhuriClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<PuhuriClient {self.base_url}>"


def env_settings() -> tuple[str, str]:
    """``($PUHURI_API_URL, $PUHURI_TOKEN)``; a missing or empty one raises naming it."""
    values = []
    for name in (ENV_API_URL, ENV_TOKEN):
        value = os.environ.get(name, "").strip()
        if not value:
            raise InvalidArgumentError(name, "is not set in the environment")
        values.append(value)
    return values[0], values[1]
