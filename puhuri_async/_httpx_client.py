"""The client's ``httpx.AsyncClient``: httpx's, with a short way through ``send`` where the
long one does nothing.

``httpx.AsyncClient.send`` runs every request through an auth generator, a redirect loop,
event hooks, a cookie jar (a ``CookieJar`` walk over an ``email.message`` copy of the
headers), a timing wrapper round the body and the routing of proxy mounts. For the transport
of ``puhuri_async._transports`` (``AiohttpTransport``), the only transport the client picks
on its own, each of those is known to do nothing:

- auth: the client's ``PinnedTokenAuth`` is a one-step flow, applied here directly;
- redirects: httpx follows none (the request loop follows same-origin ones itself);
- hooks: the client sets none;
- cookies: the jar refuses every cookie (``_connections``), so none is stored or sent;
- the timing wrapper only sets ``Response.elapsed``, which the client never reads;
- mounts: the aiohttp transport is used only without a proxy (``_transports.select``, and a
  given transport refuses ``proxy=``), so there is none.

So ``send`` hands such a request to the transport itself; any other request, client or
transport (httpx's own, a mock, ``transport=``) takes httpx's full path.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from puhuri_async._auth import PinnedTokenAuth

__all__ = ["PuhuriHttpxClient"]

_httpx_logger = logging.getLogger("httpx")


class PuhuriHttpxClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` that sends straight to ``direct`` (see the module docs)."""

    def __init__(
        self,
        *,
        auth: PinnedTokenAuth,
        direct: httpx.AsyncBaseTransport | None,
        **options: Any,
    ) -> None:
        super().__init__(auth=auth, **options)
        self._pinned = auth
        self._direct = direct

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        """``httpx.AsyncClient.send``; a streamed request with the client's own settings goes
        straight to the direct transport."""
        direct = self._direct
        if (
            direct is None
            or not stream
            or auth is not httpx.USE_CLIENT_DEFAULT
            or follow_redirects is not httpx.USE_CLIENT_DEFAULT
            or self.is_closed
            or "timeout" not in request.extensions
            or self.event_hooks["request"]
            or self.event_hooks["response"]
        ):
            return await super().send(
                request, stream=stream, auth=auth, follow_redirects=follow_redirects
            )
        self._pinned.apply(request)
        try:
            response = await direct.handle_async_request(request)
        except httpx.RequestError as exc:
            _attach(exc, request)
            raise
        response.request = request
        if _httpx_logger.isEnabledFor(logging.INFO):
            _httpx_logger.info(
                'HTTP Request: %s %s "%s %d %s"',
                request.method,
                request.url,
                response.http_version,
                response.status_code,
                response.reason_phrase,
            )
        return response


def _attach(exc: httpx.RequestError, request: httpx.Request) -> None:
    """Give ``exc`` its request if the transport raised it without one (as httpx does)."""
    try:
        exc.request  # noqa: B018 - raises when unset
    except RuntimeError:
        exc.request = request
