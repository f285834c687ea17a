"""Exit statuses, one per class of failure, and the one-line message of each failure.

Scripts branch on the status: a wrong token (3) is not a server failure (1), a missing object
(4) is not a wrong state (5), and a timed-out change (7) or an unknown outcome (8) must be
checked before it is tried again. The table in ``docs/cli.md`` and the root ``--help`` are
made from :data:`EXIT_DOCS`; a test keeps them equal.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from puhuri_async import (
    AuthenticationError,
    ConflictError,
    InvalidArgumentError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RequestTimeoutError,
    TransportError,
)

__all__ = ["EXIT_DOCS", "CliError", "Exit", "combined", "exit_for", "message_for"]


class Exit(enum.IntEnum):
    """The exit statuses of ``puhuri``."""

    OK = 0
    ERROR = 1
    USAGE = 2
    AUTH = 3
    NOT_FOUND = 4
    CONFLICT = 5
    NETWORK = 6
    TIMEOUT = 7
    OUTCOME_UNKNOWN = 8
    INTERRUPTED = 130


#: What each status means, for ``--help`` and the docs.
EXIT_DOCS: dict[Exit, str] = {
    Exit.OK: "success (every item of the command succeeded)",
    Exit.ERROR: "the server refused or failed (400, 429, 5xx), answered something unexpected, "
    "or items of one command failed in different ways",
    Exit.USAGE: "usage or configuration error: a bad option or argument (refused before "
    "anything is sent), a missing setting, an unsafe or broken config file",
    Exit.AUTH: "authentication or permission: the token was refused (401) or may not do this (403)",
    Exit.NOT_FOUND: "not found (404): no such object, or not visible to this token",
    Exit.CONFLICT: "conflict (409): the object is in the wrong state for this action",
    Exit.NETWORK: "network: the server could not be reached or the connection broke",
    Exit.TIMEOUT: "timeout: a call took longer than --timeout (a change may have been made)",
    Exit.OUTCOME_UNKNOWN: "outcome unknown: a change may or may not have been made; check "
    "before trying again",
    Exit.INTERRUPTED: "interrupted (Ctrl-C)",
}


class CliError(Exception):
    """A failure the command line reports itself: an exit status and a one-line message."""

    def __init__(self, status: Exit, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def exit_for(exc: BaseException) -> Exit:
    """The exit status of a failure."""
    if isinstance(exc, CliError):
        return exc.status
    if isinstance(exc, KeyboardInterrupt):
        return Exit.INTERRUPTED
    if isinstance(exc, InvalidArgumentError):
        return Exit.USAGE
    if isinstance(exc, AuthenticationError | PermissionDeniedError):
        return Exit.AUTH
    if isinstance(exc, NotFoundError):
        return Exit.NOT_FOUND
    if isinstance(exc, ConflictError):
        return Exit.CONFLICT
    if isinstance(exc, OutcomeUnknownError):
        return Exit.OUTCOME_UNKNOWN
    if isinstance(exc, RequestTimeoutError):
        return Exit.TIMEOUT
    if isinstance(exc, TransportError):
        return Exit.NETWORK
    return Exit.ERROR


def _timeout_message(exc: RequestTimeoutError) -> str:
    """A timeout named by its request, without the HTTP stack's internals."""
    parts = [f"{exc.operation}:"] if exc.operation else []
    parts += [part for part in (exc.method, exc.url) if part]
    text = " ".join(parts).removesuffix(":")
    retried = f" (after {exc.retries} retries)" if exc.retries else ""
    return f"{text}{': ' if text else ''}timed out: the server did not answer in time{retried}"


def message_for(exc: BaseException) -> str:
    """The one-line message of a failure (without the ``error:`` prefix)."""
    if isinstance(exc, CliError):
        return exc.message
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, RequestTimeoutError):
        return _timeout_message(exc)
    if isinstance(exc, AuthenticationError):
        return f"{exc} (check the token: puhuri login, --token or PUHURI_TOKEN)"
    return str(exc)


def combined(statuses: Iterable[Exit]) -> Exit:
    """The status of a command whose items ended with ``statuses``: OK when all did; the one
    failure status when all failures agree; else ``ERROR``."""
    failed = {status for status in statuses if status is not Exit.OK}
    if not failed:
        return Exit.OK
    if len(failed) == 1:
        return failed.pop()
    return Exit.ERROR
