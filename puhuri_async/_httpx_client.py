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

``get_request`` is ``build_request("GET", url, timeout=...)`` for the paginator's page URLs,
which differ from page to page only in their query: the part before the ``?`` is parsed once
(and kept, with the headers a GET to it gets), and a query of plain characters, which httpx
would keep as it is, is put in place of the parsed one. Any other URL is built by httpx.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Final

import httpx

from puhuri_async._auth import PinnedTokenAuth

__all__ = ["PuhuriHttpxClient"]

_httpx_logger = logging.getLogger("httpx")

# A query httpx leaves unchanged: unreserved characters, "=", "&", "+" and %XX escapes.
_PLAIN_QUERY: Final = re.compile(r"(?:[A-Za-z0-9._~=&+-]|%[0-9A-Fa-f]{2})*")
_MAX_URL: Final = 8192  # longer URLs are left to httpx (which limits them itself)
_MAX_BASES: Final = 64  # the list URLs kept, per client
_EMPTY: Final = b""


def _derivable() -> bool:
    """Whether this httpx keeps a URL as one parsed tuple (then a query can be replaced
    without parsing the rest again); if not, every URL is built by httpx."""
    parsed = getattr(httpx.URL("http://h/p?q=1"), "_uri_reference", None)
    return isinstance(parsed, tuple) and hasattr(parsed, "_replace")


_DERIVABLE: Final = _derivable()


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
        self._bases: dict[str, tuple[httpx.URL, httpx.Headers]] = {}

    def get_request(self, url: str, timeout: httpx.Timeout) -> httpx.Request:
        """``build_request("GET", url, timeout=timeout)`` for an absolute ``url``, without
        parsing again what an earlier URL of this client shared with it (module docs)."""
        base, mark, query = url.partition("?")
        known = self._bases.get(base)
        if known is None:
            known = self._learn(base)
        if known is None or len(url) > _MAX_URL or not _PLAIN_QUERY.fullmatch(query):
            return self.build_request("GET", url, timeout=timeout)
        parsed, headers = known
        target = httpx.URL(parsed)
        target._uri_reference = parsed._uri_reference._replace(query=query if mark else None)
        request = httpx.Request(
            "GET",
            target,
            headers=headers,
            extensions={"timeout": timeout.as_dict()},
            stream=httpx.ByteStream(_EMPTY),
        )
        request.read()
        return request

    def _learn(self, base: str) -> tuple[httpx.URL, httpx.Headers] | None:
        """The parsed ``base`` and a GET's headers to it (as ``build_request`` makes them), kept
        for the next URLs; ``None`` for what is left to httpx."""
        if not _DERIVABLE or "#" in base or len(base) > _MAX_URL or len(self._bases) >= _MAX_BASES:
            return None
        model = self.build_request("GET", base)
        if model.url.is_relative_url or model.url.query:
            return None
        known = self._bases[base] = (model.url, model.headers)
        return known

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
