"""Loopback servers for the security tests: a hostile API in front of the fake, and TLS.

``HostileApi`` is an ASGI app wrapping a ``FakePuhuri``: it passes requests through, and can
point the ``Link`` header of list answers at another origin, or answer with a redirect there.
``serve`` runs any ASGI app on 127.0.0.1 (optionally over TLS with a test CA's certificate).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import trustme
import uvicorn

from puhuri_async.testing import FakePuhuri

Message = MutableMapping[str, Any]


class HostileApi:
    """The fake behind a proxy that sends clients elsewhere.

    ``link_origin``: replace the API origin in ``Link`` headers with this one (and drop
    ``X-Result-Count`` when ``drop_count``, so the client follows ``next`` one page at a time).
    ``redirect_to``: answer every request with ``redirect_status`` and ``Location`` this URL.
    """

    def __init__(self, fake: FakePuhuri) -> None:
        self.fake = fake
        self.origin = ""
        self.link_origin: str | None = None
        self.drop_count = False
        self.redirect_to: str | None = None
        self.redirect_status = 302
        self.received: list[tuple[str, str]] = []
        """(method, path) of every request that reached this server."""

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.received.append((scope["method"], scope["path"]))
        if scope["type"] == "http" and self.redirect_to is not None:
            await receive()
            await send(
                {
                    "type": "http.response.start",
                    "status": self.redirect_status,
                    "headers": [
                        (b"location", self.redirect_to.encode()),
                        (b"content-length", b"0"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start" and self.link_origin is not None:
                headers = []
                for name, value in message["headers"]:
                    if name == b"link":
                        value = value.replace(self.origin.encode(), self.link_origin.encode())
                    elif name == b"x-result-count" and self.drop_count:
                        continue
                    headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.fake(scope, receive, rewrite)


@contextmanager
def serve(
    app: Any, *, tls: trustme.LeafCert | None = None, tmp: Path | None = None
) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1; yields the origin (``http(s)://127.0.0.1:P``)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    options: dict[str, Any] = {}
    if tls is not None:
        assert tmp is not None
        pem = tmp / f"server-{port}.pem"
        tls.private_key_and_cert_chain_pem.write_to_path(str(pem))
        options["ssl_certfile"] = str(pem)
    config = uvicorn.Config(
        app,
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
        **options,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive(), "server did not start"
            assert time.monotonic() < deadline, "server did not start in time"
            time.sleep(0.005)
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
