"""The warnings puhuri-async issues, and how each one points at the caller's line.

A leaf module. ``warnings.warn(stacklevel=N)`` counts frames, and the number of the package's
own frames between a user's line and the warning changes with the path taken (the async
client, the sync facade, the CLI...). So ``warn`` walks the stack instead: the warning is
attributed to the first frame that is not the package's own, as if the user's line had issued
it (filters by module, ``-W error`` and ``pytest.warns`` all apply there).

When the first frame outside the package is the event loop itself (a coroutine run by the sync
facade's loop thread has no user frame in its thread), the site is taken from, in order: the
``caller_site`` context variable (a facade sets it with ``remember_caller()`` in the caller's
thread before handing the call to its loop; context variables travel with the call), then the
``fallback`` the warning's issuer remembered (a paginator remembers the line that made it).
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator
from contextvars import ContextVar
from types import FrameType
from typing import Any, NamedTuple

__all__ = [
    "CountDriftWarning",
    "FilterIgnoredWarning",
    "InsecureTLSWarning",
    "PuhuriWarning",
    "Site",
    "UnstableOrderWarning",
    "caller_site",
    "here",
    "remember_caller",
    "warn",
]


class PuhuriWarning(UserWarning):
    """Base class of the warnings issued by puhuri-async."""


class CountDriftWarning(PuhuriWarning):
    """The data of a list changed on the server while it was being fetched."""


class UnstableOrderWarning(CountDriftWarning):
    """The count of a list held, but its pages overlapped: the server's ordering is not unique.

    Issued instead of a plain ``CountDriftWarning`` when the data did not change; the message
    says whether re-reading recovered every item or how many are missing.
    """


class FilterIgnoredWarning(PuhuriWarning):
    """The server sent rows that fail a filter the request asked for; they were dropped."""


class InsecureTLSWarning(PuhuriWarning):
    """TLS certificate verification was turned off for a client."""


class Site(NamedTuple):
    """Where a warning is attributed: a line of the caller's code."""

    filename: str
    lineno: int
    module: str
    globals: dict[str, Any]


_PACKAGE = __name__.partition(".")[0]
# Frames of these run the event loop or a thread, never a user's line.
_MACHINERY = frozenset(
    {"asyncio", "anyio", "trio", "sniffio", "outcome", "concurrent", "threading", "selectors"}
)

caller_site: ContextVar[Site | None] = ContextVar("puhuri_async_caller_site", default=None)
"""The caller's line of the call being run, set by a facade that runs calls in another thread."""


def _site_of(frame: FrameType | None) -> Site | None:
    """The first frame from ``frame`` outwards that is not the package's; ``None`` when that
    frame is the event loop's (the caller is in another thread) or there is none."""
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        top = module.partition(".")[0]
        if top == _PACKAGE:
            frame = frame.f_back
            continue
        if top in _MACHINERY:
            return None
        return Site(frame.f_code.co_filename, frame.f_lineno, module, frame.f_globals)
    return None


def here() -> Site | None:
    """The caller's line as seen from this thread now (see the module docs)."""
    return _site_of(sys._getframe(1))


@contextlib.contextmanager
def remember_caller() -> Iterator[None]:
    """Remember the caller's line for the warnings of a call handed to another thread.

    Used in the caller's thread around handing a call over; the context variable is copied
    into the call's context (``call_soon_threadsafe`` and tasks copy the current context).
    """
    token = caller_site.set(_site_of(sys._getframe(2)))
    try:
        yield
    finally:
        caller_site.reset(token)


def warn(message: str, category: type[Warning], *, fallback: Site | None = None) -> None:
    """Issue ``message`` at the caller's line (see the module docs)."""
    site = _site_of(sys._getframe(1)) or caller_site.get() or fallback
    if site is None:
        warnings.warn(message, category, stacklevel=2)
        return
    registry = site.globals.setdefault("__warningregistry__", {})
    warnings.warn_explicit(
        message,
        category,
        site.filename,
        site.lineno,
        module=site.module,
        registry=registry,
        module_globals=site.globals,
    )
