"""The public door: ``client.request()`` and ``client.paginate()`` for any endpoint.

The named operations cover what a service provider does daily; everything else in Waldur's API
is reachable through these two methods, with what the named ones get from the transport: the
token pinned to the API origin, retries by idempotency, the shared concurrency limit, the body
cap, typed errors, and (for lists) the concurrent, deduplicating paginator.

A path is relative to the API root (``"marketplace-orders/"``, with or without a leading ``/``;
the trailing ``/`` Waldur needs is added) and may carry a query string, merged before
``params``. An absolute URL is accepted when it is under the API root on the API origin (an
object's ``url`` field). Anything that would leave the API root is refused before sending:
``..`` or ``.`` segments (also percent-encoded, also twice), encoded slashes, backslashes,
``//host`` and URLs on another origin or outside the API root.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from puhuri_async._errors import InvalidArgumentError
from puhuri_async._http import Transport
from puhuri_async._pagination import Paginator
from puhuri_async._progress import Progress
from puhuri_async._urls import Params, check_origin, is_absolute, normalize_params, origin_of
from puhuri_async.models._converter import page_structurer, structurer
from puhuri_async.models._fields import is_response_model

__all__ = ["CLIENT_METHODS", "DoorEndpoints", "api_path"]

CLIENT_METHODS = ("request", "paginate", "server_version", "server_info")
"""The client's public methods that are not rows of the operation table."""

_REQUEST = "request"
_PAGINATE = "paginate"
_MAX_UNQUOTE = 4  # percent-decoding rounds before a path is called obfuscated


def api_path(path: str, base_url: str, *, operation: str) -> tuple[str, list[tuple[str, str]]]:
    """``(path relative to the API root, its query pairs)`` for a caller's ``path``.

    Raises ``InvalidArgumentError`` (argument ``path``) for a path that leaves the API root or
    is malformed, ``CrossOriginError`` for an absolute URL on another origin.
    """
    if not isinstance(path, str):
        raise InvalidArgumentError("path", f"expected a str, got {type(path).__name__}")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        raise InvalidArgumentError("path", "must not contain whitespace or control characters")
    if "\\" in path:
        raise InvalidArgumentError("path", f"must not contain a backslash, got {path!r}")
    if "#" in path:
        raise InvalidArgumentError("path", "must not contain a fragment")
    if path.startswith("//"):
        raise InvalidArgumentError("path", f"must be a path under the API root, got {path!r}")
    base = urlsplit(base_url)
    if is_absolute(path):
        check_origin(path, origin_of(base_url), source="path", operation=operation)
        parts = urlsplit(path)
        if not (parts.path + "/").startswith(base.path):
            raise InvalidArgumentError(
                "path", f"must be under the API root {base_url}, got {path!r}"
            )
        relative, query = parts.path[len(base.path) :], parts.query
    else:
        relative, _, query = path.partition("?")
    segments = relative.split("/")
    if segments and segments[0] == "":
        segments = segments[1:]  # a leading "/" means the API root, as for named operations
    if segments and segments[-1] == "":
        segments = segments[:-1]
    for segment in segments:
        _check_segment(segment, path)
    pairs = parse_qsl(query, keep_blank_values=True)
    return "".join(f"{s}/" for s in segments), pairs


def _check_segment(segment: str, path: str) -> None:
    decoded = segment
    for _ in range(_MAX_UNQUOTE):
        if decoded in ("", ".", "..") or "/" in decoded or "\\" in decoded:
            raise InvalidArgumentError(
                "path", f"must stay under the API root (no '.', '..', empty segments): {path!r}"
            )
        again = unquote(decoded)
        if again == decoded:
            return
        decoded = again
    raise InvalidArgumentError("path", f"is percent-encoded too many times: {path!r}")


def _query(pairs: list[tuple[str, str]], params: Params | None) -> list[tuple[str, str]]:
    return [*pairs, *normalize_params(params)]


def _rows(rows: list[Any], url: str, /) -> list[Any]:
    return rows


def _row(row: Any, /) -> Any:
    return row


class DoorEndpoints:
    """``request()`` and ``paginate()``: any endpoint, with everything named operations get."""

    _transport: Transport
    _page_size: int

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send any request to the API and return its decoded JSON body (``None`` when empty).

        ``path`` is relative to the API root and may carry a query string (merged before
        ``params``); a path that would leave the API root is refused before sending.
        ``idempotent`` says whether the request may be sent again after it may have reached the
        server (a 502, a timeout): by default only GET, HEAD and OPTIONS are; pass ``True`` for
        a write you know to be idempotent (a PUT of a whole object). Errors are the named
        operations' (``NotFoundError``, ``ValidationError``, ``OutcomeUnknownError``...).
        """
        if idempotent is not None and not isinstance(idempotent, bool):
            raise InvalidArgumentError("idempotent", f"must be a bool or None, got {idempotent!r}")
        relative, pairs = api_path(path, self._transport.base_url, operation=_REQUEST)
        response = await self._transport.request(
            method,
            relative,
            operation=_REQUEST,
            params=_query(pairs, params),
            json=json,
            idempotent=idempotent,
        )
        return response.data

    def paginate(
        self,
        path: str,
        *,
        params: Params | None = None,
        model: type[Any] | None = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
    ) -> Paginator[Any]:
        """A ``Paginator`` over any Waldur list: pages fetched concurrently, items deduplicated.

        ``path`` and ``params`` are as for ``request`` (``page`` and ``page_size`` are the
        paginator's own). Items are plain dicts, or instances of ``model`` (a model class of
        ``puhuri_async.models``) when given. Nothing is fetched until it is consumed; ``limit``,
        ``progress`` and ``strict`` are those of the ``iter_*`` methods.
        """
        relative, pairs = api_path(path, self._transport.base_url, operation=_PAGINATE)
        item: Callable[[Any], Any] = _row
        items: Callable[[list[Any], str], list[Any] | None] = _rows
        if model is not None:
            if not is_response_model(model):
                raise InvalidArgumentError(
                    "model", f"must be a model class of puhuri_async.models, got {model!r}"
                )
            item = structurer(model, _PAGINATE)
            items = page_structurer(model, _PAGINATE)
        return self._transport.paginate(
            relative,
            operation=_PAGINATE,
            item=item,
            items=items,
            params=_query(pairs, params),
            page_size=self._page_size,
            limit=limit,
            progress=progress,
            strict=strict,
        )
