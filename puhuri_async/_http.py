"""The HTTP core: one ``httpx.AsyncClient`` per client, and the request loop over it.

Each request: the token pinned to the API origin (``_auth``), a concurrency limiter shared by
every task, the shared ``Retry-After`` gate, same-origin redirects of GET and HEAD, the
response body read under ``ResponseLimits.max_body_size`` (``_body``), retries decided by
``_retry``, a deadline over all of it (``Timeout.total``), and one typed error at the end
(``_failures``) with the token scrubbed from it. httpx exceptions never escape.

The transport knows no endpoint: it takes an ``operation`` label (the public method name) only
to name it in errors and logs, and returns its own ``Response`` value, never an httpx object.
Concurrency and time are anyio-only (asyncio and trio both work); sleeping and the clock are
injectable, so tests never wait for a backoff.
"""

from __future__ import annotations

import base64
import copy
import functools
import random
import ssl
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Final, TypeAlias, TypeVar

import anyio
import attrs
import httpx

from puhuri_async import _json
from puhuri_async._auth import PinnedTokenAuth, Redactor, TokenProvider, Tokens
from puhuri_async._body import RequestBody
from puhuri_async._config import (
    DEFAULT_FIRST_WINDOW,
    ResponseLimits,
    Timeout,
    TimeoutLike,
    check_callables,
    check_instance,
    check_int,
)
from puhuri_async._config import user_agent as make_user_agent
from puhuri_async._connections import Connections, check_proxy, http_client
from puhuri_async._errors import InvalidArgumentError, PuhuriError
from puhuri_async._exchange import Exchange, Received, TransportStats
from puhuri_async._httpx_client import PuhuriHttpxClient
from puhuri_async._pagination import Paginator, RowCheck
from puhuri_async._response import Response
from puhuri_async._retry import RetryEvent, RetryPolicy
from puhuri_async._tls import check_verify, refuse_with_transport
from puhuri_async._urls import (
    Origin,
    Params,
    check_origin,
    is_absolute,
    join_url,
    normalize_api_url,
    normalize_params,
    origin_of,
)
from puhuri_async._warnings import InsecureTLSWarning, warn

__all__ = ["HttpxAsyncTransport", "RetryEvent", "Transport", "TransportStats"]

T = TypeVar("T")

HttpxAsyncTransport: TypeAlias = httpx.AsyncBaseTransport
"""What ``transport=`` takes: any httpx async transport (``httpx.MockTransport``,
``httpx.ASGITransport``, the fake server's ``fake.transport()``...)."""

_METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


def _httpx_timeout(timeout: Timeout) -> httpx.Timeout:
    return httpx.Timeout(
        connect=timeout.connect, read=timeout.read, write=timeout.write, pool=timeout.pool
    )


class Transport:
    """The HTTP layer of one client. Safe to share between all tasks of one event loop.

    Arguments are checked at once (``InvalidArgumentError`` naming the argument); the
    ``httpx.AsyncClient`` is made on first use, inside the running event loop.

    - ``api_url``: the API root, normalised to ``.../api/``.
    - ``token``, ``token_prefix``: sent as ``Authorization: <prefix> <token>``, on the API
      origin only; scrubbed from every error and log line.
    - ``timeout``: the default for every request (each request may override it); its
      ``total`` is each request's deadline, retries and waits included.
    - ``retry``: the ``RetryPolicy``; ``RetryPolicy.none()`` turns retries off.
    - ``max_concurrency``: requests in flight at once, over every task using this transport.
    - ``first_window``: pages asked for at once on the first read of a list, before its count
      is known (``_page_fetch``; 1: page 1 alone, then the rest).
    - ``user_agent``: appended to ``puhuri-async/<version>``.
    - ``verify``: TLS verification: ``True`` (one context per process, shared: see
      ``_tls.default_tls_context``), ``False`` (warns), a CA bundle path or an
      ``ssl.SSLContext``. A certificate that fails verification is never retried.
    - ``transport``: an httpx transport to use instead of the network.
    - ``on_retry``: called with a ``RetryEvent`` before each retry waits (an exception it raises
      ends the request).
    - ``sleep``, ``clock``, ``random``: injectable ``async sleep(seconds)``, monotonic clock and
      jitter source (uniform in [0, 1)), for tests.
    - ``max_redirects``: same-origin redirects followed for GET and HEAD.
    - ``response_limits``: how much a server may send (``ResponseLimits``).
    """

    _base_url = "?"

    def __init__(
        self,
        api_url: str,
        token: str | TokenProvider,
        *,
        token_prefix: str = "Token",  # noqa: S107 - the scheme word, not a secret
        timeout: TimeoutLike = Timeout(),  # noqa: B008 - a frozen value
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - a frozen value
        max_concurrency: int = 16,
        first_window: int = DEFAULT_FIRST_WINDOW,
        user_agent: str | None = None,
        verify: bool | str | ssl.SSLContext = True,
        proxy: str | None = None,
        transport: HttpxAsyncTransport | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] | None = None,
        random: Callable[[], float] | None = None,
        max_redirects: int = 5,
        response_limits: ResponseLimits = ResponseLimits(),  # noqa: B008 - a frozen value
    ) -> None:
        self._base_url = normalize_api_url(api_url)
        self._origin = origin_of(self._base_url)
        self._redactor = Redactor()
        self._tokens = Tokens(token, token_prefix, self._redactor)
        self._timeout = Timeout.of(timeout)
        self._httpx_timeout = _httpx_timeout(self._timeout)
        self._retry = check_instance("retry", retry, RetryPolicy)
        self._max_concurrency = check_int("max_concurrency", max_concurrency, 1)
        self._first_window = check_int("first_window", first_window, 1)
        user_agent = make_user_agent(user_agent)
        checked_verify = check_verify(verify)
        checked_proxy = check_proxy(proxy)
        if transport is not None:
            if not isinstance(transport, httpx.AsyncBaseTransport):
                raise InvalidArgumentError(
                    "transport",
                    f"expected an httpx.AsyncBaseTransport, got {type(transport).__name__}",
                )
            refuse_with_transport(verify=verify, proxy=proxy)
        if checked_proxy is not None and checked_proxy.auth is not None:
            user, password = checked_proxy.auth  # as sent in Proxy-Authorization too
            self._redactor.learn(password)
            self._redactor.learn(base64.b64encode(f"{user}:{password}".encode()).decode())
        check_callables(on_retry=on_retry, sleep=sleep, clock=clock, random=random)
        self._max_redirects = check_int("max_redirects", max_redirects, 0)
        self._limits = check_instance("response_limits", response_limits, ResponseLimits)
        self._stats = TransportStats()
        self._auth = PinnedTokenAuth(self._tokens, self._origin)
        make_client = functools.partial(
            http_client,
            auth=self._auth,
            user_agent=user_agent,
            timeout=self._httpx_timeout,
            max_concurrency=self._max_concurrency,
            verify=checked_verify,
            origin=self._origin,
            proxy=checked_proxy,
            transport=transport,
        )
        self._connections = connections = Connections(
            self._base_url, make_client, self._max_concurrency
        )
        self._exchange = Exchange(
            self._origin,
            self._redactor,
            self._stats,
            self._tokens,
            max_redirects=self._max_redirects,
            max_body_size=response_limits.max_body_size,
            on_retry=on_retry,
            sleep=sleep or anyio.sleep,
            clock=clock or anyio.current_time,
            random=random or _jitter,
            closed=lambda: connections.closed,
        )
        if verify is False:
            warn(f"TLS certificate verification is off for {self._base_url}", InsecureTLSWarning)

    def with_options(
        self,
        *,
        timeout: TimeoutLike | None = None,
        retry: RetryPolicy | None = None,
    ) -> Transport:
        """A view of this transport with other defaults, sharing everything else: the
        connections, the limiter, the ``Retry-After`` gate, the token and the counters."""
        view = copy.copy(self)
        if timeout is not None:
            view._timeout = Timeout.of(timeout)
            view._httpx_timeout = _httpx_timeout(view._timeout)
        if retry is not None:
            view._retry = check_instance("retry", retry, RetryPolicy)
        return view

    # -- properties -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The normalised API root, e.g. ``https://puhuri.example/api/``."""
        return self._base_url

    @property
    def origin(self) -> Origin:
        """The (scheme, host, port) the token is pinned to."""
        return self._origin

    @property
    def max_concurrency(self) -> int:
        """Requests in flight at once, at most."""
        return self._max_concurrency

    @property
    def first_window(self) -> int:
        """Pages asked for at once on the first read of a list (page 1 among them)."""
        return self._first_window

    @property
    def retry(self) -> RetryPolicy:
        """The retry policy."""
        return self._retry

    @property
    def timeout(self) -> Timeout:
        """The default timeouts."""
        return self._timeout

    @property
    def response_limits(self) -> ResponseLimits:
        """How much a server may send."""
        return self._limits

    @property
    def closed(self) -> bool:
        """Whether ``aclose()`` was called."""
        connections = getattr(self, "_connections", None)
        return connections is not None and connections.closed

    @property
    def stats(self) -> TransportStats:
        """A snapshot of the counters."""
        return attrs.evolve(self._stats)

    @property
    def learner(self) -> Transport:
        """The transport itself: its lists share one pacer and one memory of counts."""
        return self

    @property
    def troubles(self) -> int:
        """Retries taken and ``429`` answers so far (what the pacer watches), without the
        copy ``stats`` makes."""
        return self._stats.retries + self._stats.rate_limited

    def __repr__(self) -> str:
        # Safe on a transport whose constructor failed (a traceback may show it).
        state = "closed" if self.closed else "open"
        return f"<Transport {self._base_url} ({state})>"

    def url(self, path: str) -> str:
        """The absolute URL of an API path (``"users/"`` → ``https://h/api/users/``)."""
        return join_url(self._base_url, path)

    def redact(self, error: PuhuriError) -> PuhuriError:
        """``error`` with the token scrubbed from it (and from its causes)."""
        self._redactor.error(error)
        return error

    # -- life cycle -------------------------------------------------------------------------

    async def __aenter__(self) -> Transport:
        self._ensure_open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections. Idempotent; later requests raise ``ClientClosedError``."""
        await self._connections.aclose()

    def _ensure_open(self) -> tuple[PuhuriHttpxClient, anyio.CapacityLimiter]:
        return self._connections.open()

    @property
    def _client(self) -> PuhuriHttpxClient | None:
        """The httpx client, once made (for tests that look at the pool)."""
        return self._connections.client

    # -- requests ---------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path_or_url: str,
        *,
        operation: str,
        params: Params | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        timeout: TimeoutLike | None = None,  # noqa: ASYNC109 - per-call timeouts and deadline
        expect_json: bool = True,
    ) -> Response:
        """Send a request, retrying as the policy allows; return the 2xx ``Response``.

        ``path_or_url`` is an API path (``"users/"``) or an absolute URL on the API origin.
        ``json`` (if not ``None``) is sent as the body. ``idempotent`` defaults to true for GET,
        HEAD and OPTIONS only. With ``expect_json`` the body is decoded into ``Response.data``
        (an empty body gives ``None``); a body that is not JSON raises ``DecodeError``.
        """
        if not isinstance(operation, str) or not operation:
            raise InvalidArgumentError("operation", "must be a non-empty str")
        if not isinstance(method, str) or method.upper() not in _METHODS:
            raise InvalidArgumentError("method", f"unsupported HTTP method {method!r}")
        method = method.upper()
        url = self._resolve(path_or_url, operation)
        pairs = normalize_params(params)
        query = None
        if pairs:  # httpx would replace the URL's own query (a Link URL's): merge instead
            query = httpx.QueryParams((*httpx.URL(url).params.multi_items(), *pairs))
        call = self._timeout if timeout is None else Timeout.of(timeout)
        headers: dict[str, str] = {}
        content: bytes | None = None
        if json is not None:
            try:
                content = _json.dumps(json)
            except (TypeError, ValueError) as exc:
                raise InvalidArgumentError("json", f"cannot be encoded as JSON: {exc}") from None
            headers["Content-Type"] = "application/json"
        if idempotent is None:
            idempotent = method in _SAFE_METHODS
        client, limiter = self._ensure_open()
        limits = self._httpx_timeout if timeout is None else _httpx_timeout(call)
        if query is None and content is None:
            request = client.get_request(url, limits, method)
        else:
            request = client.build_request(
                method, url, params=query, content=content, headers=headers, timeout=limits
            )
        if content is not None:
            request.stream = RequestBody(content)
        return await self._run(client, limiter, request, operation, idempotent, expect_json, call)

    async def get_page(
        self,
        url: str,
        *,
        operation: str,
        timeout: Timeout | None = None,  # noqa: ASYNC109 - per-call timeouts and deadline
        received: Received | None = None,
        speculative: bool = False,
    ) -> Response:
        """GET one page of a list: ``url`` is the paginator's own, built on the API root, so it
        is neither checked nor normalised again (see ``_page_wire``). ``received`` is awaited
        once the page's body is read, before it is decoded (``_exchange``). ``speculative``: a
        page that may lie past the end of its list (``_page_fetch``'s first window): a ``404``
        is raised but not counted in ``stats.errors``."""
        client, limiter = self._ensure_open()
        call = self._timeout if timeout is None else timeout
        request = client.get_request(
            url, self._httpx_timeout if timeout is None else _httpx_timeout(call)
        )
        return await self._run(
            client,
            limiter,
            request,
            operation,
            True,
            True,
            call,
            received,
            missing_ok=speculative,
        )

    def paginate(
        self,
        path: str,
        *,
        operation: str,
        item: Callable[[Any], T],
        params: Params | None = None,
        page_size: int = 300,
        limit: int | None = None,
        progress: Callable[[int, int | None], None] | None = None,
        strict: bool = False,
        window: int | None = None,
        timeout: TimeoutLike | None = None,
        key: Callable[[dict[str, Any]], Hashable | None] | None = None,
        items: Callable[[list[Any], str], list[T] | None] | None = None,
        order: str | None = None,
        rereads: int = 2,
        row_check: RowCheck | None = None,
    ) -> Paginator[T]:
        """A ``Paginator`` over a Waldur list (see ``puhuri_async._pagination``).

        A convenience that checks the arguments now; the paginator talks to this transport's
        ``get_page`` directly, so a page request enters the transport once. Nothing is fetched
        until the paginator is iterated.
        """
        if not isinstance(operation, str) or not operation:
            raise InvalidArgumentError("operation", "must be a non-empty str")
        self._resolve(path, operation)
        return Paginator(
            self,
            path,
            operation=operation,
            item=item,
            params=normalize_params(params),
            page_size=page_size,
            limit=limit,
            progress=progress,
            strict=strict,
            window=window,
            key=key,
            items=items,
            timeout=None if timeout is None else Timeout.of(timeout),
            order=order,
            rereads=rereads,
            row_check=row_check,
        )

    def _resolve(self, path_or_url: str, operation: str) -> str:
        if isinstance(path_or_url, str) and is_absolute(path_or_url):
            return check_origin(path_or_url, self._origin, operation=operation)
        return join_url(self._base_url, path_or_url)

    async def _run(
        self,
        client: httpx.AsyncClient,
        limiter: anyio.CapacityLimiter,
        request: httpx.Request,
        operation: str,
        idempotent: bool,
        expect_json: bool,
        timeout: Timeout,  # noqa: ASYNC109 - the exchange applies the deadline
        received: Received | None = None,
        missing_ok: bool = False,
    ) -> Response:
        """The request under its deadline; any error leaves with the token scrubbed from it."""
        try:
            return await self._exchange.run(
                client,
                limiter,
                request,
                operation,
                idempotent,
                expect_json,
                timeout.total,
                self._retry,
                received,
                missing_ok,
            )
        except PuhuriError as error:
            self._redactor.error(error)
            raise


def _jitter() -> float:
    return random.random()  # noqa: S311 - backoff jitter, not cryptography
