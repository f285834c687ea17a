"""The client's ``httpx.AsyncClient``: httpx's, with a short way through ``send`` where the
long one does nothing.

``httpx.AsyncClient.send`` runs every request through an auth generator, a redirect loop,
event hooks, a cookie jar (a ``CookieJar`` walk over an ``email.message`` copy of the
headers), a timing wrapper round the body and the routing of proxy mounts. When the client's
transport is the aiohttp one of ``puhuri_async._transports`` or httpx's own
``AsyncHTTPTransport``, and no proxy is mounted, each of those is known to do nothing:

- auth: the client's ``PinnedTokenAuth`` is a one-step flow, applied here directly;
- redirects: httpx follows none (the request loop follows same-origin ones itself);
- hooks: the client sets none (a client with hooks takes the full path);
- cookies: the jar refuses every cookie (``_connections``), so none is stored or sent;
- the timing wrapper only sets ``Response.elapsed``, which the client never reads;
- mounts: none (a proxy given, or found in the environment, mounts one: then every request
  takes the full path);
- an error raised without its request gets it, as httpx's ``send`` does.

So ``send`` hands such a request to the transport itself; any other request, client or
transport (a mock, an ASGI app, any other ``transport=``) takes httpx's full path.

``get_request`` is ``build_request(method, url, timeout=...)`` for a request without a body
(page requests, reads of one object): httpx parses every URL in full, character by
character, though a client's URLs all share the API origin. Here the origin is parsed once
(and kept, with the headers a request to it gets), and a path and query of plain characters,
which httpx would keep as they are, are put in place of the parsed ones. Any other URL is built
by httpx.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Final

import httpx

from puhuri_async import _transports
from puhuri_async._auth import PinnedTokenAuth

__all__ = ["PuhuriHttpxClient"]

_httpx_logger = logging.getLogger("httpx")

# A path and a query httpx leaves as they are: unreserved characters, "/" (in a path; with no
# dot segment), "=", "&" and "+" (in a query) and %XX escapes.
_PLAIN_PATH: Final = re.compile(r"/(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*")
_PLAIN_QUERY: Final = re.compile(r"(?:[A-Za-z0-9._~=&+-]|%[0-9A-Fa-f]{2})*")
_MAX_URL: Final = 8192  # longer URLs are left to httpx (which limits them itself)
_MAX_ORIGINS: Final = 8  # the origins kept, per client (one, usually: the API's)
_BODY_METHODS: Final = frozenset({"POST", "PUT", "PATCH"})  # httpx adds Content-Length: 0
_EMPTY: Final = b""


def _split(url: str) -> tuple[str, str, str, str]:
    """``scheme://authority``, path, ``"?"`` or ``""``, query; an empty origin for a URL of
    another shape (a fragment included)."""
    start = url.find("://")
    slash = url.find("/", start + 3) if start > 0 else -1
    if slash < 0 or "#" in url or "?" in url[:slash]:
        return "", "", "", ""
    path, mark, query = url[slash:].partition("?")
    return url[:slash], path, mark, query


def _derivable() -> bool:
    """Whether this httpx keeps a URL as one parsed tuple (then a query can be replaced
    without parsing the rest again); if not, every URL is built by httpx."""
    parsed = getattr(httpx.URL("http://h/p?q=1"), "_uri_reference", None)
    return isinstance(parsed, tuple) and hasattr(parsed, "_replace")


_DERIVABLE: Final = _derivable()


class PuhuriHttpxClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` that sends straight to its transport where nothing lies
    between (with ``direct``; see the module docs)."""

    def __init__(self, *, auth: PinnedTokenAuth, direct: bool, **options: Any) -> None:
        super().__init__(auth=auth, **options)
        self._pinned = auth
        self._direct = self._sole_transport() if direct else None
        self._origins: dict[str, tuple[httpx.URL, httpx.Headers]] = {}

    def get_request(self, url: str, timeout: httpx.Timeout, method: str = "GET") -> httpx.Request:
        """``build_request(method, url, timeout=timeout)`` for an absolute ``url`` and a
        request without a body (not POST, PUT or PATCH), without parsing again the origin an
        earlier URL of this client had (module docs)."""
        origin, path, mark, query = _split(url)
        known = self._origins.get(origin)
        if known is None:
            known = self._learn(origin)
        if (
            known is None
            or len(url) > _MAX_URL
            or method in _BODY_METHODS
            or not _PLAIN_PATH.fullmatch(path)
            or "/." in path
            or not _PLAIN_QUERY.fullmatch(query)
        ):
            return self.build_request(method, url, timeout=timeout)
        parsed, headers = known
        target = httpx.URL(parsed)
        target._uri_reference = parsed._uri_reference._replace(
            path=path, query=query if mark else None
        )
        request = httpx.Request(
            method,
            target,
            headers=headers,
            extensions={"timeout": timeout.as_dict()},
            stream=httpx.ByteStream(_EMPTY),
        )
        request.read()
        return request

    def _learn(self, origin: str) -> tuple[httpx.URL, httpx.Headers] | None:
        """The parsed ``origin`` and the headers of a request to it (as ``build_request`` makes
        them), kept for the next URLs; ``None`` for what is left to httpx."""
        if not _DERIVABLE or not origin or len(self._origins) >= _MAX_ORIGINS:
            return None
        model = self.build_request("GET", origin + "/")
        if model.url.is_relative_url:
            return None
        known = self._origins[origin] = (model.url, model.headers)
        return known

    def _sole_transport(self) -> httpx.AsyncBaseTransport | None:
        """The transport every request goes to, if it is one a request may be handed to
        directly (module docs); ``None`` if a proxy is mounted, or for any other transport."""
        mounts = getattr(self, "_mounts", None)
        transport = getattr(self, "_transport", None)
        if mounts != {} or not isinstance(transport, httpx.AsyncBaseTransport):
            return None
        if type(transport) is httpx.AsyncHTTPTransport or _transports.is_direct(transport):
            return transport
        return None

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
