"""FakePuhuri: the ASGI application that plays Puhuri Core, with latency and fault injection."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import anyio

from puhuri_async.testing._data import FakeData, JSONObject
from puhuri_async.testing._faults import DataChange, Fault, FaultState, path_matches
from puhuri_async.testing._http import HttpError, Reply, Request
from puhuri_async.testing._log import RequestLog, RequestRecord
from puhuri_async.testing._profiles import ServerProfile, get_profile
from puhuri_async.testing._quirks import Quirks
from puhuri_async.testing._routes import Api, html_not_found
from puhuri_async.testing._server import connection_count, run_in_thread
from puhuri_async.testing._transport import FakeTransport
from puhuri_async.testing._views import Views
from puhuri_async.testing._visibility import DEFAULT_TOKENS, Caller
from puhuri_async.testing._wire import (
    Message,
    Receive,
    Scope,
    Send,
    faulty,
    lifespan,
    request_of,
    send_reply,
)

__all__ = ["DEFAULT_TOKEN", "FakePuhuri", "Message"]


DEFAULT_TOKEN = "test-token"  # noqa: S105 - the fake's documented test token

_SAFE_METHODS = ("GET", "HEAD")
_REBASED_MIN = 16 * 1024  # bodies this large keep their copy for the origin they were sent to
_MAX_REBASED_BYTES = 256 * 1024 * 1024  # then the copies kept are dropped, all at once


@dataclass
class _Outcome:
    """What the fake answers for one request, before it goes on the wire."""

    reply: Reply
    applied: bool
    fault: Fault | None


class FakePuhuri:
    """An in-memory Puhuri Core (Waldur Mastermind) for tests, demos and benchmarks.

    It is a plain ASGI application (``await fake(scope, receive, send)``); use
    ``transport`` to call it in-process from httpx, or ``serve`` to run it on a loopback
    port. ``data`` defaults to ``FakeData.generate()``.

    Args:
        data: The objects served; ``FakeData.generate()`` by default.
        token: The staff token (``Authorization: Token <t>`` or ``Bearer <t>``): it sees and
            may do everything. Any token not known is refused (401); ``None`` accepts any
            request, as staff unless its token is one of ``tokens``.
        tokens: More tokens, each mapped to the role of its user (``owner`` of the provider,
            ``other_owner`` of another provider, ``member`` of a project, ``support``); by
            default ``owner-token``, ``other-owner-token``, ``member-token`` and
            ``support-token``.
        profile: The server version played: ``"8.0"`` (the default), ``"8.1"`` or ``"7.0"``;
            see ``ServerProfile``.
        quirks: The real-server behaviours shown (see ``Quirks``; none by default).
        latency: Seconds every answer is delayed.
        path_latency: Path globs mapped to their own delay (first match wins).
        faults: Fault plans to install (``Fault``).
        changes: Scheduled data changes (``DataChange``).
        clock: Gives the time stamped on changes.
        sleep: Waits out latency and slow faults (default ``anyio.sleep``); replace it to test
            without waiting.
    """

    def __init__(
        self,
        data: FakeData | None = None,
        *,
        token: str | None = DEFAULT_TOKEN,
        tokens: Mapping[str, str] | None = None,
        profile: str | ServerProfile = "8.0",
        quirks: Quirks | None = None,
        latency: float = 0.0,
        path_latency: Mapping[str, float] | None = None,
        faults: Iterable[Fault] = (),
        changes: Iterable[DataChange] = (),
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        if latency < 0:
            raise ValueError(f"latency must be >= 0, got {latency}")
        self.data = data if data is not None else FakeData.generate()
        self.token = token
        self.tokens: dict[str, str] = dict(DEFAULT_TOKENS if tokens is None else tokens)
        """Token -> role, besides ``token`` (staff)."""
        for role in self.tokens.values():
            if role not in self.data.accounts:
                known = ", ".join(sorted(self.data.accounts))
                raise ValueError(f"unknown role {role!r} in tokens; choose from {known}")
        self.profile = get_profile(profile)
        self.quirks = quirks if quirks is not None else Quirks()
        self.latency = latency
        self.path_latency: dict[str, float] = dict(path_latency or {})
        self._sleep = sleep or anyio.sleep
        self.lock = threading.RLock()
        """Held while a request is processed; hold it to read or change ``data`` consistently."""
        self.log = RequestLog()
        self._views = Views(self.data)
        self._api = Api(
            self.data,
            self._views,
            clock or (lambda: datetime.now(UTC)),
            self.profile,
            self.quirks,
        )
        self._faults = [FaultState(fault) for fault in faults]
        self._changes: list[list[Any]] = [[change, 0] for change in changes]
        self._servers: list[Any] = []
        self.in_flight = 0
        """Requests being answered right now."""
        self.max_in_flight = 0
        """The most requests answered at once so far; set it to 0 to measure afresh."""
        parts = urlsplit(self.data.base_url)
        self._root = parts.path if parts.path.endswith("/") else parts.path + "/"
        self._canonical = self.data.base_url.encode()
        self._rebased: dict[tuple[int, bytes], tuple[bytes, bytes]] = {}
        self._rebased_bytes = 0
        self._rebased_generation = -1

    @property
    def base_url(self) -> str:
        """The API root used in-process (``http://puhuri.test/api/`` unless the data says else)."""
        return self.data.base_url

    # -- set-up from tests ------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> Fault:
        """Install a fault plan (after those already installed; the first that fires wins)."""
        with self.lock:
            self._faults.append(FaultState(fault))
        return fault

    def clear_faults(self) -> None:
        """Remove every fault plan."""
        with self.lock:
            self._faults.clear()

    def fault_counts(self) -> list[tuple[Fault, int, int]]:
        """Each plan with how many requests it matched and how often it fired."""
        with self.lock:
            return [(state.fault, state.matched, state.fired) for state in self._faults]

    def schedule_change(self, change: DataChange) -> DataChange:
        """Install a data change that happens after its ``after``-th matching request."""
        with self.lock:
            self._changes.append([change, 0])
        return change

    def insert(self, collection: str, count: int = 1, *, at: int = 0) -> list[JSONObject]:
        """Insert new objects now (see ``FakeData.insert``)."""
        with self.lock:
            return self.data.insert(collection, count, at=at)

    def delete(self, collection: str, count: int = 1, *, at: int = 0) -> list[JSONObject]:
        """Delete objects now (see ``FakeData.delete``)."""
        with self.lock:
            return self.data.delete(collection, count, at=at)

    # -- request log ------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request answered so far, in order."""
        return self.log.records()

    def requests_for(
        self, method: str | None = None, path: str | None = None
    ) -> list[RequestRecord]:
        """The logged requests with ``method`` whose path matches the glob ``path``.

        ``path`` is exact unless it has wildcards; without a leading ``/`` it is relative to
        ``/api/``: ``fake.requests_for("POST", "marketplace-orders/*/approve_by_provider/")``.
        """
        return self.log.matching(method, path)

    def clear_requests(self) -> None:
        """Forget the request log."""
        self.log.clear()

    # -- clients ----------------------------------------------------------------------------

    def transport(self) -> FakeTransport:
        """An ``httpx.AsyncBaseTransport`` calling this fake in-process.

        Pass it to ``httpx.AsyncClient(transport=..., base_url=fake.base_url)`` or
        ``PuhuriClient(fake.base_url, token, transport=...)``. The client's read timeout is
        honoured (``httpx.ReadTimeout``) and a dropped connection raises
        ``httpx.RemoteProtocolError`` while the body is read, as on a real socket.
        """
        return FakeTransport(self)

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Run the fake on a real HTTP port in a background thread; yields the API base URL.

        ``port=0`` picks a free port. Usable from sync and async code; the server stops when
        the block ends.
        """
        with run_in_thread(self, host, port) as (origin, server):
            self._servers.append(server)
            try:
                yield origin + self._root
            finally:
                self._servers.remove(server)

    def open_connections(self) -> int:
        """How many HTTP connections are open to the servers started by ``serve``."""
        return sum(connection_count(server) for server in list(self._servers))

    # -- ASGI -------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI entry point (HTTP and lifespan)."""
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        request = request_of(scope, bytes(body))
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self._answer(request, receive, send)
        finally:
            with self.lock:
                self.in_flight -= 1

    async def _answer(self, request: Request, receive: Receive, send: Send) -> None:
        delay = self._latency_for(request.path)
        if delay > 0:
            await self._sleep(delay)
        with self.lock:
            fault = self._pick_fault(request)
        slow = fault is not None and fault.kind == "slow"
        connected = True
        if slow and fault is not None and not fault.applied:
            connected = await self._pause(fault.delay, receive)
        if connected:
            with self.lock:
                outcome = self._outcome(request, fault)
            if slow and fault is not None and fault.applied:
                connected = await self._pause(fault.delay, receive)
        else:
            outcome = _Outcome(Reply(499, b"", content_type=None), False, fault)
        reply = outcome.reply
        with self.lock:
            self.log.append(
                RequestRecord(
                    index=0,
                    method=request.method,
                    path=request.path,
                    query=tuple(request.query),
                    json=request.json_or_none(),
                    headers=tuple(request.headers.items()),
                    status=reply.status,
                    applied=outcome.applied,
                    fault=fault.kind if fault is not None else None,
                )
            )
            self._run_changes(request)
        if connected:
            dropped = fault is not None and fault.kind == "drop"
            await send_reply(send, reply, head=request.method == "HEAD", drop=dropped)

    async def _pause(self, seconds: float, receive: Receive) -> bool:
        """Sleep ``seconds``; False as soon as the client disconnects instead."""
        gone = False
        async with anyio.create_task_group() as group:

            async def watch() -> None:
                nonlocal gone
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        gone = True
                        group.cancel_scope.cancel()
                        return

            group.start_soon(watch)
            await self._sleep(seconds)
            group.cancel_scope.cancel()
        return not gone

    def _latency_for(self, path: str) -> float:
        for pattern, seconds in self.path_latency.items():
            if path_matches(pattern, path):
                return seconds
        return self.latency

    def _pick_fault(self, request: Request) -> Fault | None:
        chosen: FaultState | None = None
        for state in self._faults:
            # Every matching plan counts the request; the first one that fires answers it.
            if state.fault.matches(request.method, request.path) and state.decide():
                chosen = chosen or state
        if chosen is None:
            return None
        chosen.fired += 1
        return chosen.fault

    def _outcome(self, request: Request, fault: Fault | None) -> _Outcome:
        runs = (
            fault is None
            or fault.applied
            or fault.kind == "slow"
            or (fault.kind in ("malformed", "drop") and request.method in _SAFE_METHODS)
        )
        reply = None
        if runs:
            reply = self._dispatch(request)
        applied = reply is not None and 200 <= reply.status < 300
        if fault is not None:
            reply = faulty(fault, reply)
        assert reply is not None
        return _Outcome(reply, applied, fault)

    def _dispatch(self, request: Request) -> Reply:
        try:
            found = None
            if request.path.startswith(self._root):
                found = self._api.find(request.path[len(self._root) :])
            if found is None:
                reply = self._no_route(request)
            else:
                request.caller = self._authenticate(request)
                reply = self._api.dispatch(request, found)
        except HttpError as exc:
            reply = exc.reply()
        base = (request.origin + self._root).encode()
        if base != self._canonical and reply.body:
            reply.body = self._rebase(reply.body, base)
        return reply

    def _rebase(self, body: bytes, base: bytes) -> bytes:
        """``body`` with its URLs on ``base``. A large body is usually a cached page (the same
        ``bytes`` each time it is asked for): its copy is kept until the data changes, so a
        page asked for again is not scanned again."""
        if self._rebased_generation != self.data.generation or (
            self._rebased_bytes > _MAX_REBASED_BYTES
        ):
            self._rebased.clear()
            self._rebased_bytes = 0
            self._rebased_generation = self.data.generation
        key = (id(body), base)
        found = self._rebased.get(key)
        if found is not None and found[0] is body:
            return found[1]
        rebased = body.replace(self._canonical, base)
        if len(body) >= _REBASED_MIN:
            self._rebased[key] = (body, rebased)  # the body kept alive: its id is not reused
            self._rebased_bytes += len(body) + len(rebased)
        return rebased

    def _no_route(self, request: Request) -> Reply:
        """Django's answer for a URL no view serves: a redirect to it with a final ``/`` when
        that one is served (``APPEND_SLASH``), else the HTML 404."""
        path = request.path
        slashed = path.startswith(self._root) and not path.endswith("/")
        if slashed and self._api.find(path[len(self._root) :] + "/") is not None:
            query = urlencode(request.query)
            location = path + "/" + (f"?{query}" if query else "")
            return Reply(301, b"", [("Location", location)], "text/html; charset=utf-8")
        return html_not_found()

    def _authenticate(self, request: Request) -> Caller:
        """DRF's token authentication (keyword ``Token`` or ``Bearer``, case-insensitive)."""
        parts = request.headers.get("authorization", "").split()
        given = parts[1] if len(parts) == 2 and parts[0].lower() in ("token", "bearer") else None
        if self.token is None:
            role = self.tokens.get(given or "", "staff")
            return Caller(role, self.data.accounts[role], given or "")
        if not parts or parts[0].lower() not in ("token", "bearer"):
            raise _unauthorized("Authentication credentials were not provided.")
        if len(parts) == 1:
            raise _unauthorized("Invalid token header. No credentials provided.")
        if len(parts) > 2:
            raise _unauthorized("Invalid token header. Token string should not contain spaces.")
        assert given is not None
        if hmac.compare_digest(given.encode(), self.token.encode()):
            return Caller("staff", self.data.accounts["staff"], given)
        for token, role in self.tokens.items():
            if hmac.compare_digest(given.encode(), token.encode()):
                return Caller(role, self.data.accounts[role], given)
        raise _unauthorized("Invalid token.")

    def _run_changes(self, request: Request) -> None:
        for entry in self._changes:
            change, seen = entry
            if seen >= change.after or not change.matches(request.method, request.path):
                continue
            entry[1] = seen + 1
            if entry[1] == change.after:
                if change.delete:
                    self.data.delete(change.collection, change.delete, at=change.at)
                if change.insert:
                    self.data.insert(change.collection, change.insert, at=change.at)


def _unauthorized(detail: str) -> HttpError:
    return HttpError(401, {"detail": detail}, [("WWW-Authenticate", "Token")])
