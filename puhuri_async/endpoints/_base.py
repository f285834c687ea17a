"""What every endpoint mixin shares: the transport, the page size, and the list plumbing.

An endpoint method is thin: it checks its arguments (``puhuri_async._validation``), builds the
path, query and body, calls the transport and structures the result (``puhuri_async.models``).
Everything that can be wrong with an argument is reported before any request is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

from puhuri_async._errors import DecodeError
from puhuri_async._pagination import Paginator
from puhuri_async._response import Response
from puhuri_async._transport import Transport
from puhuri_async._validation import check_filters, extra_params_arg, fields_arg, merge_filters
from puhuri_async.models import ActionResult, structure, structure_many
from puhuri_async.models._converter import page_structurer, structurer

__all__ = ["EndpointMixin", "Progress", "item_structurer", "structure_for", "structure_list_for"]

T = TypeVar("T")

Progress = Callable[[int, int | None], None]
"""``progress(done, total)``: items fetched so far and ``X-Result-Count`` (``None`` if unknown)."""


class EndpointMixin:
    """Base of the endpoint mixins that ``PuhuriClient`` composes."""

    _transport: Transport
    _page_size: int

    def _paginate(
        self,
        template: str,
        model: type[T],
        *,
        operation: str,
        filters: Mapping[str, Any] | None,
        keywords: Mapping[str, Any],
        path: str | None = None,
        fields: str | Iterable[str] | None = None,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
        key: Callable[[dict[str, Any]], Hashable | None] | None = None,
    ) -> Paginator[T]:
        """A paginator over the list at ``template`` (its concrete ``path`` if it has a uuid).

        Filters come as the positional dict and as keywords (merged, neither changed), checked
        against the operation's filters in the schema; ``fields`` become repeated ``field``
        parameters; ``extra_params`` pass through unchecked, for filters newer servers add.
        """
        query = check_filters(template, merge_filters(filters, keywords))
        query += fields_arg(template, fields)
        query += extra_params_arg(extra_params)
        return self._transport.paginate(
            template if path is None else path,
            operation=operation,
            item=item_structurer(model, operation),
            items=page_structurer(model, operation),
            params=query,
            page_size=self._page_size,
            limit=limit,
            progress=progress,
            strict=strict,
            key=key,
        )

    async def _get_list(self, path: str, model: type[T], *, operation: str) -> list[T]:
        """A list the server answers whole, in one response without paging (``team/``)."""
        response = await self._transport.request("GET", path, operation=operation)
        return structure_list_for(
            response.data, model=model, operation=operation, response=response
        )

    async def _action(
        self, path: str, *, operation: str, json: Any = None, idempotent: bool
    ) -> ActionResult:
        """POST an action; its answer (a status message or an empty body) as ``ActionResult``.

        ``idempotent`` says whether repeating the POST is harmless: only then may the transport
        retry it after it may have reached the server (a 502, a timeout...); otherwise such a
        failure raises ``OutcomeUnknownError``.
        """
        response = await self._transport.request(
            "POST", path, operation=operation, json=json, idempotent=idempotent
        )
        data = {} if response.data is None else response.data
        return structure_for(data, model=ActionResult, operation=operation, response=response)


def structure_for(
    data: Any, *, model: type[T], operation: str, response: Response | None = None
) -> T:
    """``structure(data, model)``, with a ``DecodeError`` naming the operation (and URL)."""
    try:
        return structure(data, model)
    except DecodeError as exc:
        raise _in_context(exc, operation, response) from exc


def item_structurer(model: type[T], operation: str) -> Callable[[Any], T]:
    """What a paginator applies to each list item: a lazy model over the item's JSON.

    List items are freshly decoded JSON that nothing else keeps, so each model takes its object
    as it is and converts its attributes when they are read (see ``models._converter.
    structurer``). An item that is not a JSON object raises ``DecodeError`` naming the
    operation at once; a malformed field raises it, naming the operation, when it is read.
    """
    return structurer(model, operation)


def structure_list_for(
    data: Any, *, model: type[T], operation: str, response: Response | None = None
) -> list[T]:
    """``structure_many(data, model)``, with a ``DecodeError`` naming the operation (and URL)."""
    try:
        return structure_many(data, model)
    except DecodeError as exc:
        raise _in_context(exc, operation, response) from exc


def _in_context(exc: DecodeError, operation: str, response: Response | None) -> DecodeError:
    """``exc`` again, with the operation, URL and status it happened in."""
    return DecodeError(
        str(exc),
        operation=operation,
        url=None if response is None else response.url,
        status_code=None if response is None else response.status_code,
    )
