"""URL handling: ``api_url`` normalisation, joining paths, query parameters and origin checks.

Pure functions on strings (standard library only), so they are tested as tables.

The API origin is (scheme, host, effective port). The token is pinned to it: every absolute URL
the transport is asked to request (a ``Link`` header, a redirect, a caller's URL) is checked
against it first, and an https→http downgrade counts as another origin.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple, TypeAlias
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote_plus,
    urljoin,
    urlsplit,
    urlunsplit,
)

from puhuri_async._errors import CrossOriginError, InvalidArgumentError

__all__ = [
    "Origin",
    "ParamValue",
    "Params",
    "check_origin",
    "is_absolute",
    "join_url",
    "normalize_api_url",
    "normalize_params",
    "origin_of",
    "query_param",
    "replace_query_param",
    "resolve_redirect",
]

ParamValue: TypeAlias = str | int | float | bool
Params: TypeAlias = (
    Sequence[tuple[str, ParamValue]] | Mapping[str, ParamValue | Sequence[ParamValue] | None]
)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class Origin(NamedTuple):
    """Scheme, lower-case host and effective port of a URL."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = _DEFAULT_PORTS.get(self.scheme)
        port = "" if self.port == default else f":{self.port}"
        return f"{self.scheme}://{host}{port}"


def _split(url: str, argument: str) -> tuple[SplitResult, Origin]:
    """Split an http(s) URL and compute its origin, or raise ``InvalidArgumentError``."""
    if not isinstance(url, str):
        raise InvalidArgumentError(argument, f"expected a str, got {type(url).__name__}")
    if _CONTROL.search(url.strip()):
        raise InvalidArgumentError(argument, "must not contain whitespace or control characters")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidArgumentError(
            argument, f"scheme must be http or https, got {parts.scheme or 'none'!r}"
        )
    try:
        host = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise InvalidArgumentError(argument, f"bad host or port ({exc})") from None
    if not host:
        raise InvalidArgumentError(argument, "has no host")
    return parts, Origin(scheme, host.lower(), port or _DEFAULT_PORTS[scheme])


def origin_of(url: str) -> Origin:
    """The origin of an absolute http(s) URL."""
    return _split(url, "url")[1]


def normalize_api_url(api_url: str) -> str:
    """The API root as ``scheme://host[:port][/prefix]/api/``.

    ``https://h``, ``https://h/``, ``https://h/api`` and ``https://h/api/`` all give
    ``https://h/api/``; a deployment under a path prefix keeps it (``https://h/x`` →
    ``https://h/x/api/``). Credentials, a query or a fragment are refused, and so is a path that
    goes below the API root (``https://h/api/users/``), so ``/api/`` appears exactly once.
    """
    parts, origin = _split(api_url, "api_url")
    if parts.username is not None or parts.password is not None:
        raise InvalidArgumentError("api_url", "must not carry credentials; pass the token instead")
    if parts.query or parts.fragment or api_url.rstrip().endswith(("?", "#")):
        raise InvalidArgumentError("api_url", "must not have a query or a fragment")
    segments = [s for s in parts.path.split("/") if s]
    if any(s in (".", "..") for s in segments):
        raise InvalidArgumentError("api_url", "must not contain '.' or '..' path segments")
    if segments and segments[-1] == "api":
        segments.pop()
    if "api" in segments:
        raise InvalidArgumentError(
            "api_url", f"must be the API root (ending in /api/), got path {parts.path!r}"
        )
    path = "/" + "".join(f"{s}/" for s in segments) + "api/"
    return f"{origin}{path}"


def is_absolute(path_or_url: str) -> bool:
    """Whether the string is an absolute URL (has a scheme), not a path."""
    return bool(urlsplit(path_or_url).scheme)


def join_url(base_url: str, path: str) -> str:
    """``base_url`` (a normalised API root) joined with a relative API path ending in ``/``.

    A leading ``/`` is ignored (``/users/`` and ``users/`` are the same path). The path may not
    carry a query (pass ``params``), a fragment, or ``.``/``..`` segments.
    """
    if not isinstance(path, str):
        raise InvalidArgumentError("path", f"expected a str, got {type(path).__name__}")
    if _CONTROL.search(path) or "?" in path or "#" in path:
        raise InvalidArgumentError(
            "path", "must not contain whitespace, a query or a fragment (pass params)"
        )
    relative = path.strip("/")
    segments = relative.split("/") if relative else []
    if any(s in ("", ".", "..") for s in segments):
        raise InvalidArgumentError("path", f"must be a plain relative API path, got {path!r}")
    return base_url + (f"{relative}/" if relative else "")


def check_origin(
    url: str, origin: Origin, *, source: str = "URL", operation: str | None = None
) -> str:
    """Return ``url`` if it is an absolute http(s) URL on ``origin``; else raise.

    Raises ``CrossOriginError`` for another scheme, host or port (https→http included).
    """
    try:
        parts, target = _split(url, "url")
    except InvalidArgumentError:
        raise CrossOriginError(url, str(origin), source=source, operation=operation) from None
    if target != origin or parts.username is not None or parts.password is not None:
        raise CrossOriginError(url, str(origin), source=source, operation=operation)
    return url


def resolve_redirect(request_url: str, location: str) -> str:
    """The absolute URL a ``Location`` header points to (it may be relative)."""
    return urljoin(request_url, location.strip())


def _param_str(key: str, value: ParamValue) -> tuple[str, str]:
    if isinstance(value, bool):
        return key, "true" if value else "false"
    if isinstance(value, str | int | float):
        return key, str(value)
    raise InvalidArgumentError(
        "params", f"value of {key!r} must be str, int, float or bool, got {type(value).__name__}"
    )


def normalize_params(params: Params | None) -> list[tuple[str, str]]:
    """Query parameters as an ordered list of string pairs.

    A mapping value that is a list or tuple repeats its key (``field=a&field=b``); ``None`` values
    are dropped; booleans become ``true``/``false``.
    """
    if params is None:
        return []
    out: list[tuple[str, str]] = []
    if isinstance(params, Mapping):
        for key, value in params.items():
            if value is None:
                continue
            if isinstance(value, list | tuple | set | frozenset):
                out.extend(_param_str(key, v) for v in value)
            else:
                out.append(_param_str(key, value))  # type: ignore[arg-type]
        return out
    for pair in params:
        if not isinstance(pair, tuple) or len(pair) != 2 or not isinstance(pair[0], str):
            raise InvalidArgumentError("params", f"expected (name, value) pairs, got {pair!r}")
        out.append(_param_str(*pair))
    return out


def replace_query_param(url: str, name: str, value: str) -> str:
    """``url`` with every ``name=`` query parameter replaced by one ``name=value``.

    Other parameters keep their order and their exact encoding; parameters are compared by
    decoded name, never by substring, so a filter value containing ``page`` is left alone.
    """
    parts = urlsplit(url)
    kept: list[str] = []
    placed = False
    for piece in parts.query.split("&") if parts.query else []:
        key = unquote_plus(piece.split("=", 1)[0])
        if key == name:
            if not placed:
                kept.append(f"{quote(name)}={quote(value)}")
                placed = True
            continue
        kept.append(piece)
    if not placed:
        kept.append(f"{quote(name)}={quote(value)}")
    return urlunsplit(parts._replace(query="&".join(kept)))


def query_param(url: str, name: str) -> str | None:
    """The first value of query parameter ``name`` in ``url``, or ``None``."""
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key == name:
            return value
    return None
