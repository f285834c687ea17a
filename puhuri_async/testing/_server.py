"""Run an ASGI app with uvicorn on a loopback port, in a background thread with its own loop."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["connection_count", "run_in_thread"]

_START_TIMEOUT = 10.0


def connection_count(server: Any) -> int:
    """Open connections of a running ``uvicorn.Server``."""
    return len(server.server_state.connections)


@contextmanager
def run_in_thread(app: Any, host: str = "127.0.0.1", port: int = 0) -> Iterator[tuple[str, Any]]:
    """Serve ``app`` on ``host:port`` (0: a free port) until the block ends; yields the origin
    (``http://127.0.0.1:PORT``) and the ``uvicorn.Server``."""
    import uvicorn

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit TCP_NODELAY. asyncio sets it only on sockets whose protocol
    # number is IPPROTO_TCP, which this one (protocol 0) is not; without it every answer sent in
    # two writes (head, then body) waits ~40 ms for the peer's delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as exc:  # reported to the caller below
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"puhuri-fake-{bound_port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started:
            if failure or not thread.is_alive():
                raise RuntimeError(f"the fake server did not start: {failure[:1]}")
            if time.monotonic() > deadline:
                raise RuntimeError("the fake server did not start within 10 s")
            time.sleep(0.005)
        shown = f"[{host}]" if ":" in host else host
        yield f"http://{shown}:{bound_port}", server
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
