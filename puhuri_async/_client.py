"""``PuhuriClient``: the async client, composed of the endpoint mixins over one transport.

Its operations come from the operation table (``puhuri_async._operations``): the plain ones are
generated methods (``_endpoints/_generated.py``), the few with argument logic of their own are
written by hand (the other ``_endpoints`` modules).
"""

from __future__ import annotations

import copy
import os
import ssl
from collections.abc import Callable
from typing import Any

from puhuri_async._auth import TokenProvider
from puhuri_async._config import DEFAULT_FIRST_WINDOW, ResponseLimits, Timeout, TimeoutLike
from puhuri_async._door import DoorEndpoints
from puhuri_async._endpoints._generated import GeneratedEndpoints
from puhuri_async._endpoints.offering_users import OfferingUsersEndpoints
from puhuri_async._endpoints.reports import ReportsEndpoints
from puhuri_async._endpoints.usages import UsagesEndpoints
from puhuri_async._errors import InvalidArgumentError
from puhuri_async._exchange import TransportStats
from puhuri_async._http import HttpxAsyncTransport, Transport
from puhuri_async._retry import RetryEvent, RetryPolicy

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
    DoorEndpoints,
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
        access_token: Sent as ``Authorization: <token_prefix> <token>``, only to the API origin;
            or a ``TokenProvider``: a function or async function returning the current token,
            asked before each request and once more after a ``401`` (see
            ``docs/connections.md``).
        token_prefix: ``"Token"`` (Waldur API tokens) or ``"Bearer"`` (OIDC access tokens).
        timeout: A ``Timeout`` or seconds; the default is 5 s to connect, 60 s to read.
        retry: A ``RetryPolicy``; ``RetryPolicy.none()`` turns retries off.
        max_concurrency: Requests in flight at once over the whole client (default 16).
        first_window: Pages asked for at once on the first read of a list, before the server
            has said how long it is (default 4; 1: page 1 alone). A shorter list costs a few
            requests answered 404 once; its length is then remembered (``docs/concurrency.md``).
        page_size: Items per page of list requests (default and maximum 300).
        user_agent: Appended to ``puhuri-async/<version>`` in the ``User-Agent`` header.
        verify: TLS verification (``True``; ``False`` warns; or a CA bundle path or
            ``ssl.SSLContext``).
        proxy: A proxy URL (``http://``, ``https://`` or ``socks5://``) for every request;
            without it, ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY``/``NO_PROXY`` decide.
        response_limits: How much a server may send (``ResponseLimits``: body size, pages).
        transport: An httpx transport to use instead of the network, e.g. FakePuhuri's
            ``fake.transport()`` in tests; it makes its own connections, so ``verify`` (other
            than ``True``) and ``proxy`` are refused with it.
        on_retry: Called with a ``RetryEvent`` before each retry.
    """

    _view_of: PuhuriClient | None = None

    def __init__(
        self,
        api_url: str,
        access_token: str | TokenProvider,
        *,
        token_prefix: str = "Token",  # noqa: S107 - the scheme word, not a secret
        timeout: TimeoutLike = Timeout(),  # noqa: B008 - a frozen value
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - a frozen value
        max_concurrency: int = 16,
        first_window: int = DEFAULT_FIRST_WINDOW,
        page_size: int = DEFAULT_PAGE_SIZE,
        user_agent: str | None = None,
        verify: bool | str | ssl.SSLContext = True,
        proxy: str | None = None,
        response_limits: ResponseLimits = ResponseLimits(),  # noqa: B008 - a frozen value
        transport: HttpxAsyncTransport | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
    ) -> None:
        self._page_size = _check_page_size(page_size)
        self._transport = Transport(
            api_url,
            access_token,
            token_prefix=token_prefix,
            timeout=timeout,
            retry=retry,
            max_concurrency=max_concurrency,
            first_window=first_window,
            user_agent=user_agent,
            verify=verify,
            proxy=proxy,
            transport=transport,
            on_retry=on_retry,
            response_limits=response_limits,
        )

    def with_options(
        self,
        *,
        timeout: TimeoutLike | None = None,
        retry: RetryPolicy | None = None,
        page_size: int | None = None,
    ) -> PuhuriClient:
        """A view of this client with other defaults for the calls made through it.

        The view shares the client's connections, concurrency limit, ``Retry-After`` gate,
        token and ``stats``; only what is given changes (``None``: as the client). It costs a
        small object, so make one where it is needed:

        ```python
        users = await client.with_options(timeout=5, retry=RetryPolicy.none()).list_users()
        ```

        Closing the client closes its views; ``aclose()`` on a view does nothing (the view
        borrows the client's connections).
        """
        view = copy.copy(self)
        view._transport = self._transport.with_options(timeout=timeout, retry=retry)
        if page_size is not None:
            view._page_size = _check_page_size(page_size)
        view._view_of = self._view_of or self
        return view

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

    @property
    def response_limits(self) -> ResponseLimits:
        """How much a server may send (body size, pages of one list)."""
        return self._transport.response_limits

    async def aclose(self) -> None:
        """Close the connection pool. Safe to call twice; on a ``with_options`` view, nothing."""
        if self._view_of is None:
            await self._transport.aclose()

    async def __aenter__(self) -> PuhuriClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        # Safe on a client whose constructor failed (a traceback or a debugger may show it).
        transport = getattr(self, "_transport", None)
        where = "(not constructed)" if transport is None else transport.base_url
        return f"<{type(self).__name__} {where}>"


def _check_page_size(page_size: int) -> int:
    if (
        isinstance(page_size, bool)
        or not isinstance(page_size, int)
        or not (1 <= page_size <= MAX_PAGE_SIZE)
    ):
        raise InvalidArgumentError(
            "page_size", f"must be an int from 1 to {MAX_PAGE_SIZE}, got {page_size!r}"
        )
    return page_size


def env_settings() -> tuple[str, str]:
    """``($PUHURI_API_URL, $PUHURI_TOKEN)``; a missing or empty one raises naming it."""
    values = []
    for name in (ENV_API_URL, ENV_TOKEN):
        value = os.environ.get(name, "").strip()
        if not value:
            raise InvalidArgumentError(name, "is not set in the environment")
        values.append(value)
    return values[0], values[1]
