"""aiohttp's exceptions as the httpx exceptions the request loop classifies.

The one rule that matters: only a failure that happened before any byte of the request could
have reached the server becomes a "not sent" class (``httpx.ConnectError``, ``ConnectTimeout``,
``PoolTimeout``, ``ProxyError``); the request loop may repeat those even for a POST. aiohttp
raises its connector errors (``ClientConnectorError`` and its TLS, DNS and proxy kinds, and
``ConnectionTimeoutError``) only while it opens a connection, before the request is written, so
those, and a wait for a free connection that timed out, are the only ones mapped so. Anything
else (a dropped or reset connection, a body cut short, a read timeout, a malformed answer, an
error this module does not know) happened after the request may have been sent, and becomes
``ReadError``, ``RemoteProtocolError`` or ``ReadTimeout``: never a class that would let a
non-idempotent request be sent again.
"""

from __future__ import annotations

import asyncio

import aiohttp
import httpx

__all__ = ["after_send", "before_send", "map_error"]


def before_send(exc: Exception, request: httpx.Request) -> httpx.HTTPError | None:
    """The "not sent" httpx error for a failure to open the connection, else ``None``."""
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return httpx.ProxyError(_text(exc), request=request)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(_text(exc), request=request)
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ServerFingerprintMismatch):
        # TLS verification failures included: their ssl error is the chained cause.
        return httpx.ConnectError(_text(exc), request=request)
    if isinstance(exc, aiohttp.NonHttpUrlClientError):
        return httpx.UnsupportedProtocol(_text(exc), request=request)
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx.LocalProtocolError(_text(exc), request=request)
    return None


def after_send(exc: BaseException, request: httpx.Request) -> httpx.HTTPError:
    """The httpx error for a failure once the request may have been sent (never "not sent")."""
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError(
            "the server closed the connection without a complete response", request=request
        )
    if isinstance(exc, aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError(
            f"the response body was cut short ({_text(exc)})", request=request
        )
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        # aiohttp's SocketTimeoutError (sock_read) and any other timer of a request under way.
        return httpx.ReadTimeout(_text(exc) or "read timed out", request=request)
    if isinstance(exc, aiohttp.ClientResponseError):
        # aiohttp reports an answer it cannot parse as a response error of its own.
        return httpx.RemoteProtocolError(
            f"malformed response ({exc.message or exc.status})", request=request
        )
    return httpx.ReadError(_text(exc) or type(exc).__name__, request=request)


def map_error(exc: Exception, request: httpx.Request) -> httpx.HTTPError:
    """The httpx error for any exception aiohttp raised while sending ``request``."""
    return before_send(exc, request) or after_send(exc, request)


def _text(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
