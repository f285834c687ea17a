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

import anyio

from puhuri_async._arguments import uuid_arg
from puhuri_async._capabilities import DROPPED_FIELD_EFFECTS, ServerInfo, detect
from puhuri_async._customer_uuid import PROVIDER_FILTER, CustomerUuids, TranslatingSource
from puhuri_async._errors import DecodeError, PermissionDeniedError, UnsupportedByServerError
from puhuri_async._filters import item_check, list_query
from puhuri_async._http import Transport
from puhuri_async._operations import METHODS, Operation
from puhuri_async._page_fetch import PageSource
from puhuri_async._pagination import Paginator
from puhuri_async._progress import Progress
from puhuri_async._response import Response
from puhuri_async.models import ActionResult, structure, structure_many
from puhuri_async.models._converter import page_structurer, structurer

__all__ = ["FORBIDDEN_HINTS", "EndpointMixin", "structure_for", "structure_list_for"]

#: Why a write may be forbidden to a valid token, by row name: said in its PermissionDeniedError.
FORBIDDEN_HINTS = {
    "marketplace_order_cancel": (
        "cancel is a consumer action: the order's project or staff may cancel it, the "
        "provider cannot; the provider declines with marketplace_order_reject_by_provider"
    ),
    "marketplace_provider_resource_set_as_erred": (
        "on Waldur 7.x only staff may set a resource erred"
    ),
}

T = TypeVar("T")


class EndpointMixin:
    """Base of the endpoint mixins that ``PuhuriClient`` composes."""

    _transport: Transport
    _page_size: int
    # What the server is, found out once per client when first needed (``_capabilities``).
    _server: ServerInfo | None = None
    _server_version: str | None = None
    _server_lock: anyio.Lock | None = None
    _customer_uuids: CustomerUuids | None = None

    async def server_version(self) -> str:
        """The server's version, from ``version/`` (read once, then cached): ``"7.0.7"``...

        Real servers let only staff and support read it: any other token gets
        ``PermissionDeniedError``. ``server_info()`` works for every role.
        """
        if self._server_version is None:
            answer = await self._transport.request("GET", "version/", operation="server_version")
            data = answer.data
            version = data.get("version") if isinstance(data, dict) else None
            if not isinstance(version, str) or not version.strip():
                raise DecodeError(
                    f"version/ answered no version: {data!r}"[:200],
                    operation="server_version",
                    url=answer.url,
                    status_code=answer.status_code,
                )
            self._server_version = version.strip()
        return self._server_version

    async def server_info(self) -> ServerInfo:
        """What the client knows of the server, found out once and cached (every role).

        ``version/`` when the token may read it, else ``OPTIONS`` probes of routes that arrived
        in 8.0 and 8.1 (no side effects). The client asks on its own, on the first call that
        needs it: an operation or a body field that older servers lack (see
        ``docs/server-versions.md``).
        """
        if self._server is not None:
            return self._server
        if self._server_lock is None:
            self._server_lock = anyio.Lock()
        async with self._server_lock:
            if self._server is None:
                info = await detect(self._transport, operation="server_info")
                if info.version is not None:
                    self._server_version = info.version
                self._server = info
        return self._server

    async def _honoured(self, name: str, fields: Iterable[str] = ()) -> None:
        """Refuse (``UnsupportedByServerError``) what the server cannot honour of method
        ``name``'s row: the operation itself (``since``) or a body field it would drop
        (``body_since``) among the ``fields`` about to be sent. Asks the server only for a row
        that has such a requirement."""
        row = METHODS[name]
        needed = [field for field in fields if field in row.body_since]
        if row.since is None and not needed:
            return
        info = await self.server_info()
        _refuse_operation(name, row, info)
        for field in needed:
            version = row.body_since[field]
            verdict = info.satisfies(version)
            if verdict:
                continue
            param = next((p.name for p in row.params if p.field == field), field)
            effect = DROPPED_FIELD_EFFECTS.get(field, "it would drop it and still answer 2xx")
            if verdict is None:
                problem = (
                    f"not sent: the server's version cannot be told, and a server older than "
                    f"{version} ignores {field!r} ({effect}); leave it out to send the rest"
                )
            else:
                problem = f"needs a server of version {version} or later; this one is {info}: "
                problem += effect
            raise UnsupportedByServerError(
                param, problem, operation=name, needs=version, server=str(info)
            )

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

        A ``provider_uuid`` filter that names a ``ServiceProvider`` is sent as its customer's
        uuid, the one Waldur's filter compares (see ``_customer_uuid``).

        Filters come as the positional dict, as the named filter parameters (``None`` means
        not filtered) and as keywords; they are merged (neither input changed) and checked
        against the operation's table; ``fields`` become repeated ``field`` parameters;
        ``extra_params`` pass through unchecked, for filters newer servers add.

        From the row: ``ordering`` is sent as ``o=`` (unless the caller chose one) so that the
        pages of a list cannot overlap; where a list has no unique ordering the paginator reads
        the pages again when fewer distinct items came than counted. ``item_filters`` make every
        row checked against the equality filters it carries: a row the server should have
        filtered out is dropped and reported (``FilterIgnoredWarning``, or
        ``FilterIgnoredError`` under ``strict``).
        """
        row = METHODS[name]
        path = _path(row, path_args)
        if self._server is not None:  # a list is never held up by asking the server
            _refuse_operation(name, row, self._server)
        if named:
            given = {key: value for key, value in named.items() if value is not None}
            keywords = {**given, **keywords}
        query = list_query(row.path, filters, keywords, fields=fields, extra_params=extra_params)
        provider = [value for key, value in query if key == PROVIDER_FILTER]
        source: PageSource = self._transport
        if len(provider) == 1:  # a ServiceProvider uuid becomes its customer's (_customer_uuid)
            if self._customer_uuids is None:
                self._customer_uuids = CustomerUuids()
            source = TranslatingSource(self._transport, provider[0], self._customer_uuids)
        return Paginator(
            source,
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
            order=row.ordering,
            row_check=item_check(row.item_filters, query) if row.item_filters else None,
        )

    async def _get(self, name: str, model: type[T], path_args: tuple[object, ...]) -> T:
        """The one object read by method ``name``."""
        row = METHODS[name]
        await self._honoured(name)
        response = await self._transport.request("GET", _path(row, path_args), operation=name)
        return structure_for(response.data, model=model, operation=name, response=response)

    async def _rows(self, name: str, model: type[T], path_args: tuple[object, ...]) -> list[T]:
        """A list the server answers whole, in one response without paging (``team/``)."""
        row = METHODS[name]
        await self._honoured(name)
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
        sent = [key for key, value in json.items() if value is not None] if _is_dict(json) else []
        await self._honoured(name, sent)
        try:
            return await self._transport.request(
                row.method,
                row.path if path is None else path,
                operation=name,
                json=json,
                idempotent=bool(row.idempotent),
            )
        except PermissionDeniedError as error:
            error.hint = FORBIDDEN_HINTS.get(row.name)
            raise


def _is_dict(value: Any) -> bool:
    return isinstance(value, dict)


def _refuse_operation(name: str, row: Operation, info: ServerInfo) -> None:
    """``UnsupportedByServerError`` when ``info`` says the server lacks the row's endpoint."""
    if row.since is not None and info.satisfies(row.since) is False:
        raise UnsupportedByServerError(
            name,
            f"the server has no such endpoint ({row.method} {row.path} needs version "
            f"{row.since} or later; this one is {info})",
            operation=name,
            needs=row.since,
            server=str(info),
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
