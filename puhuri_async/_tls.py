"""TLS contexts: the ``verify=`` argument, and the verifying context shared by every client.

Loading the CA bundle takes tens to hundreds of milliseconds, which a client made per job (or a
test suite making hundreds) would pay each time; so the default context is made once per
process, on the first https client, under a lock (sync clients are made from many threads),
and shared. An ``SSLContext`` is safe to share between connections and threads.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable

import httpx

from puhuri_async._errors import InvalidArgumentError
from puhuri_async._urls import Origin

__all__ = ["check_verify", "context_for", "default_tls_context", "refuse_with_transport"]

_tls_lock = threading.Lock()
_tls_contexts: dict[str, ssl.SSLContext] = {}


def default_tls_context() -> ssl.SSLContext:
    """The verifying TLS context of every client made with ``verify=True``, one per process.

    It is httpx's own default (certifi's bundle, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` as set
    when it is made).
    """
    return _shared_tls_context("default", httpx.create_ssl_context)


def _no_trust_context() -> ssl.SSLContext:
    return _shared_tls_context("no trust", lambda: ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))


def _shared_tls_context(name: str, make: Callable[[], ssl.SSLContext]) -> ssl.SSLContext:
    context = _tls_contexts.get(name)
    if context is None:
        with _tls_lock:
            context = _tls_contexts.get(name)
            if context is None:
                context = _tls_contexts[name] = make()
    return context


def check_verify(verify: bool | str | ssl.SSLContext) -> bool | ssl.SSLContext:
    """``verify`` as httpx takes it: a bool, or a context (a CA bundle path is loaded now)."""
    if isinstance(verify, bool | ssl.SSLContext):
        return verify
    if isinstance(verify, str):
        try:
            return ssl.create_default_context(cafile=verify)
        except (OSError, ssl.SSLError) as exc:
            raise InvalidArgumentError(
                "verify", f"cannot load CA bundle {verify!r}: {exc}"
            ) from None
    raise InvalidArgumentError(
        "verify", f"expected a bool, a CA bundle path or an SSLContext, got {verify!r}"
    )


def context_for(
    verify: bool | ssl.SSLContext, origin: Origin, *, injected: bool
) -> bool | ssl.SSLContext:
    """What httpx gets as ``verify``: ``True`` becomes the shared context, made only when the
    client may open a TLS connection (``injected``: an httpx transport was given, which makes
    no context of its own)."""
    if verify is not True:
        return verify
    if injected:
        return True
    if origin.scheme == "https":
        return default_tls_context()
    # Plain HTTP: the token is pinned to this origin, so a TLS connection is never made
    # (proxies have their own context). A verifying context that trusts no one, made in
    # microseconds, fails closed should one ever be attempted.
    return _no_trust_context()


def refuse_with_transport(*, verify: object, proxy: object) -> None:
    """An httpx transport given as ``transport=`` makes its own connections, so the client
    cannot set their TLS or proxy: ``verify=`` other than the default ``True`` and any
    ``proxy=`` are refused with it (httpx would ignore the one, and send around the given
    transport through the other), rather than silently not applied."""
    if verify is not True:
        raise InvalidArgumentError(
            "verify",
            "cannot be applied to a transport given as transport= (it makes its own "
            "connections): set TLS on that transport, e.g. httpx.AsyncHTTPTransport(verify=...), "
            "or leave verify at its default",
        )
    if proxy is not None:
        raise InvalidArgumentError(
            "proxy",
            "cannot be applied to a transport given as transport= (it makes its own "
            "connections): set the proxy on that transport, e.g. "
            "httpx.AsyncHTTPTransport(proxy=...), or drop transport=",
        )
