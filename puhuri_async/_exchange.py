"""The attempts of one request: send, follow redirects, read the body, decide, wait, repeat.

The loop only applies what the pure functions decide (``_retry.decide``) and turns the last
failure into a typed error (``_failures.give_up``). A ``429`` or ``503`` with ``Retry-After``
closes a gate shared by every request of the client until that time. The deadline of a request
is the caller's cancel scope (``_http``); the loop is told how much time is left so that it
never starts a wait it could not finish.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import Final

import anyio
import attrs
import httpx

from puhuri_async._auth import Redactor, Tokens
from puhuri_async._body import ERROR_BODY_LIMIT, TooLarge, Undecodable, decode_success, read_body
from puhuri_async._errors import (
    ClientClosedError,
    CrossOriginError,
    DecodeError,
    ResponseTooLargeError,
)
from puhuri_async._failures import (
    REDIRECTS,
    classify,
    describe,
    give_up,
    past_deadline,
    undecodable,
)
from puhuri_async._response import Headers, Response
from puhuri_async._retry import (
    Decision,
    Failure,
    FailureOutcome,
    Outcome,
    RetryEvent,
    RetryPolicy,
    StatusOutcome,
    decide,
    parse_retry_after,
)
from puhuri_async._urls import Origin, check_origin, resolve_redirect

__all__ = ["Exchange", "Received", "TransportStats"]

logger = logging.getLogger("puhuri_async")

_NEVER: Final = float("-inf")  # the gate's time before any Retry-After closed it

Received = Callable[[], Awaitable[None]]
"""Awaited when a 2xx body has been read, before it is decoded: the connection and the
limiter's slot are free again, so the caller may let another request go out before this one's
body costs its CPU (the paginator does: ``_page_fetch``). It may be awaited once per attempt."""


@attrs.define
class TransportStats:
    """Counters of one transport, e.g. for a summary at the end of a run.

    ``requests``: HTTP requests sent (each retry and redirect counts); ``retries``: retries taken;
    ``rate_limited``: 429 answers; ``gate_waits`` and ``gate_wait_seconds``: waits at the shared
    ``Retry-After`` gate; ``bytes_received``: response body bytes (decompressed);
    ``max_in_flight``: the most requests that were in flight at once; ``errors``: requests that
    ended in an error.
    """

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    gate_waits: int = 0
    gate_wait_seconds: float = 0.0
    bytes_received: int = 0
    max_in_flight: int = 0
    errors: int = 0


class Exchange:
    """The request loop of one transport (its gate, counters and injectable time)."""

    def __init__(
        self,
        origin: Origin,
        redactor: Redactor,
        stats: TransportStats,
        tokens: Tokens,
        *,
        max_redirects: int,
        max_body_size: int,
        on_retry: Callable[[RetryEvent], None] | None,
        sleep: Callable[[float], Awaitable[None]],
        clock: Callable[[], float],
        random: Callable[[], float],
        closed: Callable[[], bool],
    ) -> None:
        self._origin = origin
        self._redactor = redactor
        self._stats = stats
        self._tokens = tokens
        self._max_redirects = max_redirects
        self._max_body = max_body_size
        self._error_body = min(ERROR_BODY_LIMIT, max_body_size)
        self._on_retry = on_retry
        self.sleep = sleep
        self.clock = clock
        self.random = random
        self._closed = closed
        self._gate_until = _NEVER
        self._in_flight = 0

    async def run(
        self,
        client: httpx.AsyncClient,
        limiter: anyio.CapacityLimiter,
        request: httpx.Request,
        operation: str,
        idempotent: bool,
        expect_json: bool,
        total: float | None,
        policy: RetryPolicy,
        received: Received | None = None,
        missing_ok: bool = False,
    ) -> Response:
        """The request's attempts under ``policy``, within its deadline of ``total`` seconds
        from now (``None``: none): a cancel scope ends whatever is going on then (a slow body,
        a wait) and the request raises ``RequestTimeoutError`` (``OutcomeUnknownError`` for a
        non-idempotent request cut off while it was out). ``received``: see ``Received``.
        ``missing_ok``: a final ``404`` is raised but not counted in ``stats.errors`` (the
        caller expected it: a page asked for past the end of a list)."""
        call = (
            client,
            limiter,
            request,
            operation,
            idempotent,
            expect_json,
            policy,
            received,
            missing_ok,
        )
        if total is None or math.isinf(total):
            return await self._attempts(*call, None, [0, 0])
        progress = [0, 0]  # attempts started; 1 while one is out
        with anyio.CancelScope(deadline=anyio.current_time() + total):
            return await self._attempts(*call, total, progress)
        self._stats.errors += 1
        raise past_deadline(
            total,
            operation=operation,
            method=request.method,
            url=str(request.url),
            retries=max(progress[0] - 1, 0),
            outcome_unknown=bool(progress[1]) and not idempotent,
        )

    async def _attempts(
        self,
        client: httpx.AsyncClient,
        limiter: anyio.CapacityLimiter,
        request: httpx.Request,
        operation: str,
        idempotent: bool,
        expect_json: bool,
        policy: RetryPolicy,
        received: Received | None,
        missing_ok: bool,
        total: float | None,
        progress: list[int],
    ) -> Response:
        """Send, decide, wait, and finally return the 2xx ``Response`` or raise a typed error."""
        start = self.clock()
        method, url = request.method, str(request.url)
        renewed = 0  # a resend with a renewed token is not a retry: the budget is kept
        ask = self._tokens.dynamic  # the token provider, before each attempt but a resend
        while True:
            progress[0] += 1
            attempt = progress[0] - renewed
            if self._closed():
                raise self._closed_error(operation, method, url, during=progress[0] > 1)
            if ask:
                await self._tokens.current()
            ask = self._tokens.dynamic
            progress[1] = 1  # stays 1 if the deadline cuts the attempt off
            answer, failure = await self._attempt(client, limiter, request, operation)
            progress[1] = 0
            status: tuple[int, Headers, bytes] | None = None
            if answer is not None:
                resp, headers, content = answer
                if 200 <= resp.status_code < 300:
                    if received is not None:
                        await received()
                    try:
                        return self._success(resp, headers, content, expect_json)
                    except Undecodable as exc:
                        exc.status = resp.status_code
                        failure = exc
                else:
                    status = (resp.status_code, headers, content)
                    if (
                        status[0] == 401
                        and not renewed
                        and await self._renewed(idempotent, resp.request.headers)
                    ):
                        renewed, ask = 1, False
                        logger.info("%s: token refused (401), sent again with a new one", operation)
                        continue
            if isinstance(failure, TooLarge):
                self._stats.errors += 1
                raise self._too_large(failure, operation, method, url, attempt - 1)
            if isinstance(failure, Undecodable):
                failure = undecodable(failure, operation=operation, method=method, url=url)
            outcome = self._outcome(status, failure)
            elapsed = self.clock() - start
            decision = decide(
                policy,
                attempt=attempt,
                idempotent=idempotent,
                outcome=outcome,
                elapsed=elapsed,
                rand=self.random(),
                remaining=None if total is None else total - elapsed,
            )
            if not decision.retry:
                if not (missing_ok and status is not None and status[0] == 404):
                    self._stats.errors += 1
                raise give_up(
                    decision,
                    status,
                    failure,
                    operation=operation,
                    method=method,
                    url=url,
                    retries=attempt - 1,
                )
            await self._before_retry(decision, outcome, policy, operation, method, url, attempt)

    async def _renewed(self, idempotent: bool, sent: httpx.Headers) -> bool:
        """After a ``401``: whether the token provider gave a new token and the request may be
        sent again with it. A request that is not idempotent is not: its answer was a refusal,
        but the rule stays the one of every retry (the new token serves the next request)."""
        if not self._tokens.dynamic:
            return False
        changed = await self._tokens.renew(sent.get("Authorization", ""))
        return changed and idempotent

    async def _attempt(
        self,
        client: httpx.AsyncClient,
        limiter: anyio.CapacityLimiter,
        request: httpx.Request,
        operation: str,
    ) -> tuple[tuple[httpx.Response, Headers, bytes] | None, Exception | None]:
        """One attempt: the answer, its headers and its body, or what went wrong below HTTP
        (an httpx error, or the body's ``TooLarge`` or ``Undecodable``). Closing the client
        under the request is ``ClientClosedError``, whatever httpx or httpcore raised for it."""
        try:
            return await self._follow(client, limiter, request, operation), None
        except (httpx.HTTPError, httpx.InvalidURL, TooLarge, Undecodable) as exc:
            failure: Exception = exc
        except CrossOriginError:
            raise
        except Exception as exc:  # httpcore's own errors when the pool is closed under a request
            if not self._closed():
                raise
            failure = exc
        if self._closed():
            raise self._closed_error(
                operation, request.method, str(request.url), during=True
            ) from failure
        return None, failure

    def _outcome(
        self, status: tuple[int, Headers, bytes] | None, failure: Exception | None
    ) -> Outcome:
        """What the attempt means for a retry."""
        if status is not None:
            code = status[0]
            retry_after = None
            if code in (429, 503):
                retry_after = parse_retry_after(status[1].get("Retry-After"))
            if code == 429:
                self._stats.rate_limited += 1
            return StatusOutcome(code, retry_after)
        if isinstance(failure, DecodeError):
            # A proxy's HTML page or a truncated body: a failed attempt like a 502, which only
            # an idempotent request may repeat (a POST's outcome is then unknown).
            return FailureOutcome(Failure.BROKEN, f"status 2xx, but {failure._message}")
        assert failure is not None
        return FailureOutcome(classify(failure), describe(failure))

    def _success(
        self, resp: httpx.Response, headers: Headers, content: bytes, expect_json: bool
    ) -> Response:
        method = resp.request.method
        return decode_success(
            resp.status_code,
            str(resp.request.url),
            headers,
            content,
            decode=expect_json and method != "HEAD",
        )

    async def _follow(
        self,
        client: httpx.AsyncClient,
        limiter: anyio.CapacityLimiter,
        request: httpx.Request,
        operation: str,
    ) -> tuple[httpx.Response, Headers, bytes]:
        """Send; follow same-origin redirects of GET and HEAD (refusing any other origin)."""
        resp, headers, content = await self._send(client, limiter, request)
        for _ in range(self._max_redirects):
            if resp.status_code not in REDIRECTS:
                break
            location = headers.get("Location")
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
            resp, headers, content = await self._send(client, limiter, hop)
        return resp, headers, content

    async def _send(
        self, client: httpx.AsyncClient, limiter: anyio.CapacityLimiter, request: httpx.Request
    ) -> tuple[httpx.Response, Headers, bytes]:
        """One HTTP exchange: wait for the ``Retry-After`` gate, then send under the limiter and
        read the body under its limit (a 2xx in full, any other answer up to 64 KiB)."""
        stats = self._stats
        while True:
            # The gate is read against the clock only once a Retry-After has closed it.
            while self._gate_until > _NEVER and (delay := self._gate_until - self.clock()) > 0:
                stats.gate_waits += 1
                stats.gate_wait_seconds += delay
                await self.sleep(delay)
            # A free slot is taken at once; only a full limiter costs a trip through the loop.
            try:
                limiter.acquire_nowait()
            except anyio.WouldBlock:
                await limiter.acquire()
            try:
                if self._gate_until > _NEVER and self._gate_until > self.clock():
                    continue
                stats.requests += 1
                self._in_flight += 1
                if self._in_flight > stats.max_in_flight:
                    stats.max_in_flight = self._in_flight
                try:
                    resp = await client.send(request, stream=True)
                    try:
                        status = resp.status_code
                        headers = Headers(resp.headers.multi_items())
                        if request.method == "HEAD":
                            content = b""
                        elif 200 <= status < 300:
                            content = await read_body(resp, headers, self._max_body, cut=False)
                        else:
                            content = await read_body(resp, headers, self._error_body, cut=True)
                    except (TooLarge, Undecodable) as exc:
                        exc.status = resp.status_code
                        raise
                    finally:
                        await resp.aclose()
                finally:
                    self._in_flight -= 1
            finally:
                limiter.release()
            size = len(content)
            self._stats.bytes_received += size
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "%s %s → %s (%d bytes)",
                    request.method,
                    self._redactor.text(str(request.url)),
                    status,
                    size,
                )
            return resp, headers, content

    async def _before_retry(
        self,
        decision: Decision,
        outcome: Outcome,
        policy: RetryPolicy,
        operation: str,
        method: str,
        url: str,
        attempt: int,
    ) -> None:
        """Log, count, call the hook, then wait (through the shared gate when the server said)."""
        self._stats.retries += 1
        retries = policy.max_retries
        reason = self._redactor.text(decision.reason)
        wait = decision.wait
        logger.info("%s: retry %d/%d after %.2f s: %s", operation, attempt, retries, wait, reason)
        status = outcome.status_code if isinstance(outcome, StatusOutcome) else None
        if self._on_retry is not None:
            self._on_retry(
                RetryEvent(
                    operation=operation,
                    method=method,
                    url=url,
                    retry=attempt,
                    max_retries=retries,
                    wait=decision.wait,
                    reason=reason,
                    status_code=status,
                )
            )
        if isinstance(outcome, StatusOutcome) and outcome.retry_after is not None:
            # The server said when to come back: hold every request of this client until then.
            self._gate_until = max(self._gate_until, self.clock() + decision.wait)
        else:
            await self.sleep(decision.wait)

    def _closed_error(
        self, operation: str, method: str, url: str, *, during: bool
    ) -> ClientClosedError:
        self._stats.errors += 1
        when = "during the request" if during else "before the request was sent"
        return ClientClosedError(
            f"the client was closed {when}", operation=operation, method=method, url=url
        )

    def _too_large(
        self, exc: TooLarge, operation: str, method: str, url: str, retries: int
    ) -> ResponseTooLargeError:
        said = f" (its Content-Length says {exc.announced})" if exc.announced else ""
        return ResponseTooLargeError(
            f"the response body is larger than the limit of {exc.limit} bytes{said} "
            "(ResponseLimits.max_body_size); the rest was not read",
            limit=exc.limit,
            operation=operation,
            method=method,
            url=url,
            retries=retries,
        )
