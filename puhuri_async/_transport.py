"""The HTTP transport: one ``httpx.AsyncClient`` per client, auth pinned to the API origin,
a shared concurrency limiter, the retry loop and the mapping of failures to typed errors.

The transport knows no endpoint. It takes an ``operation`` label (the public method name) only to
name it in errors and logs, and returns its own ``Response`` value, never an httpx object; httpx
exceptions never escape.

Concurrency and time are anyio-only (asyncio and trio both work). Sleeping and the clock are
injectable, so tests never wait for a backoff.
"""

from __future__ import annotations

import logging
import os
import random
import ssl
import sys
import threading
import warnings
from collections.abc import Awaitable, Callable, Generator, Hashable
from typing import Any, Final, TypeAlias, TypeVar

import anyio
import attrs
import httpx

from puhuri_async import _json
from puhuri_async._errors import (
    ClientClosedError,
    CrossOriginError,
    DecodeError,
    InsecureTLSWarning,
    InvalidArgumentError,
    OutcomeUnknownError,
    PuhuriError,
    RequestTimeoutError,
    TransportError,
    error_for_status,
)
from puhuri_async._pagination import Paginator
from puhuri_async._response import Headers, Response
from puhuri_async._retry import (
    Decision,
    Failure,
    FailureOutcome,
    Outcome,
    RetryPolicy,
    StatusOutcome,
    decide,
    parse_retry_after,
)
from puhuri_async._urls import (
    Origin,
    Params,
    check_origin,
    is_absolute,
    join_url,
    normalize_api_url,
    normalize_params,
    origin_of,
    resolve_redirect,
)
from puhuri_async._version import __version__

__all__ = ["RetryEvent", "Timeout", "TimeoutTypes", "Transport", "TransportStats"]

logger = logging.getLogger("puhuri_async")

T = TypeVar("T")

_METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_TOKEN_PREFIXES: Final = frozenset({"Token", "Bearer"})


def _positive_or_none(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidArgumentError(
            f"timeout.{attribute.name}", f"must be None or a number > 0, got {value!r}"
        )


@attrs.frozen
class Timeout:
    """Timeouts in seconds (``None``: wait for ever).

    ``connect``: establishing a connection; ``read``: between bytes of the response; ``write``:
    between bytes of the request; ``pool``: waiting for a free connection.
    """

    connect: float | None = attrs.field(default=5.0, validator=_positive_or_none)
    read: float | None = attrs.field(default=60.0, validator=_positive_or_none)
    write: float | None = attrs.field(default=60.0, validator=_positive_or_none)
    pool: float | None = attrs.field(default=30.0, validator=_positive_or_none)

    @classmethod
    def of(cls, value: TimeoutTypes, argument: str = "timeout") -> Timeout:
        """A ``Timeout`` from a ``Timeout`` or one number used for all four phases."""
        if isinstance(value, Timeout):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return cls(value, value, value, value)
        raise InvalidArgumentError(argument, f"expected a Timeout or a number, got {value!r}")

    def _httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


TimeoutTypes: TypeAlias = Timeout | float
HTTPTransport: TypeAlias = httpx.AsyncBaseTransport
"""What ``transport=`` takes: any httpx async transport (mock, ASGI, the fake server's...)."""


@attrs.define
class TransportStats:
    """Counters of one transport, e.g. for a summary at the end of a run.

    ``requests``: HTTP requests sent (each retry and redirect counts); ``retries``: retries taken;
    ``rate_limited``: 429 answers; ``gate_waits`` and ``gate_wait_seconds``: waits at the shared
    ``Retry-After`` gate; ``bytes_received``: response body bytes; ``max_in_flight``: the most
    requests that were in flight at once; ``errors``: requests that ended in an error.
    """

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    gate_waits: int = 0
    gate_wait_seconds: float = 0.0
    bytes_received: int = 0
    max_in_flight: int = 0
    errors: int = 0


@attrs.frozen
class RetryEvent:
    """Passed to the ``on_retry`` hook before a retry waits.

    ``retry`` is the retry number (1-based) of ``max_retries``; ``status_code`` is ``None`` when
    the attempt failed below HTTP.
    """

    operation: str
    method: str
    url: str
    retry: int
    max_retries: int
    wait: float
    reason: str
    status_code: int | None = None


class _PinnedTokenAuth(httpx.Auth):
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


def _certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The failed certificate verification behind a connect error, if that is what it was.

    httpx chains the ``ssl`` error through httpcore's (asyncio) or trio's ``BrokenResourceError``,
    so the whole chain of causes is searched.
    """
    if not isinstance(exc, httpx.ConnectError):
        return None
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def _classify(exc: Exception) -> Failure:
    """What an httpx exception means for a retry.

    A certificate the client does not trust is refused again on every attempt: retrying cannot
    help, so it is ``INVALID`` (never retried; nothing was sent, so never an unknown outcome).
    """
    if isinstance(exc, httpx.ConnectError) and _certificate_error(exc) is not None:
        return Failure.INVALID
    if isinstance(
        exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ProxyError
    ):
        return Failure.NOT_SENT
    if isinstance(exc, httpx.TimeoutException):
        return Failure.TIMEOUT
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError | httpx.InvalidURL):
        return Failure.INVALID
    return Failure.BROKEN


_FAILURE_WORDS: Final = {
    Failure.NOT_SENT: "could not connect",
    Failure.TIMEOUT: "timed out",
    Failure.BROKEN: "connection failed",
    Failure.INVALID: "request could not be made",
}


def _describe_exception(exc: Exception) -> str:
    certificate = _certificate_error(exc)
    if certificate is not None:
        try:
            host = exc.request.url.host  # type: ignore[attr-defined]
        except RuntimeError:  # pragma: no cover - httpx sets the request of transport errors
            host = "?"
        reason = str(certificate).strip() or certificate.verify_message
        return f"TLS certificate verification failed for host {host}: {reason}"
    text = str(exc).strip()
    name = type(exc).__name__
    cause: BaseException | None = exc
    while not text and cause is not None:
        # On trio httpx's error is empty and the reason (a TLS verification failure, say) is
        # further down the chain: name the first cause that says something.
        cause = cause.__cause__ or cause.__context__
        if cause is not None and str(cause).strip():
            text = f"{type(cause).__name__}: {str(cause).strip()}"
    return (
        f"{_FAILURE_WORDS[_classify(exc)]} ({name}: {text})"
        if text
        else (f"{_FAILURE_WORDS[_classify(exc)]} ({name})")
    )


def _excerpt(content: bytes, limit: int = 200) -> str:
    text = " ".join(content[: limit * 4].decode("utf-8", "replace").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error_body(resp: httpx.Response) -> Any:
    """The decoded JSON error body, else its text, else ``None``."""
    content = resp.content
    if not content.strip():
        return None
    try:
        return _json.loads(content)
    except _json.JSONDecodeError:
        return resp.text


class Transport:
    """The HTTP layer of one client. Safe to share between all tasks of one event loop.

    Arguments are checked at once (``InvalidArgumentError`` naming the argument); the
    ``httpx.AsyncClient`` is made on first use, inside the running event loop.

    - ``api_url``: the API root, normalised to ``.../api/``.
    - ``token``, ``token_prefix``: sent as ``Authorization: <prefix> <token>``, on the API
      origin only.
    - ``timeout``: the default for every request (each request may override it).
    - ``retry``: the ``RetryPolicy``; ``RetryPolicy.none()`` turns retries off.
    - ``max_concurrency``: requests in flight at once, over every task using this transport.
    - ``user_agent``: appended to ``puhuri-async/<version>``.
    - ``verify``: TLS verification: ``True`` (one context per process, shared, made on the
      first https client: see ``default_tls_context``), ``False`` (warns), a CA bundle path or
      an ``ssl.SSLContext``. A certificate that fails verification is never retried.
    - ``transport``: an httpx transport to use instead of the network (``httpx.MockTransport``,
      ``httpx.ASGITransport``, the fake server's transport ...).
    - ``on_retry``: called with a ``RetryEvent`` before each retry waits (an exception it raises
      ends the request).
    - ``sleep``, ``clock``, ``random``: injectable ``async sleep(seconds)``, monotonic clock and
      jitter source (uniform in [0, 1)), for tests.
    - ``max_redirects``: same-origin redirects followed for GET and HEAD.
    """

    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        token_prefix: str = "Token",  # noqa: S107 - the scheme word, not a secret
        timeout: TimeoutTypes = Timeout(),
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - a frozen value
        max_concurrency: int = 16,
        user_agent: str | None = None,
        verify: bool | str | ssl.SSLContext = True,
        transport: httpx.AsyncBaseTransport | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] | None = None,
        random: Callable[[], float] | None = None,
        max_redirects: int = 5,
    ) -> None:
        self._base_url = normalize_api_url(api_url)
        self._origin = origin_of(self._base_url)
        self._auth = _PinnedTokenAuth(_auth_header(token, token_prefix), self._origin)
        self._timeout = Timeout.of(timeout)
        self._httpx_timeout = self._timeout._httpx()
        if not isinstance(retry, RetryPolicy):
            raise InvalidArgumentError("retry", f"expected a RetryPolicy, got {retry!r}")
        self._retry = retry
        if (
            isinstance(max_concurrency, bool)
            or not isinstance(max_concurrency, int)
            or (max_concurrency < 1)
        ):
            raise InvalidArgumentError(
                "max_concurrency", f"must be an int >= 1, got {max_concurrency!r}"
            )
        self._max_concurrency = max_concurrency
        self._user_agent = _user_agent(user_agent)
        self._verify = _verify(verify)
        if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
            raise InvalidArgumentError(
                "transport", f"expected an httpx.AsyncBaseTransport, got {type(transport).__name__}"
            )
        self._http_transport = transport
        for name, fn in (
            ("on_retry", on_retry),
            ("sleep", sleep),
            ("clock", clock),
            ("random", random),
        ):
            if fn is not None and not callable(fn):
                raise InvalidArgumentError(name, "must be callable")
        if (
            isinstance(max_redirects, bool)
            or not isinstance(max_redirects, int)
            or (max_redirects < 0)
        ):
            raise InvalidArgumentError(
                "max_redirects", f"must be an int >= 0, got {max_redirects!r}"
            )
        self._max_redirects = max_redirects
        self._on_retry = on_retry
        self._sleep: Callable[[float], Awaitable[None]] = sleep or anyio.sleep
        self._clock: Callable[[], float] = clock or anyio.current_time
        self._random: Callable[[], float] = random or _jitter
        self._client: httpx.AsyncClient | None = None
        self._limiter: anyio.CapacityLimiter | None = None
        self._closed = False
        self._gate_until = float("-inf")
        self._in_flight = 0
        self._stats = TransportStats()
        if verify is False:
            warnings.warn(
                f"TLS certificate verification is off for {self._base_url}",
                InsecureTLSWarning,
                stacklevel=_outside_package(),
            )

    # -- properties -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The normalised API root, e.g. ``https://puhuri.example/api/``."""
        return self._base_url

    @property
    def origin(self) -> Origin:
        """The (scheme, host, port) the token is pinned to."""
        return self._origin

    @property
    def max_concurrency(self) -> int:
        """Requests in flight at once, at most."""
        return self._max_concurrency

    @property
    def retry(self) -> RetryPolicy:
        """The retry policy."""
        return self._retry

    @property
    def timeout(self) -> Timeout:
        """The default timeouts."""
        return self._timeout

    @property
    def closed(self) -> bool:
        """Whether ``aclose()`` was called."""
        return self._closed

    @property
    def stats(self) -> TransportStats:
        """A snapshot of the counters."""
        return attrs.evolve(self._stats)

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<Transport {self._base_url} ({state})>"

    def url(self, path: str) -> str:
        """The absolute URL of an API path (``"users/"`` → ``https://h/api/users/``)."""
        return join_url(self._base_url, path)

    # -- life cycle -------------------------------------------------------------------------

    async def __aenter__(self) -> Transport:
        self._ensure_open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections. Idempotent; later requests raise ``ClientClosedError``."""
        self._closed = True
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def _ensure_open(self) -> tuple[httpx.AsyncClient, anyio.CapacityLimiter]:
        if self._closed:
            raise ClientClosedError(f"the client for {self._base_url} is closed")
        if self._client is None or self._limiter is None:
            limits = httpx.Limits(
                max_connections=self._max_concurrency,
                max_keepalive_connections=self._max_concurrency,
            )
            self._client = httpx.AsyncClient(
                auth=self._auth,
                headers={"Accept": "application/json", "User-Agent": self._user_agent},
                timeout=self._timeout._httpx(),
                limits=limits,
                verify=self._tls_context(),
                transport=self._http_transport,
                follow_redirects=False,
            )
            self._limiter = anyio.CapacityLimiter(self._max_concurrency)
        return self._client, self._limiter

    def _tls_context(self) -> bool | ssl.SSLContext:
        """What httpx gets as ``verify``: ``verify=True`` becomes a shared context (see
        ``default_tls_context``), made only when this client may open a TLS connection."""
        if self._verify is not True:
            return self._verify
        if self._http_transport is not None:
            return True  # httpx makes no context when it is given a transport
        if self._origin.scheme == "https":
            return default_tls_context()
        # Plain HTTP: the token is pinned to this origin, so a TLS connection is never made
        # (proxies have their own context). A verifying context that trusts no one, made in
        # microseconds, fails closed should one ever be attempted.
        return _no_trust_context()

    # -- requests ---------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path_or_url: str,
        *,
        operation: str,
        params: Params | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        timeout: TimeoutTypes | None = None,  # noqa: ASYNC109 - per-call httpx timeouts
        expect_json: bool = True,
    ) -> Response:
        """Send a request, retrying as the policy allows; return the 2xx ``Response``.

        ``path_or_url`` is an API path (``"users/"``) or an absolute URL on the API origin (a
        ``Link`` URL). ``json`` (if not ``None``) is sent as the body. ``idempotent`` defaults
        to true for GET, HEAD and OPTIONS only. With ``expect_json`` the body is decoded into
        ``Response.data`` (an empty body gives ``None``); a body that is not JSON raises
        ``DecodeError``.
        """
        if not isinstance(operation, str) or not operation:
            raise InvalidArgumentError("operation", "must be a non-empty str")
        if not isinstance(method, str) or method.upper() not in _METHODS:
            raise InvalidArgumentError("method", f"unsupported HTTP method {method!r}")
        method = method.upper()
        url = self._resolve(path_or_url, operation)
        pairs = normalize_params(params)
        query = None
        if pairs:  # httpx would replace the URL's own query (a Link URL's): merge instead
            query = httpx.QueryParams((*httpx.URL(url).params.multi_items(), *pairs))
        call_timeout = self._httpx_timeout if timeout is None else Timeout.of(timeout)._httpx()
        headers: dict[str, str] = {}
        content: bytes | None = None
        if json is not None:
            try:
                content = _json.dumps(json)
            except (TypeError, ValueError) as exc:
                raise InvalidArgumentError("json", f"cannot be encoded as JSON: {exc}") from None
            headers["Content-Type"] = "application/json"
        if idempotent is None:
            idempotent = method in _SAFE_METHODS
        client, limiter = self._ensure_open()
        request = client.build_request(
            method,
            url,
            params=query,
            content=content,
            headers=headers,
            timeout=call_timeout,
        )
        return await self._run(client, limiter, request, operation, idempotent, expect_json)

    def paginate(
        self,
        path: str,
        *,
        operation: str,
        item: Callable[[Any], T],
        params: Params | None = None,
        page_size: int = 300,
        limit: int | None = None,
        progress: Callable[[int, int | None], None] | None = None,
        strict: bool = False,
        window: int | None = None,
        timeout: TimeoutTypes | None = None,
        key: Callable[[dict[str, Any]], Hashable | None] | None = None,
        items: Callable[[list[Any]], list[T] | None] | None = None,
    ) -> Paginator[T]:
        """A ``Paginator`` over a Waldur list; see ``puhuri_async._pagination``.

        ``item`` makes a row's result; ``items``, when given, makes a whole page's at once (or
        gives ``None`` to leave that page to ``item``). Arguments are checked now; nothing is
        fetched until the paginator is iterated.
        """
        if not isinstance(operation, str) or not operation:
            raise InvalidArgumentError("operation", "must be a non-empty str")
        self._resolve(path, operation)

        async def fetch(path_or_url: str, query: list[tuple[str, str]] | None) -> Response:
            return await self.request(
                "GET", path_or_url, operation=operation, params=query, timeout=timeout
            )

        if timeout is not None:
            Timeout.of(timeout)
        return Paginator(
            fetch,
            path,
            operation=operation,
            item=item,
            params=normalize_params(params),
            page_size=page_size,
            limit=limit,
            progress=progress,
            strict=strict,
            window=window,
            concurrency=self._max_concurrency,
            key=key,
            items=items,
        )

    def _resolve(self, path_or_url: str, operation: str) -> str:
        if isinstance(path_or_url, str) and is_absolute(path_or_url):
            return check_origin(path_or_url, self._origin, operation=operation)
        return join_url(self._base_url, path_or_url)

    async def _run(
        self,
        client: httpx.AsyncClient,
        limiter: anyio.CapacityLimiter,
        request: httpx.Request,
        operation: str,
        idempotent: bool,
        expect_json: bool,
    ) -> Response:
        """The retry loop: send, decide, wait, and finally return or raise a typed error."""
        start = self._clock()
        method, url = request.method, str(request.url)
        attempt = 0
        while True:
            attempt += 1
            resp: httpx.Response | None = None
            failure: Exception | None = None
            try:
                resp = await self._send_following_redirects(client, limiter, request, operation)
            except httpx.HTTPError as exc:
                failure = exc
            except httpx.InvalidURL as exc:
                failure = exc
            except RuntimeError:
                if not self._closed:
                    raise
                raise ClientClosedError(
                    f"the client for {self._base_url} was closed during the request",
                    operation=operation,
                    method=method,
                    url=url,
                ) from None
            outcome: Outcome
            if resp is not None and 200 <= resp.status_code < 300:
                try:
                    return self._success(resp, operation, method, expect_json, attempt - 1)
                except DecodeError as exc:
                    # A proxy's HTML page or a truncated body: a failed attempt like a 502, which
                    # only an idempotent request may repeat (a POST's outcome is then unknown).
                    reason = f"status {resp.status_code}, but {exc._message}"
                    failure, resp = exc, None
                    outcome = FailureOutcome(Failure.BROKEN, reason)
            elif resp is not None:
                retry_after = None
                if resp.status_code in (429, 503):
                    retry_after = parse_retry_after(resp.headers.get("Retry-After"))
                if resp.status_code == 429:
                    self._stats.rate_limited += 1
                outcome = StatusOutcome(resp.status_code, retry_after)
            else:
                assert failure is not None
                outcome = FailureOutcome(_classify(failure), _describe_exception(failure))
            decision = decide(
                self._retry,
                attempt=attempt,
                idempotent=idempotent,
                outcome=outcome,
                elapsed=self._clock() - start,
                rand=self._random(),
            )
            if not decision.retry:
                self._stats.errors += 1
                raise self._give_up(decision, resp, failure, operation, method, url, attempt - 1)
            await self._before_retry(decision, outcome, operation, method, url, attempt)

    async def _send_following_redirects(
        self,
        client: httpx.AsyncClient,
        limiter: anyio.CapacityLimiter,
        request: httpx.Request,
        operation: str,
    ) -> httpx.Response:
        """Send; follow same-origin redirects of GET and HEAD (refusing any other origin)."""
        resp = await self._send(client, limiter, request)
        for _ in range(self._max_redirects):
            if resp.status_code not in _REDIRECTS:
                break
            location = resp.headers.get("Location")
            if location is None or request.method not in ("GET", "HEAD"):
                break
            target = resolve_redirect(str(resp.request.url), location)
            try:
                check_origin(target, self._origin, source="redirect to", operation=operation)
            except CrossOriginError as exc:
                exc.method, exc.url = request.method, str(request.url)
                raise
            hop = client.build_request(
                request.method, target, timeout=httpx.Timeout(**request.extensions["timeout"])
            )
            resp = await self._send(client, limiter, hop)
        return resp

    async def _send(
        self, client: httpx.AsyncClient, limiter: anyio.CapacityLimiter, request: httpx.Request
    ) -> httpx.Response:
        """One HTTP exchange: wait for the ``Retry-After`` gate, then send under the limiter."""
        while True:
            while (delay := self._gate_until - self._clock()) > 0:
                self._stats.gate_waits += 1
                self._stats.gate_wait_seconds += delay
                await self._sleep(delay)
            # A free slot is taken at once; only a full limiter costs a trip through the loop.
            try:
                limiter.acquire_nowait()
            except anyio.WouldBlock:
                await limiter.acquire()
            try:
                if self._gate_until > self._clock():
                    continue
                self._stats.requests += 1
                self._in_flight += 1
                self._stats.max_in_flight = max(self._stats.max_in_flight, self._in_flight)
                try:
                    resp = await client.send(request)
                finally:
                    self._in_flight -= 1
            finally:
                limiter.release()
            size = len(resp.content)
            self._stats.bytes_received += size
            logger.debug(
                "%s %s → %s (%d bytes)", request.method, request.url, resp.status_code, size
            )
            return resp

    async def _before_retry(
        self,
        decision: Decision,
        outcome: Outcome,
        operation: str,
        method: str,
        url: str,
        attempt: int,
    ) -> None:
        """Log, count, call the hook, then wait (through the shared gate when the server said)."""
        self._stats.retries += 1
        max_retries = self._retry.max_retries
        logger.info(
            "%s: retry %d/%d after %.2f s: %s",
            operation,
            attempt,
            max_retries,
            decision.wait,
            decision.reason,
        )
        status = outcome.status_code if isinstance(outcome, StatusOutcome) else None
        if self._on_retry is not None:
            self._on_retry(
                RetryEvent(
                    operation=operation,
                    method=method,
                    url=url,
                    retry=attempt,
                    max_retries=max_retries,
                    wait=decision.wait,
                    reason=decision.reason,
                    status_code=status,
                )
            )
        if isinstance(outcome, StatusOutcome) and outcome.retry_after is not None:
            # The server said when to come back: hold every request of this client until then.
            self._gate_until = max(self._gate_until, self._clock() + decision.wait)
        else:
            await self._sleep(decision.wait)

    def _give_up(
        self,
        decision: Decision,
        resp: httpx.Response | None,
        failure: Exception | None,
        operation: str,
        method: str,
        url: str,
        retries: int,
    ) -> PuhuriError:
        """The typed error for a request that will not be retried, its causes chained."""
        error: PuhuriError
        if resp is not None:
            retry_after = None
            if resp.status_code == 429:
                retry_after = parse_retry_after(resp.headers.get("Retry-After"))
            api_error = error_for_status(
                resp.status_code,
                method,
                url,
                _error_body(resp),
                operation=operation,
                retries=retries,
                retry_after=retry_after,
            )
            if resp.status_code in _REDIRECTS:
                target = resp.headers.get("Location", "")
                api_error.detail = f"redirect to {target!r} not followed"
            error = api_error
        elif isinstance(failure, DecodeError):
            failure.retries = retries
            error = failure
        else:
            assert failure is not None
            cls = (
                RequestTimeoutError
                if isinstance(failure, httpx.TimeoutException)
                else (TransportError)
            )
            error = cls(
                _describe_exception(failure),
                operation=operation,
                method=method,
                url=url,
                retries=retries,
            )
            error.__cause__ = failure
        if decision.outcome_unknown:
            unknown = OutcomeUnknownError(
                error, operation=operation, method=method, url=url, retries=retries
            )
            unknown.__cause__ = error
            return unknown
        return error

    def _success(
        self,
        resp: httpx.Response,
        operation: str,
        method: str,
        expect_json: bool,
        retries: int,
    ) -> Response:
        """The ``Response`` of a 2xx answer, its body decoded."""
        url = str(resp.request.url)
        content = resp.content
        headers = Headers(resp.headers.multi_items())
        data: Any = None
        if expect_json and method != "HEAD" and content.strip():
            content_type = headers.get("Content-Type", "").lower()
            if "html" in content_type:
                raise DecodeError(
                    f"expected JSON, got an HTML page ({content_type}, {len(content)} bytes)",
                    operation=operation,
                    method=method,
                    url=url,
                    retries=retries,
                    status_code=resp.status_code,
                    excerpt=_excerpt(content),
                )
            try:
                data = _json.loads(content)
            except _json.JSONDecodeError as exc:
                raise DecodeError(
                    f"the body is not valid JSON (truncated?), {len(content)} bytes: {exc}",
                    operation=operation,
                    method=method,
                    url=url,
                    retries=retries,
                    status_code=resp.status_code,
                    excerpt=_excerpt(content),
                ) from None
        links: dict[str, str] = {}
        if "Link" in headers:
            for key, link in resp.links.items():
                target = link.get("url")
                if target:
                    for rel in (key or "").split():
                        links.setdefault(rel, target)
        count = headers.get("X-Result-Count", "").strip()
        return Response(
            status_code=resp.status_code,
            url=url,
            headers=headers,
            data=data,
            content=content,
            links=links,
            result_count=int(count) if count.isdigit() else None,
        )


def _outside_package() -> int:
    """The ``stacklevel`` that makes a warning issued by the caller point at the first frame
    outside puhuri_async (the user's line that made the client), however deep the package's own
    frames are (``PuhuriClient``, the sync facade...)."""
    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame = frame.f_back
        level += 1
    return level


def _jitter() -> float:
    return random.random()  # noqa: S311 - backoff jitter, not cryptography


def _auth_header(token: str, prefix: str) -> str:
    if prefix not in _TOKEN_PREFIXES:
        raise InvalidArgumentError(
            "token_prefix", f"must be one of {sorted(_TOKEN_PREFIXES)}, got {prefix!r}"
        )
    if not isinstance(token, str):
        raise InvalidArgumentError("token", f"expected a str, got {type(token).__name__}")
    token = token.strip()
    if not token:
        raise InvalidArgumentError("token", "must not be empty")
    if not token.isascii() or not token.isprintable() or any(c.isspace() for c in token):
        raise InvalidArgumentError(
            "token", "must be printable ASCII without spaces (its value is not shown)"
        )
    return f"{prefix} {token}"


def _user_agent(suffix: str | None) -> str:
    base = f"puhuri-async/{__version__}"
    if suffix is None:
        return base
    if (
        not isinstance(suffix, str)
        or not suffix.strip()
        or not suffix.isprintable()
        or (not suffix.isascii())
    ):
        raise InvalidArgumentError("user_agent", "must be a non-empty printable ASCII str")
    return f"{base} {suffix.strip()}"


_tls_lock = threading.Lock()
_tls_contexts: dict[str, ssl.SSLContext] = {}


def default_tls_context() -> ssl.SSLContext:
    """The verifying TLS context of every client made with ``verify=True``, one per process.

    Loading the CA bundle takes tens to hundreds of milliseconds, which a client made per job
    (or a test suite making hundreds) would pay each time; so it is made once, on the first
    https client, under a lock (sync clients are made from many threads), and shared. It is
    httpx's own default (certifi's bundle, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` as set when
    it is made). An ``SSLContext`` is safe to share between connections and threads.
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


def _verify(verify: bool | str | ssl.SSLContext) -> bool | ssl.SSLContext:
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
