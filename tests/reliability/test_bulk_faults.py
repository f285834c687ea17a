"""Bulk fetches under every fault a long unattended run meets, on a real loopback port.

A matrix of fault by operation. Each cell runs one bulk fetch against a FakePuhuri served on
127.0.0.1 while the fault fires on a fixed cadence, then checks the list against the oracle (the
same list read by plain httpx with no fault): every item exactly once, in order. The figures go
to the suite's collector.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from _registry import METHODS, call, path_of

from puhuri_async import (
    DecodeError,
    PuhuriClient,
    PuhuriError,
    RateLimitedError,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
    Timeout,
    TransportError,
)
from puhuri_async.testing import FakeData, FakePuhuri, Fault

from ._figures import FIGURES
from ._support import (
    FAST_RETRY,
    TLS,
    TOKEN,
    fault_totals,
    oracle,
    permission_key,
    use_fake_time,
    user_key,
    wait_until_async,
)

pytestmark = pytest.mark.anyio

PAGE_SIZE = 5
SLOW_TIMEOUT = Timeout(connect=5.0, read=0.3, write=5.0, pool=5.0)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakePuhuri, str]]:
    fake = FakePuhuri(FakeData.generate(users=60, seed=11), token=TOKEN)
    with fake.serve() as base_url:
        yield fake, base_url


@pytest.fixture
def alone() -> Iterator[tuple[FakePuhuri, str]]:
    """A fake of the test's own, for tests that count requests from the first: a page sent as
    another test's list failed (see ``test_nothing_is_asked_for_once_a_page_has_failed``) may
    reach a shared fake after that test has ended."""
    fake = FakePuhuri(FakeData.generate(users=60, seed=11), token=TOKEN)
    with fake.serve() as base_url:
        yield fake, base_url


@pytest.fixture
def fake(served: tuple[FakePuhuri, str]) -> Iterator[FakePuhuri]:
    fake = served[0]
    fake.clear_faults()
    fake.clear_requests()
    yield fake
    fake.clear_faults()


def sp(fake: FakePuhuri) -> str:
    return str(fake.data.service_provider["uuid"])


Call = Callable[[PuhuriClient, str], Awaitable[list[Any]]]

#: The lists the fixture fills with more than three pages, collected or streamed.
BULK = ["list_users", "iter_users", "list_ssh_keys", "list_service_provider_project_permissions"]
BULK += ["iter_service_provider_users"]

# operation → (call, API path of the list relative to /api/, identity of a row); the call and
# the path come from the operation table, rows without a uuid are those with a key of their own.
OPERATIONS: dict[str, tuple[Call, str, Callable[[dict[str, Any]], Any]]] = {
    name: (
        lambda c, s, name=name: call(c, name, uuid=s),
        path_of(METHODS[name], service_provider_uuid="{sp}"),
        user_key if METHODS[name].key is None else permission_key,
    )
    for name in BULK
}

# fault name → the plan (its path is set per operation)
FAULTS: dict[str, Callable[[str], Fault]] = {
    "503 every 7th": lambda path: Fault.error(503, every=7, path=path),
    "429 Retry-After every 5th": lambda path: Fault.error(429, retry_after=1, every=5, path=path),
    "502": lambda path: Fault.error(502, every=3, path=path),
    "504": lambda path: Fault.error(504, every=3, path=path),
    "slower than the timeout": lambda path: Fault.slow(30.0, every=4, times=2, path=path),
    "dropped mid-body": lambda path: Fault.drop(every=3, path=path),
    "malformed JSON": lambda path: Fault.malformed(every=3, path=path),
    "HTML page with 200": lambda path: Fault.html(200, every=3, path=path),
}


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("fault_name", list(FAULTS))
async def test_bulk_fetch_survives_fault(
    served: tuple[FakePuhuri, str], fake: FakePuhuri, operation: str, fault_name: str
) -> None:
    await check_cell(served, fake, operation, fault_name)


@pytest.mark.parametrize("anyio_backend", ["trio"])
@pytest.mark.parametrize("operation", ["list_users", "iter_users"])
@pytest.mark.parametrize("fault_name", list(FAULTS))
async def test_bulk_fetch_survives_fault_on_trio(
    served: tuple[FakePuhuri, str], fake: FakePuhuri, operation: str, fault_name: str
) -> None:
    await check_cell(served, fake, operation, fault_name)


async def check_cell(
    served: tuple[FakePuhuri, str], fake: FakePuhuri, operation: str, fault_name: str
) -> None:
    base_url = served[1]
    call, template, key = OPERATIONS[operation]
    path = template.format(sp=sp(fake))
    expected = [key(row) for row in oracle(base_url, path)]
    assert len(expected) > 3 * PAGE_SIZE
    fake.clear_requests()
    fake.add_fault(FAULTS[fault_name](path))
    slow = fault_name == "slower than the timeout"
    async with PuhuriClient(
        base_url,
        TOKEN,
        retry=FAST_RETRY,
        page_size=PAGE_SIZE,
        max_concurrency=4,
        verify=TLS,
        timeout=SLOW_TIMEOUT if slow else Timeout(),
    ) as client:
        fake_time = use_fake_time(client)
        items = await call(client, sp(fake))
        stats = client.stats
    got = [key(item.to_dict()) for item in items]
    _, fired = fault_totals(fake)
    lost = len(set(expected) - set(got))
    duplicated = len(got) - len(set(got))
    FIGURES.add(
        cells=1,
        faults_injected=fired,
        faults_survived=fired,
        requests=stats.requests,
        retries=stats.retries,
        items_lost=lost,
        items_duplicated=duplicated,
    )
    assert got == expected
    assert fired >= 1, "the fault never fired: the cell tested nothing"
    # Every fault cost exactly one failed attempt, and each was retried.
    if slow:
        assert stats.retries >= fired
    else:
        assert stats.retries == fired
    # A timed-out request is logged once the server sees the client go: wait for it.
    await wait_until_async(lambda: len(fake.requests_for("GET", path)) >= stats.requests)
    assert stats.requests == len(fake.requests_for("GET", path))
    if fault_name.startswith("429"):
        assert fake_time.sleeps, "Retry-After was not waited for"
        assert all(wait == 1.0 for wait in fake_time.sleeps)


def failing_at_page_3(
    alone: tuple[FakePuhuri, str], fault_name: str, timeout: Timeout
) -> PuhuriClient:
    """A client without retries, one page at a time, on a fake whose third list request (page
    3 of the users) meets the fault."""
    fake, base_url = alone
    fake.add_fault(replace(FAULTS[fault_name]("users/"), every=None, at=(3,)))
    return PuhuriClient(
        base_url,
        TOKEN,
        retry=RetryPolicy.none(),
        page_size=PAGE_SIZE,
        max_concurrency=1,
        timeout=timeout,
        verify=TLS,
    )


# fault name → (the error expected when retries are off, words its message must have)
TYPED: dict[str, tuple[type[PuhuriError], str]] = {
    "503 every 7th": (ServerError, "503 Service Unavailable"),
    "429 Retry-After every 5th": (RateLimitedError, "429 Too Many Requests: Request was throttled"),
    "502": (ServerError, "502 Bad Gateway"),
    "504": (ServerError, "504 Gateway Timeout"),
    "slower than the timeout": (RequestTimeoutError, "timed out (ReadTimeout"),
    "dropped mid-body": (TransportError, "connection failed (RemoteProtocolError"),
    "malformed JSON": (DecodeError, "the body is not valid JSON"),
    "HTML page with 200": (DecodeError, "expected JSON, got an HTML page"),
}


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("fault_name", list(FAULTS))
async def test_bulk_fetch_failure_is_typed(alone: tuple[FakePuhuri, str], fault_name: str) -> None:
    """With retries off, the fault surfaces as its own error type, with a message that names
    the operation, the request and what went wrong (and never the token)."""
    base_url = alone[1]
    slow = fault_name == "slower than the timeout"
    async with failing_at_page_3(alone, fault_name, SLOW_TIMEOUT if slow else Timeout()) as client:
        with pytest.raises(PuhuriError) as info:
            await client.list_users()
    error_type, words = TYPED[fault_name]
    error = info.value
    FIGURES.add(typed_errors=1, faults_injected=1, faults_reported=1, cells=1)
    assert type(error) is error_type
    text = str(error)
    assert text.startswith(f"list_users: GET {base_url}users/?page=3&page_size={PAGE_SIZE}")
    assert words in text
    assert TOKEN not in text
    assert TOKEN not in repr(error)
    if isinstance(error, RateLimitedError):
        assert error.retry_after == 1.0


# fault name → the requests of the list that fails at its third
SENT_BY_THE_FAILURE = {
    "502": 3,
    "dropped mid-body": 3,
    "malformed JSON": 4,
    "HTML page with 200": 4,
}


@pytest.mark.parametrize("fault_name", list(SENT_BY_THE_FAILURE))
async def test_nothing_is_asked_for_once_a_page_has_failed(
    alone: tuple[FakePuhuri, str], fault_name: str, anyio_backend: str
) -> None:
    """One page at a time, page 3 fails. A page whose answer failed woke the page waiting for
    its slot as it failed: that page is not sent (on asyncio its cancellation would come only
    once its request was written). A page whose body was read in full gave its slot back
    before it was decoded, so page 4 was on its way when page 3's body proved bad: one request
    more, which the next read does not lose (the pacer's slot is back). Trio runs a batch of
    ready tasks in a random order: there page 4 goes first about half of the time."""
    fake = alone[0]
    sent = SENT_BY_THE_FAILURE[fault_name]
    async with failing_at_page_3(alone, fault_name, Timeout()) as client:
        with pytest.raises(PuhuriError):
            await client.list_users()
        # Trio may run page 4 or cancel it first; a request cancelled before it was written
        # is counted as sent but never reaches the server.
        if anyio_backend == "trio":
            sent = client.stats.requests
            assert sent in {3, SENT_BY_THE_FAILURE[fault_name]}
        assert client.stats.requests == sent
        fake.clear_faults()
        users = await client.list_users()
    assert len(users) == 60
    # The second read knows the count: its 12 pages, and not one request more on the wire.
    assert client.stats.requests == sent + 12
    await wait_until_async(lambda: len(fake.requests_for("GET", "users/")) >= 3 + 12)
    assert len(fake.requests_for("GET", "users/")) <= sent + 12
    if sent == 3:
        assert len(fake.requests_for("GET", "users/")) == 3 + 12
