"""Loopback servers for the command-line tests: a FakePuhuri that also answers ``users/me/``,
and a raw-socket server that trickles its answer one byte at a time.

``WithMe`` passes every request to the fake. When the fake has no ``users/me/`` route (it
answers 404), it answers as Waldur does: the token's user, or 401 for a wrong token. Once the
fake serves ``users/me/`` itself, its answer is what the tests see.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from puhuri_async.testing import FakePuhuri

Scope = dict[str, Any]


class WithMe:
    """An ASGI app: ``fake``, plus ``users/me/`` as the first user of its data."""

    def __init__(self, fake: FakePuhuri) -> None:
        self.fake = fake

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/users/me/"):
            await self.fake(scope, receive, send)
            return
        held: list[dict[str, Any]] = []

        async def hold(message: dict[str, Any]) -> None:
            held.append(message)

        await self.fake(scope, receive, hold)
        if held and held[0].get("status") != 404:
            for message in held:
                await send(message)
            return
        status, body = self._me(scope)
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _me(self, scope: Scope) -> tuple[int, bytes]:
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        parts = headers.get("authorization", "").split()
        if len(parts) != 2 or parts[0].lower() not in ("token", "bearer"):
            return 401, b'{"detail": "Authentication credentials were not provided."}'
        if self.fake.token is not None and parts[1] != self.fake.token:
            return 401, b'{"detail": "Invalid token."}'
        with self.fake.lock:
            me = dict(self.fake.data.users[0])
        return 200, json.dumps(me).encode()


def _listening() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)  # connections wait in the backlog until the server accepts them
    return sock


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve the ASGI ``app`` on a loopback port until the block ends; yields its API URL."""
    import uvicorn

    sock = _listening()
    config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/api/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def trickling(every: float = 0.05, limit: int = 2000) -> Iterator[str]:
    """A server that answers every request with a 200 whose body comes one byte every
    ``every`` seconds (at most ``limit`` bytes): no read ever waits long, the answer never ends.
    """
    sock = _listening()
    stop = threading.Event()

    def answer(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n" % limit
            )
            for _ in range(limit):
                if stop.wait(every):
                    return
                try:
                    conn.sendall(b" ")
                except OSError:
                    return  # the client gave up

    def run() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/api/"
    finally:
        stop.set()
        thread.join(timeout=10)
        sock.close()
