"""Hostile HTTP servers on raw sockets of 127.0.0.1: they send what a broken or malicious server
(or proxy) would, byte by byte, where no HTTP library would let a test server misbehave.

``RawServer(handler)`` accepts connections on a free port and runs ``handler(conn)`` for each
in a daemon thread. A handler reads the request (``conn.request()``) and writes whatever bytes
it likes. Every handler is bounded on its own side too (it stops after a fixed amount of data
or time, or when the server is closed), so a client that fails a test cannot make the test
itself run without end or fill the memory.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs

MiB = 1024 * 1024


@attrs.define
class Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.target).query, keep_blank_values=True)

    def param(self, name: str, default: str | None = None) -> str | None:
        values = [value for key, value in self.query if key == name]
        return values[0] if values else default


class Conn:
    """One accepted connection, as the handler sees it."""

    def __init__(self, sock: socket.socket, stop: threading.Event, log: list[Request]) -> None:
        self.sock = sock
        self.stop = stop
        self._log = log
        self._buffer = b""

    def request(self, *, read_body: bool = True) -> Request | None:
        """The next request on this connection (``None`` when the client closed it)."""
        while b"\r\n\r\n" not in self._buffer:
            chunk = self._recv()
            if not chunk:
                return None
            self._buffer += chunk
        head, _, self._buffer = self._buffer.partition(b"\r\n\r\n")
        line, *lines = head.decode("latin-1").split("\r\n")
        method, target, _ = line.split(" ", 2)
        headers = {}
        for text in lines:
            name, _, value = text.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = b""
        if read_body:
            length = int(headers.get("content-length", "0"))
            while len(self._buffer) < length:
                chunk = self._recv()
                if not chunk:
                    break
                self._buffer += chunk
            body, self._buffer = self._buffer[:length], self._buffer[length:]
        request = Request(method, target, headers, body)
        self._log.append(request)
        return request

    def read_some(self, size: int = 1) -> bytes:
        """Up to ``size`` bytes of what the client sent (b"" once it is gone)."""
        try:
            return self.sock.recv(size)
        except OSError:
            return b""

    def _recv(self) -> bytes:
        try:
            return self.sock.recv(65536)
        except OSError:
            return b""

    def send(self, data: bytes) -> bool:
        """Send ``data``; False once the client is gone (or the server stops)."""
        if self.stop.is_set():
            return False
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def respond(
        self,
        status: str,
        body: bytes = b"",
        headers: list[tuple[str, str]] | None = None,
        *,
        content_type: str = "application/json",
    ) -> bool:
        lines = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}"]
        lines += [f"{name}: {value}" for name, value in headers or []]
        if not any(name.lower() == "content-length" for name, _ in headers or []):
            lines.append(f"Content-Length: {len(body)}")
        # UTF-8: a hostile server may well send bytes past ASCII in a header.
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    def respond_json(
        self, status: str, value: Any, headers: list[tuple[str, str]] | None = None
    ) -> bool:
        return self.respond(status, json.dumps(value).encode(), headers)

    def trickle(self, data: bytes, every: float, *, seconds: float = 30.0) -> None:
        """Send ``data`` a byte at a time, one each ``every`` seconds, for ``seconds`` at most."""
        ends = time.monotonic() + seconds
        for index in range(len(data)):
            if time.monotonic() > ends or not self.send(data[index : index + 1]):
                return
            if self.stop.wait(every):
                return


Handler = Callable[[Conn], None]


class RawServer:
    """Serve ``handler`` on a free port of 127.0.0.1 (see the module docs)."""

    def __init__(self, handler: Handler, *, rcvbuf: int | None = None) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.connections = 0
        self.stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf is not None:  # inherited by accepted sockets: a slow reader fills it soon
            self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/api/"
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> RawServer:
        self._acceptor.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        self._acceptor.join(5)
        self._listener.close()
        for thread in self._threads:
            thread.join(5)

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            self.handler(Conn(sock, self.stop, self.requests))
        finally:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def serve_each(answer: Callable[[Conn, Request], None]) -> Handler:
    """A handler that answers every request of a keep-alive connection with ``answer``."""

    def handler(conn: Conn) -> None:
        while (request := conn.request()) is not None:
            answer(conn, request)

    return handler


@cache
def gzip_bomb(size: int) -> bytes:
    """A gzip body that inflates to ``size`` bytes of a (valid) JSON array of zeros."""
    inner = b"[" + b"0," * ((size - 3) // 2) + b"0]"
    return gzip.compress(inner, compresslevel=9)


def chunked(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """``pieces`` in HTTP/1.1 chunked framing."""
    for piece in pieces:
        yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
