"""What every endpoint mixin shares: the transport, the page size, and one runner per kind.

A client method is thin: it names itself and hands its arguments to the runner of its row's
kind (``puhuri_async._operations``). The runner reads the row (method, path, body fields,
idempotency, identity key), checks the arguments (path UUIDs first, then filters or body
fields, in order), calls the transport once and structures the result. Everything that can be
wrong with an argument is reported before any request is sent. The name a method passes is the
one errors and logs report, so an alias reports its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from puhuri_async._arguments import uuid_arg
from puhuri_async._errors import DecodeError
from puhuri_async._filters import list_query
from puhuri_async._operations import METHODS, Operation
from puhuri_async._pagination import Paginator
from puhuri_async._progress import Progress
from puhuri_async._response import Response
from puhuri_async._transport import Transport
from puhuri_async.models import ActionResult, structure, structure_many
from puhuri_async.models._converter import page_structurer, structurer

__all__ = ["EndpointMixin", "structure_for", "structure_list_for"]

T = TypeVar("T")


class EndpointMixin:
    """Base of the endpoint mixins that ``PuhuriClient`` composes."""

    _transport: Transport
    _page_size: int

    def _paginate(
        self,
        name: str,
        model: type[T],
        path_args: tuple[object, ...],
        filters: Mapping[str, Any] | None,
        keywords: Mapping[str, Any],
        *,
        named: Mapping[str, Any] | None = None,
        fields: str | Iterable[str] | None = None,
        extra_params: Any = None,
        limit: int | None = None,
        progress: Progress | None = None,
        strict: bool = False,
    ) -> Paginator[T]:
        """The paginator of list method ``name``: nothing is fetched until it is consumed.

        Filters come as the positional dict, as the named filter parameters (``None`` means
        not filtered) and as keywords; they are merged (neither input changed) and checked
        against the operation's table; ``fields`` become repeated ``field`` parameters;
        ``extra_params`` pass through unchecked, for filters newer servers add.
        """
        row = METHODS[name]
        path = _path(row, path_args)
        if named:
            given = {key: value for key, value in named.items() if value is not None}
            keywords = {**given, **keywords}
        query = list_query(row.path, filters, keywords, fields=fields, extra_params=extra_params)
        return self._transport.paginate(
            path,
            operation=name,
            item=structurer(model, name),
            items=page_structurer(model, name),
            params=query,
            page_size=self._page_size,
            limit=limit,
            progress=progress,
            strict=strict,
            key=row.key,
        )

    async def _get(self, name: str, model: type[T], path_args: tuple[object, ...]) -> T:
        """The one object read by method ``name``."""
        row = METHODS[name]
        response = await self._transport.request("GET", _path(row, path_args), operation=name)
        return structure_for(response.data, model=model, operation=name, response=response)

    async def _rows(self, name: str, model: type[T], path_args: tuple[object, ...]) -> list[T]:
        """A list the server answers whole, in one response without paging (``team/``)."""
        row = METHODS[name]
        response = await self._transport.request("GET", _path(row, path_args), operation=name)
        return structure_list_for(response.data, model=model, operation=name, response=response)

    async def _write(
        self,
        name: str,
        model: type[T],
        path_args: tuple[object, ...],
        values: Mapping[str, object],
    ) -> T:
        """Send write ``name`` with its body arguments ``values``; its answer as ``model``.

        An ``ActionResult`` is made of a status message or of an empty body (``{}``).
        """
        row = METHODS[name]
        path = _path(row, path_args)
        response = await self._send(name, _body(row, values), path=path)
        data = response.data
        if data is None and model is ActionResult:
            data = {}
        return structure_for(data, model=model, operation=name, response=response)

    async def _write_only(
        self, name: str, path_args: tuple[object, ...], values: Mapping[str, object]
    ) -> None:
        """Send write ``name``, whose answer carries nothing to return."""
        row = METHODS[name]
        path = _path(row, path_args)
        await self._send(name, _body(row, values), path=path)

    async def _send(self, name: str, json: Any = None, *, path: str | None = None) -> Response:
        """Send the write of method ``name`` with body ``json``: its row's HTTP method, its
        path (or the concrete ``path``) and its idempotency.

        Only a row marked idempotent (which says why) may be sent again after it may have
        reached the server (a 502, a timeout...); otherwise such a failure raises
        ``OutcomeUnknownError``.
        """
        row = METHODS[name]
        return await self._transport.request(
            row.method,
            row.path if path is None else path,
            operation=name,
            json=json,
            idempotent=bool(row.idempotent),
        )


def path_of(name: str, path_args: tuple[object, ...]) -> str:
    """The concrete path of method ``name``'s row, its UUID arguments checked."""
    return _path(METHODS[name], path_args)


def _path(row: Operation, values: tuple[object, ...]) -> str:
    if not row.path_args:
        return row.path
    checked = {arg: uuid_arg(value, arg) for arg, value in zip(row.path_args, values, strict=True)}
    return row.path.format_map(checked)


def _body(row: Operation, values: Mapping[str, object]) -> dict[str, Any] | None:
    """The JSON body of a generated write: each parameter checked in order, ``None`` left out."""
    if not row.sends_body:
        return None
    body: dict[str, Any] = {}
    for param in row.params:
        wire = param.check(values[param.name], param.name)
        if wire is not None:
            body[param.field] = wire
    return body


def structure_for(
    data: Any, *, model: type[T], operation: str, response: Response | None = None
) -> T:
    """``structure(data, model)``, with a ``DecodeError`` naming the operation (and URL)."""
    try:
        return structure(data, model)
    except DecodeError as exc:
        raise _in_context(exc, operation, response) from exc


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
