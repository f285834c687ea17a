"""The token: sent only to the API origin, and scrubbed from everything the client raises or logs.

A server or a proxy may echo the ``Authorization`` header back (in an error body, a redirect
``Location``, a ``Link`` header, an HTML page); the transport knows its token, so every error
leaving it and every log line it writes goes through ``Redactor`` first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from typing import Any
from urllib.parse import quote

import httpx

from puhuri_async._errors import PuhuriError
from puhuri_async._urls import Origin, origin_of

__all__ = ["MASK", "PinnedTokenAuth", "Redactor"]

MASK = "***"
MIN_SECRET_LENGTH = 8
"""What replaces the token's text."""

_MAX_DEPTH = 64


class PinnedTokenAuth(httpx.Auth):
    """Adds the ``Authorization`` header only to requests on the API origin."""

    def __init__(self, header: str, origin: Origin) -> None:
        self._header = header
        self._origin = origin
        # A URL that starts with "scheme://host[:port]/" of the origin is on it: the usual case
        # is decided without parsing the URL again.
        self._prefix = f"{origin}/"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        url = str(request.url)
        if url.startswith(self._prefix) or origin_of(url) == self._origin:
            request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "<token auth>"


class Redactor:
    """Replaces the token (as sent, and percent-encoded) by ``***`` in text, values and errors.

    A token shorter than ``MIN_SECRET_LENGTH`` characters is not searched for: such a string
    is part of ordinary words (a one-letter test token would mask every "t" of every message),
    and no real token is that short (Waldur's are 40 hexadecimal characters).
    """

    def __init__(self, token: str) -> None:
        secrets = {token, quote(token, safe="")} if len(token) >= MIN_SECRET_LENGTH else set()
        self._secrets = tuple(sorted(secrets, key=len, reverse=True))

    def __repr__(self) -> str:
        return "<redactor>"

    def text(self, text: str) -> str:
        """``text`` without the token."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def value(self, value: Any, depth: int = 0) -> Any:
        """A copy of a decoded JSON value (or any str, list, tuple or dict) without the token.

        Values without the token are returned as they are.
        """
        if isinstance(value, str):
            return self.text(value)
        if depth >= _MAX_DEPTH:
            return value
        if isinstance(value, dict):
            return {self.value(k, depth + 1): self.value(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v, depth + 1) for v in value]
        if isinstance(value, tuple):
            return tuple(self.value(v, depth + 1) for v in value)
        return value

    def error(self, error: BaseException) -> BaseException:
        """``error`` itself, with the token scrubbed from it, its causes and their messages.

        A puhuri-async error's attributes (``body``, ``detail``, ``excerpt``, ``target``...) are
        scrubbed; other exceptions (httpx's, chained as causes) have their arguments scrubbed.
        """
        seen: set[int] = set()
        pending: list[BaseException | None] = [error]
        while pending:
            current = pending.pop()
            if current is None or id(current) in seen:
                continue
            seen.add(id(current))
            with contextlib.suppress(AttributeError, TypeError):  # exotic exceptions
                current.args = tuple(self.value(arg) for arg in current.args)
            if isinstance(current, PuhuriError):
                for name, attribute in list(vars(current).items()):
                    if isinstance(attribute, BaseException):
                        pending.append(attribute)
                    else:
                        setattr(current, name, self.value(attribute))
            pending.extend((current.__cause__, current.__context__))
        return error
