"""Request and reply values of the fake server, and the DRF-shaped error answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from puhuri_async.testing import _jsonio

__all__ = ["HttpError", "Reply", "Request", "json_reply", "not_found", "validation_error"]

_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def reason(status: int) -> str:
    """The reason phrase of ``status`` (for error pages and details)."""
    return _REASONS.get(status, "Error")


@dataclass
class Request:
    """One request as the handlers see it."""

    method: str
    path: str
    """The path, e.g. ``/api/users/`` (percent-decoded)."""
    query: list[tuple[str, str]]
    """Query pairs in order, repeated names kept."""
    headers: dict[str, str]
    """Headers with lower-case names (the last value of a repeated header)."""
    body: bytes
    origin: str
    """``scheme://host[:port]`` the request was sent to (from its ``Host`` header)."""
    caller: Any = field(default=None, repr=False)
    """Who sent it (a ``Caller``), once the token is checked."""
    _json: Any = field(default=None, repr=False)
    _parsed: bool = field(default=False, repr=False)

    def values(self, name: str) -> list[str]:
        """Every value of query parameter ``name``."""
        return [value for key, value in self.query if key == name]

    def value(self, name: str) -> str | None:
        """The last value of query parameter ``name`` (as Django's ``QueryDict.get``)."""
        found = self.values(name)
        return found[-1] if found else None

    def json(self) -> Any:
        """The parsed JSON body (``{}`` when empty); a DRF 400 when it is not JSON."""
        if not self._parsed:
            self._parsed = True
            if self.body.strip():
                try:
                    self._json = _jsonio.loads(self.body)
                except ValueError as exc:
                    raise HttpError(400, {"detail": f"JSON parse error - {exc}"}) from None
            else:
                self._json = {}
        return self._json

    def json_or_none(self) -> Any:
        """The parsed body for the request log: None when empty or not JSON."""
        if not self.body.strip():
            return None
        try:
            return self.json()
        except HttpError:
            return None


@dataclass
class Reply:
    """A complete answer: status, headers and body bytes."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str | None = "application/json"


class HttpError(Exception):
    """Raised by handlers to answer with a status and a JSON body (DRF's error shapes)."""

    def __init__(
        self, status: int, payload: Any, headers: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(status, payload)
        self.status = status
        self.payload = payload
        self.headers = headers or []

    def reply(self) -> Reply:
        """The answer this error stands for."""
        return Reply(self.status, _jsonio.dumps(self.payload), list(self.headers))


def json_reply(status: int, payload: Any, headers: list[tuple[str, str]] | None = None) -> Reply:
    """A JSON answer."""
    return Reply(status, _jsonio.dumps(payload), headers or [])


def not_found() -> HttpError:
    """DRF's 404 for an unknown object or path."""
    return HttpError(404, {"detail": "Not found."})


def validation_error(errors: dict[str, Any]) -> HttpError:
    """DRF's 400 with per-field errors, e.g. ``{"backend_id": ["..."]}``."""
    return HttpError(400, errors)
