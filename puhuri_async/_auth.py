"""The token: sent only to the API origin, and scrubbed from everything the client raises or logs.

A server or a proxy may echo the ``Authorization`` header back (in an error body, a redirect
``Location``, a ``Link`` header, an HTML page); the transport knows its token, so every error
leaving it and every log line it writes goes through ``Redactor`` first.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeAlias
from urllib.parse import quote

import httpx

from puhuri_async._config import auth_header, clean_token
from puhuri_async._errors import InvalidArgumentError, PuhuriError
from puhuri_async._urls import Origin, origin_of

__all__ = ["MASK", "PinnedTokenAuth", "Redactor", "TokenProvider", "Tokens"]

TokenProvider: TypeAlias = Callable[..., "str | Awaitable[str]"]
"""What ``access_token=`` takes besides a str: a function (or async function) returning the
current token, e.g. an OIDC access token it renews before it expires. It is called with no
argument; after a ``401``, with ``refresh=True`` if it has a ``refresh`` parameter (the token
it returned was refused: renew it even if it looks valid)."""

_KEPT_SECRETS = 16
"""Tokens the redactor keeps masking after they were replaced (an old one may still be echoed)."""

MASK = "***"
MIN_SECRET_LENGTH = 8
"""What replaces the token's text."""

_MAX_DEPTH = 64


class Tokens:
    """The client's token: a fixed str, or the latest one a ``TokenProvider`` returned.

    A provider is asked before each request (``current``), so it decides when a token is due
    for renewal (it should return a cached token until then: it is called in the event loop,
    possibly by many tasks at once); and once more after a ``401`` (``renew``), with
    ``refresh=True`` if it takes that argument. Each new token is checked like a fixed one and
    taught to the ``Redactor``, so it is scrubbed too.
    """

    def __init__(self, token: str | TokenProvider, prefix: str, redactor: Redactor) -> None:
        self._redactor = redactor
        self._prefix = prefix
        self._provider: TokenProvider | None = None
        if callable(token):
            auth_header("x", prefix)  # the prefix is checked now, before any request
            self._provider = token
            self._takes_refresh = _takes_refresh(token)
            self.header = ""
        else:
            self.header = auth_header(token, prefix)
            redactor.learn(clean_token(token))

    @property
    def dynamic(self) -> bool:
        """Whether a provider gives the token (so there is something to renew)."""
        return self._provider is not None

    async def current(self, *, refresh: bool = False) -> None:
        """Ask the provider for the current token (nothing to do for a fixed one)."""
        if self._provider is None:
            return
        value = (
            self._provider(refresh=True) if refresh and self._takes_refresh else self._provider()
        )
        if inspect.isawaitable(value):
            value = await value
        if not isinstance(value, str):
            raise InvalidArgumentError(
                "access_token", f"the token provider returned {type(value).__name__}, not a str"
            )
        token = clean_token(value)
        self._redactor.learn(token)
        self.header = auth_header(token, self._prefix)

    async def renew(self, refused: str) -> bool:
        """After a ``401`` to a request sent with the ``refused`` header: whether there is
        another token now (a resend may then help). If another task renewed it meanwhile, that
        one is used; else the provider is asked to refresh."""
        if self._provider is None:
            return False
        if self.header != refused:
            return True
        await self.current(refresh=True)
        return self.header != refused


def _takes_refresh(provider: Callable[..., Any]) -> bool:
    """Whether ``provider`` can be called with ``refresh=True``."""
    try:
        parameters = inspect.signature(provider).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature
        return False
    return any(
        (p.name == "refresh" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
        or p.kind is p.VAR_KEYWORD
        for p in parameters
    )


class PinnedTokenAuth(httpx.Auth):
    """Adds the ``Authorization`` header only to requests on the API origin."""

    def __init__(self, tokens: Tokens, origin: Origin) -> None:
        self._tokens = tokens
        self._origin = origin
        # A URL that starts with "scheme://host[:port]/" of the origin is on it: the usual case
        # is decided without parsing the URL again.
        self._prefix = f"{origin}/"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.apply(request)
        yield request

    def apply(self, request: httpx.Request) -> None:
        """Add the header if ``request`` goes to the API origin (the whole flow, in one step)."""
        url = str(request.url)
        header = self._tokens.header  # "" until a provider has been asked
        if header and (url.startswith(self._prefix) or origin_of(url) == self._origin):
            request.headers["Authorization"] = header

    def __repr__(self) -> str:
        return "<token auth>"


class Redactor:
    """Replaces the token (as sent, and percent-encoded) by ``***`` in text, values and errors.

    A token shorter than ``MIN_SECRET_LENGTH`` characters is not searched for: such a string
    is part of ordinary words (a one-letter test token would mask every "t" of every message),
    and no real token is that short (Waldur's are 40 hexadecimal characters).
    """

    def __init__(self, *secrets: str) -> None:
        self._known: list[str] = []
        self._secrets: tuple[str, ...] = ()
        for secret in secrets:
            self.learn(secret)

    def learn(self, secret: str) -> None:
        """Mask ``secret`` too from now on (a renewed token, a proxy's password); the last
        few are kept."""
        if len(secret) < MIN_SECRET_LENGTH or secret in self._known:
            return
        self._known = [*self._known, secret][-_KEPT_SECRETS:]
        forms = {form for known in self._known for form in (known, quote(known, safe=""))}
        self._secrets = tuple(sorted(forms, key=len, reverse=True))

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
