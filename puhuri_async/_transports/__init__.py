"""Which httpx transport a client sends its requests with.

``select`` is asked once, when a client opens its connections inside the running event loop:

- ``PUHURI_ASYNC_HTTP=httpx``: httpx's own transport (``None``: the caller lets httpx make it);
- ``auto`` (the default): the aiohttp transport (``_aiohttp``) when aiohttp is installed (the
  ``aiohttp`` extra), the running library is asyncio and no proxy is configured in the
  environment; otherwise httpx's own;
- ``aiohttp``: as ``auto``, but aiohttp must be installed (a test run over it cannot then
  silently measure httpx instead).

aiohttp runs on asyncio only, so on trio httpx's transport is always used. Proxies from the
environment (``HTTPS_PROXY`` and friends) are honoured by httpx's transport only, so a client
that has one stays there too. And when httpx's own network layer has been replaced in place
(respx and other mocks patch httpcore's connection pool), httpx's transport is kept, so that
the mock sees every request.
"""

from __future__ import annotations

import importlib.util
import os
import ssl
import sys
from typing import Final

import httpx
import sniffio

__all__ = ["ENVIRONMENT", "choice", "is_direct", "select"]

ENVIRONMENT: Final = "PUHURI_ASYNC_HTTP"
_CHOICES: Final = ("auto", "httpx", "aiohttp")
_PROXY_VARIABLES: Final = ("http_proxy", "https_proxy", "all_proxy")


def choice() -> str:
    """The transport asked for by ``PUHURI_ASYNC_HTTP`` (``auto`` when unset)."""
    value = os.environ.get(ENVIRONMENT, "auto").strip().lower() or "auto"
    if value not in _CHOICES:
        raise ValueError(f"{ENVIRONMENT}={value!r}: expected one of {', '.join(_CHOICES)}")
    return value


def _proxied(trust_env: bool) -> bool:
    if not trust_env:
        return False
    return any(os.environ.get(name) or os.environ.get(name.upper()) for name in _PROXY_VARIABLES)


def _httpx_patched() -> bool:
    """Whether a mock replaced httpx's network layer in place (httpcore's pool or connection,
    or httpx's transport): then only httpx's own transport reaches it."""
    owners: list[type] = [httpx.AsyncHTTPTransport]
    httpcore = sys.modules.get("httpcore")
    if httpcore is not None:
        owners += [httpcore.AsyncConnectionPool, httpcore.AsyncHTTPConnection]
    for owner in owners:
        method = owner.__dict__.get("handle_async_request")
        module = getattr(method, "__module__", None) or ""
        if not module.startswith(("httpx", "httpcore")):
            return True
    return False


def select(
    *,
    verify: ssl.SSLContext | bool,
    limits: httpx.Limits,
    trust_env: bool = True,
) -> httpx.AsyncBaseTransport | None:
    """The transport for a client opened now: an ``AiohttpTransport`` with this TLS context and
    these limits, or ``None`` for httpx's own (see the module docs for the rule)."""
    wanted = choice()
    if wanted == "httpx":
        return None
    installed = importlib.util.find_spec("aiohttp") is not None
    if not installed:
        if wanted == "aiohttp":
            raise RuntimeError(f"{ENVIRONMENT}=aiohttp, but aiohttp is not installed")
        return None
    try:
        library = sniffio.current_async_library()
    except sniffio.AsyncLibraryNotFoundError:
        return None
    if library != "asyncio" or _proxied(trust_env) or _httpx_patched():
        return None
    from puhuri_async._transports._aiohttp import AiohttpTransport

    return AiohttpTransport(verify=verify, limits=limits)


def is_direct(transport: httpx.AsyncBaseTransport | None) -> bool:
    """Whether ``transport`` is the aiohttp transport of this package, which needs nothing of
    httpx's client around its calls (``puhuri_async._httpx_client``)."""
    module = sys.modules.get("puhuri_async._transports._aiohttp")
    return module is not None and isinstance(transport, module.AiohttpTransport)
