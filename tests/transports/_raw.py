"""A raw-socket HTTP/1.1 server on 127.0.0.1, in a thread, scripted per connection.

Each accepted connection is handed to ``behaviour(conn, server)``, which reads and writes
bytes as it likes: answer, drop before or after reading the request, reset the connection,
cut a body short, hold the headers back. The server records every request head it read
(``requests``) and counts connections (``connections``), so a test can tell how often a
request really reached it.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Behaviour = Callable[[socket.socket, "RawServer"], None]


@dataclass
class RawServer:
    behaviour: Behaviour
    tls: ssl.SSLContext | None = None
    requests: list[bytes] = field(default_factory=list)
    connections: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        host = "localhost" if self.tls is not None else "127.0.0.1"
        return f"{scheme}://{host}:{self.port}/api/"

    def read_request(self, conn: socket.socket) -> bytes | None:
        """One request (head and ``Content-Length`` body), recorded; ``None`` at EOF."""
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            try:
                chunk = conn.recv(65536)
            except OSError:
                return None
            if not chunk:
                return None
            buffer += chunk
        head, _, body = buffer.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        self.requests.append(head + b"\r\n\r\n" + body)
        return head


def answer(status: int = 200, body: bytes = b'{"ok": true}', *, headers: str = "") -> bytes:
    """A complete keep-alive response."""
    return (
        f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{headers}\r\n"
    ).encode() + body


def reset(conn: socket.socket) -> None:
    """Close with a TCP RST instead of a FIN (linger on, zero seconds)."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


@contextlib.contextmanager
def serving(behaviour: Behaviour, *, tls: ssl.SSLContext | None = None) -> Iterator[RawServer]:
    """Run a ``RawServer`` for the block; its threads stop when the block ends."""
    server = RawServer(behaviour, tls)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.05)
    server.port = listener.getsockname()[1]
    stop = threading.Event()
    workers: list[threading.Thread] = []
    open_conns: list[socket.socket] = []

    def handle(conn: socket.socket) -> None:
        with contextlib.suppress(OSError, ssl.SSLError):
            if tls is not None:
                conn = tls.wrap_socket(conn, server_side=True)
            open_conns.append(conn)
            behaviour(conn, server)
        with contextlib.suppress(OSError):
            conn.close()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(10)
            server.connections += 1
            worker = threading.Thread(target=handle, args=(conn,), daemon=True)
            workers.append(worker)
            worker.start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield server
    finally:
        stop.set()
        server.release.set()
        acceptor.join(5)
        listener.close()
        for conn in open_conns:
            with contextlib.suppress(OSError):
                conn.close()
        for worker in workers:
            worker.join(5)
