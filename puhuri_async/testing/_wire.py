"""The ASGI side of the fake: requests from a scope, answers onto the wire, fault answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from puhuri_async.testing import _jsonio
from puhuri_async.testing._faults import Fault
from puhuri_async.testing._http import Reply, Request, reason

__all__ = ["Message", "Receive", "Scope", "Send", "faulty", "lifespan", "request_of", "send_reply"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_PLACEHOLDER = b'{"detail":"The answer was lost on the way."}'


def request_of(scope: Scope, body: bytes) -> Request:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    host = headers.get("host")
    if not host:
        server = scope.get("server") or ("localhost", 80)
        host = f"{server[0]}:{server[1]}"
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    return Request(
        method=scope["method"].upper(),
        path=scope["path"],
        query=query,
        headers=headers,
        body=body,
        origin=f"{scope.get('scheme', 'http')}://{host}",
    )


def faulty(fault: Fault, reply: Reply | None) -> Reply:
    """The answer ``fault`` gives instead of (or made from) ``reply``."""
    if fault.kind == "slow":
        assert reply is not None
        return reply
    if fault.kind == "status":
        headers = []
        if fault.retry_after is not None:
            headers.append(("Retry-After", _seconds(fault.retry_after)))
        if fault.body is not None:
            return Reply(fault.status, fault.body, headers, fault.content_type)
        if fault.status == 429:
            wait = _seconds(fault.retry_after) if fault.retry_after is not None else "1"
            detail = f"Request was throttled. Expected available in {wait} seconds."
        else:
            detail = f"{fault.status} {reason(fault.status)}"
        return Reply(fault.status, _jsonio.dumps({"detail": detail}), headers)
    if fault.kind == "html":
        title = (
            "Service temporarily unavailable"
            if fault.status < 400
            else (f"{fault.status} {reason(fault.status)}")
        )
        page = (
            f"<!DOCTYPE html><html><head><title>{title}</title></head>"
            f"<body><h1>{title}</h1><p>The server is undergoing maintenance.</p></body></html>"
        )
        return Reply(fault.status, page.encode(), [], "text/html; charset=utf-8")
    status, body, headers = 200, _PLACEHOLDER, []
    if reply is not None:
        status, headers = reply.status, reply.headers
        if len(reply.body) >= 2:
            body = reply.body
    if fault.kind == "malformed":
        return Reply(status, body[: len(body) // 2], headers)
    return Reply(status, body, headers)  # drop: _send cuts it


def _seconds(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


async def send_reply(send: Send, reply: Reply, *, head: bool, drop: bool) -> None:
    headers = [(b"content-length", str(len(reply.body)).encode())]
    if reply.content_type:
        headers.append((b"content-type", reply.content_type.encode()))
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    if head:
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    elif drop:
        # Half the body, then return without finishing: the server closes the connection.
        await send(
            {
                "type": "http.response.body",
                "body": reply.body[: len(reply.body) // 2],
                "more_body": True,
            }
        )
    else:
        await send({"type": "http.response.body", "body": reply.body, "more_body": False})


async def lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
