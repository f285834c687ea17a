"""The connections of one client: its ``httpx.AsyncClient``, its concurrency limiter, the event
loop they belong to, and whether the client is closed.

A client and every view of it (``with_options``) share one ``Connections``, so they share the
pool and the limiter. The ``httpx.AsyncClient`` is made on first use, inside the running event
loop, and stays bound to that loop: a connection opened by one loop cannot be used, nor even
closed, from another (after a first ``asyncio.run()`` has ended, its sockets belong to a closed
loop). A request from any other loop raises ``EventLoopMismatchError`` naming the fix, instead
of the ``RuntimeError: Event loop is closed`` that httpx would raise from deep inside the pool.

Why not silently open a new pool for the new loop: the old connections could not be closed
(their loop is gone, or still running in another thread, where the pool is in use), the
Retry-After gate and the limiter would no longer bound the two loops together, and a
program that makes one client per loop is short and clear. So the rule is one client per
event loop, said in so many words when broken.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ssl
import sys
from collections.abc import Callable
from http.cookiejar import CookieJar, DefaultCookiePolicy

import anyio
import httpx

from puhuri_async import _transports
from puhuri_async._auth import PinnedTokenAuth
from puhuri_async._body import ACCEPT_ENCODING
from puhuri_async._errors import ClientClosedError, EventLoopMismatchError, InvalidArgumentError
from puhuri_async._httpx_client import PuhuriHttpxClient
from puhuri_async._tls import context_for
from puhuri_async._urls import Origin

__all__ = ["Connections", "check_proxy", "current_loop", "http_client"]

_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def current_loop() -> object | None:
    """The running event loop (asyncio's loop, or trio's token), or ``None`` outside one."""
    loop = asyncio._get_running_loop()
    if loop is not None:
        return loop
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            token: object = trio.lowlevel.current_trio_token()
        except RuntimeError:
            return None
        return token
    return None


def check_proxy(proxy: str | None) -> httpx.Proxy | None:
    """``proxy`` as httpx takes it: a URL ``http://``, ``https://`` or ``socks5://`` (SOCKS
    needs the ``socksio`` package, as httpx does), with optional ``user:password@``."""
    if proxy is None:
        return None
    if not isinstance(proxy, str) or not proxy.strip():
        raise InvalidArgumentError("proxy", f"expected a proxy URL (str) or None, got {proxy!r}")
    try:
        value = httpx.Proxy(proxy.strip())
        if not value.url.host:
            raise ValueError("it has no host")
    except (ValueError, TypeError, httpx.InvalidURL) as exc:
        got = f"scheme {proxy.partition('://')[0]!r}" if "://" in proxy else "no scheme"
        raise InvalidArgumentError(
            "proxy",
            f"must be a URL with scheme {', '.join(_PROXY_SCHEMES)} and a host "
            f"(it has {got}): {_scrubbed(str(exc), proxy)}",
        ) from None
    if value.url.scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        raise InvalidArgumentError(
            "proxy", "a SOCKS proxy needs the socksio package (pip install 'httpx[socks]')"
        )
    return value


def _scrubbed(message: str, proxy: str) -> str:
    # The URL may carry a password: never repeat it.
    return "the URL is not valid" if proxy in message else message


class Connections:
    """The pool of one client and its views, made on first use inside the running loop."""

    def __init__(
        self,
        base_url: str,
        make_client: Callable[[], PuhuriHttpxClient],
        max_concurrency: int,
    ) -> None:
        self.closed = False
        self._base_url = base_url
        self._make_client = make_client  # called in the loop, on the first request
        self._max_concurrency = max_concurrency
        self._client: PuhuriHttpxClient | None = None
        self._limiter: anyio.CapacityLimiter | None = None
        self._loop: object | None = None

    @property
    def client(self) -> PuhuriHttpxClient | None:
        """The httpx client, once made (the first request makes it)."""
        return self._client

    def open(self) -> tuple[PuhuriHttpxClient, anyio.CapacityLimiter]:
        """The httpx client and the limiter, made now if this is the first request."""
        if self.closed:
            raise ClientClosedError(f"the client for {self._base_url} is closed")
        loop = current_loop()
        client, limiter = self._client, self._limiter
        if client is None or limiter is None:
            client = self._client = self._make_client()
            limiter = self._limiter = anyio.CapacityLimiter(self._max_concurrency)
            self._loop = loop
        elif loop is not self._loop:
            raise EventLoopMismatchError(
                f"the client for {self._base_url} was first used in another event loop, and "
                "its connections belong to that loop (a second asyncio.run() cannot use "
                "them): make the client inside the loop that uses it, e.g. `async with "
                "PuhuriClient(...) as client:` in the coroutine that asyncio.run() runs, one "
                "client per loop"
            )
        return client, limiter

    async def aclose(self) -> None:
        """Close the connections; later requests raise ``ClientClosedError``. Idempotent.

        From another loop than the pool's, the pool is dropped without closing: its sockets
        belong to that loop (which may be closed) and go when they are collected.
        """
        self.closed = True
        client, self._client = self._client, None
        if client is not None and current_loop() is self._loop:
            await client.aclose()


def http_client(
    *,
    auth: PinnedTokenAuth,
    user_agent: str,
    timeout: httpx.Timeout,
    max_concurrency: int,
    verify: bool | ssl.SSLContext,
    origin: Origin,
    proxy: httpx.Proxy | None,
    transport: httpx.AsyncBaseTransport | None,
) -> PuhuriHttpxClient:
    """The one ``httpx.AsyncClient`` of a client, made on its first request in the running
    loop: no redirects followed by httpx (the request loop follows same-origin ones), no
    cookies, as many connections as requests may be in flight.

    The network layer: ``transport`` if one was given (it makes its own connections: the
    constructor refused ``verify`` and ``proxy`` with it); else, without ``proxy``, the aiohttp
    transport where ``_transports.select`` picks it (asyncio, aiohttp installed, no proxy in
    the environment), with this client's TLS context and limits; else httpx's own, which is
    the one that applies a proxy.
    Requests to the aiohttp transport or httpx's own skip httpx's send layers, which do
    nothing for them without a proxy (``_httpx_client``).

    ``trust_env`` stays on, as httpx has it: without ``proxy``, the ``HTTP_PROXY``,
    ``HTTPS_PROXY``, ``ALL_PROXY`` and ``NO_PROXY`` variables choose a proxy; with it, they are
    not read. (``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` are read by the shared TLS context.)
    """
    limits = httpx.Limits(
        max_connections=max_concurrency, max_keepalive_connections=max_concurrency
    )
    context = context_for(verify, origin, injected=transport is not None)
    if transport is None and proxy is None:
        transport = _transports.select(verify=context, limits=limits)
    return PuhuriHttpxClient(
        auth=auth,
        direct=proxy is None,
        headers={
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": user_agent,
        },
        timeout=timeout,
        limits=limits,
        verify=context,
        proxy=proxy,
        transport=transport,
        follow_redirects=False,
        cookies=_no_cookies(),
    )


def _no_cookies() -> CookieJar:
    """A cookie jar that takes none: the token authenticates every request, so a cookie could
    only grow without end (a server setting new ones) or turn on session checks (CSRF)."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=()))
