"""Every POST operation under every fault, on a real loopback port.

A matrix of fault by operation. Each cell makes seven calls of the operation on seven distinct
objects, in order, while the fault fires on a fixed cadence. Idempotent operations
(``marketplace_resource_set_backend_id``, ``create_component_usages``,
``set_offerings_username``, the order's ``set_backend_id``, ``set_limits``,
``create_component_user_usage``) must retry to success and leave the state asked for. The
others must never reach the server twice (checked from the fake's request log): a fault that
proves the request was refused before it ran (429, 503 with ``Retry-After``) is retried, any
other ends in ``OutcomeUnknownError`` naming the operation and the cause.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from puhuri_async import (
    ComponentUsage,
    DecodeError,
    OutcomeUnknownError,
    PuhuriClient,
    PuhuriError,
    RequestTimeoutError,
    ResourceReportRecord,
    ServerError,
    Timeout,
    TransportError,
)
from puhuri_async._operations import OPERATIONS as TABLE
from puhuri_async.testing import FakeData, FakePuhuri, Fault, RequestRecord

from ._figures import FIGURES
from ._support import FAST_RETRY, TLS, TOKEN, fault_totals, use_fake_time, wait_until_async

pytestmark = pytest.mark.anyio

CALLS = 7
SLOW_TIMEOUT = Timeout(connect=5.0, read=0.3, write=5.0, pool=5.0)


@dataclass(frozen=True)
class PostFault:
    make: Callable[[str], Fault]
    refused_before_running: bool
    """The answer proves the request did not run (so even a non-idempotent POST retries)."""
    cause: type[PuhuriError] | None = None
    """What ``OutcomeUnknownError.cause`` is for a non-idempotent POST."""


FAULTS: dict[str, PostFault] = {
    "503 every 7th": PostFault(lambda p: Fault.error(503, every=7, path=p), False, ServerError),
    "503 with Retry-After": PostFault(
        lambda p: Fault.error(503, retry_after=1, every=3, path=p), True
    ),
    "429 Retry-After every 5th": PostFault(
        lambda p: Fault.error(429, retry_after=1, every=5, path=p), True
    ),
    "502": PostFault(lambda p: Fault.error(502, every=3, path=p), False, ServerError),
    "502 after applying": PostFault(
        lambda p: Fault.error(502, every=3, applied=True, path=p), False, ServerError
    ),
    "504": PostFault(lambda p: Fault.error(504, every=3, path=p), False, ServerError),
    "slower than the timeout": PostFault(
        lambda p: Fault.slow(30.0, every=4, times=1, path=p), False, RequestTimeoutError
    ),
    "dropped mid-body": PostFault(lambda p: Fault.drop(every=3, path=p), False, TransportError),
    "malformed JSON": PostFault(lambda p: Fault.malformed(every=3, path=p), False, DecodeError),
    "HTML page with 200": PostFault(lambda p: Fault.html(200, every=3, path=p), False, DecodeError),
}


class Pools:
    """Objects not used by an earlier cell, so every call of the module acts on a fresh one."""

    def __init__(self, data: FakeData) -> None:
        self.data = data
        self.pending_orders = iter([o for o in data.orders if o["state"] == "pending-provider"])
        self._resources = itertools.cycle(data.resources)
        self.users = itertools.cycle(data.users)
        self.serial = itertools.count(1)
        self._pairs = iter([(o["uuid"], u["uuid"]) for u in data.users for o in data.offerings])
        self.orders = itertools.cycle(data.orders)
        self.component_usages = itertools.cycle(data.component_usages)

    def resource(self) -> Any:
        """A resource usage may be reported for: Waldur accepts usage only for resources that are
        OK, Updating or Terminating (others answer 400 "Resource is not in valid state")."""
        return next(r for r in self._resources if r["state"] in ("OK", "Updating", "Terminating"))

    def new_account(self) -> tuple[str, str]:
        """An (offering, user) pair with no offering user yet (other cells create some)."""
        with_account = {(u["offering_uuid"], u["user_uuid"]) for u in self.data.offering_users}
        return next(pair for pair in self._pairs if pair not in with_account)


@dataclass(frozen=True)
class PostOp:
    idempotent: bool
    path: str
    """The glob of the operation's path, relative to /api/."""
    target: Callable[[Pools], Any]
    call: Callable[[PuhuriClient, Any, int], Awaitable[Any]]
    done: Callable[[FakeData, Any, int], bool]
    """Whether the data shows the call's effect."""


def _order_state(data: FakeData, order: Any) -> str:
    return str(data.get("orders", order["uuid"])["state"])  # type: ignore[index]


def _usage(data: FakeData, resource: Any) -> Any:
    return data.get("resources", resource["uuid"])["current_usages"].get("cpu")  # type: ignore[index]


def _user_usage(data: FakeData, record: Any, n: int) -> bool:
    return any(
        u["component_usage"].endswith(f"/{record['uuid']}/")
        and u["username"] == f"user-{n}"
        and Decimal(str(u["usage"])) == n
        for u in data.component_user_usages
    )


def _from_table(**cells: tuple[Any, Any, Any]) -> dict[str, PostOp]:
    """Matrix cells whose idempotency and path (as a glob) are the operation table's."""
    return {
        name: PostOp(bool(TABLE[name].idempotent), re.sub(r"\{\w+\}", "*", TABLE[name].path), *cell)
        for name, cell in cells.items()
    }


# operation → (target, call, done); whether it may be retried, and its path, are the table's.
OPERATIONS: dict[str, PostOp] = _from_table(
    marketplace_order_approve_by_provider=(
        lambda pools: next(pools.pending_orders),
        lambda c, order, n: c.marketplace_order_approve_by_provider(order["uuid"]),
        lambda data, order, n: _order_state(data, order) == "executing",
    ),
    marketplace_order_reject_by_provider=(
        lambda pools: next(pools.pending_orders),
        lambda c, order, n: c.marketplace_order_reject_by_provider(order["uuid"], f"no {n}"),
        lambda data, order, n: _order_state(data, order) == "rejected",
    ),
    marketplace_order_cancel=(
        lambda pools: next(pools.pending_orders),
        lambda c, order, n: c.marketplace_order_cancel(order["uuid"]),
        lambda data, order, n: _order_state(data, order) == "canceled",
    ),
    marketplace_resource_set_backend_id=(
        lambda pools: pools.resource(),
        lambda c, res, n: c.marketplace_resource_set_backend_id(res["uuid"], f"backend-{n}"),
        lambda data, res, n: data.get("resources", res["uuid"])["backend_id"] == f"backend-{n}",  # type: ignore[index]
    ),
    marketplace_resource_submit_report=(
        lambda pools: pools.resource(),
        lambda c, res, n: c.marketplace_resource_submit_report(
            res["uuid"], [ResourceReportRecord("Login", f"ssh login-{n}.example.org")]
        ),
        lambda data, res, n: (
            data.get("resources", res["uuid"])["report"]  # type: ignore[index]
            == [{"header": "Login", "body": f"ssh login-{n}.example.org"}]
        ),
    ),
    create_component_usages=(
        lambda pools: pools.resource(),
        lambda c, res, n: c.create_component_usages(
            [ComponentUsage("cpu", Decimal(n))], resource=res["uuid"]
        ),
        lambda data, res, n: _usage(data, res) == float(n),
    ),
    create_remote_offering_user=(
        lambda pools: pools.new_account(),
        lambda c, pair, n: c.create_remote_offering_user(pair[0], pair[1], f"acct-{n}"),
        lambda data, pair, n: any(
            u["offering_uuid"] == pair[0]
            and u["user_uuid"] == pair[1]
            and u["username"] == f"acct-{n}"
            for u in data.offering_users
        ),
    ),
    marketplace_order_set_backend_id=(
        lambda pools: next(pools.orders),
        lambda c, order, n: c.marketplace_order_set_backend_id(order["uuid"], f"job-{n}"),
        lambda data, order, n: data.get("orders", order["uuid"])["backend_id"] == f"job-{n}",  # type: ignore[index]
    ),
    marketplace_provider_resource_set_limits=(
        lambda pools: pools.resource(),
        lambda c, res, n: c.marketplace_provider_resource_set_limits(res["uuid"], {"cpu": n}),
        lambda data, res, n: data.get("resources", res["uuid"])["limits"] == {"cpu": n},  # type: ignore[index]
    ),
    create_component_user_usage=(
        lambda pools: next(pools.component_usages),
        lambda c, record, n: c.create_component_user_usage(record["uuid"], n, f"user-{n}"),
        _user_usage,
    ),
    set_offerings_username=(
        lambda pools: (pools.data.service_provider["uuid"], next(pools.users)["uuid"]),
        lambda c, pair, n: c.set_offerings_username(pair[0], pair[1], f"name-{n}"),
        lambda data, pair, n: any(
            u["user_uuid"] == pair[1] and u["username"] == f"name-{n}" for u in data.offering_users
        ),
    ),
)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakePuhuri, str, Pools]]:
    data = FakeData.generate(users=120, orders=1400, resources=60, seed=21)
    fake = FakePuhuri(data, token=TOKEN)
    with fake.serve() as base_url:
        yield fake, base_url, Pools(data)


def _reached(record: RequestRecord, fault: PostFault) -> bool:
    """Whether the request got past the throttling answer to the view (it may have run)."""
    return not (fault.refused_before_running and record.fault == "status")


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("fault_name", list(FAULTS))
async def test_post_under_fault(
    served: tuple[FakePuhuri, str, Pools], operation: str, fault_name: str
) -> None:
    await check_cell(served, operation, fault_name)


@pytest.mark.parametrize("anyio_backend", ["trio"])
@pytest.mark.parametrize(
    "operation", ["marketplace_order_approve_by_provider", "marketplace_resource_set_backend_id"]
)
@pytest.mark.parametrize("fault_name", list(FAULTS))
async def test_post_under_fault_on_trio(
    served: tuple[FakePuhuri, str, Pools], operation: str, fault_name: str
) -> None:
    await check_cell(served, operation, fault_name)


async def check_cell(
    served: tuple[FakePuhuri, str, Pools], operation: str, fault_name: str
) -> None:
    fake, base_url, pools = served
    op, fault = OPERATIONS[operation], FAULTS[fault_name]
    fake.clear_faults()
    fake.clear_requests()
    fake.add_fault(fault.make(op.path))
    slow = fault_name == "slower than the timeout"
    calls = [(op.target(pools), next(pools.serial)) for _ in range(CALLS)]
    outcomes: list[Any] = []
    async with PuhuriClient(
        base_url,
        TOKEN,
        retry=FAST_RETRY,
        timeout=SLOW_TIMEOUT if slow else Timeout(),
        verify=TLS,
    ) as client:
        use_fake_time(client)
        for target, number in calls:
            try:
                outcomes.append(await op.call(client, target, number))
            except PuhuriError as exc:
                outcomes.append(exc)
        stats = client.stats
    # What the client asked to learn what the server is (``server_info``), once, before a
    # body field that older servers drop: not the operation's requests.
    asked = len(fake.requests_for("GET", "version/")) + len(fake.requests_for("OPTIONS"))
    await wait_until_async(
        lambda: len(fake.requests_for("POST", op.path)) >= stats.requests - asked, seconds=3.0
    )
    records = fake.requests_for("POST", op.path)
    _, fired = fault_totals(fake)
    errors = [o for o in outcomes if isinstance(o, PuhuriError)]
    sent = Counter(
        (r.path, json.dumps(r.json, sort_keys=True)) for r in records if _reached(r, fault)
    )
    duplicates = sum(n - 1 for n in sent.values() if n > 1) if not op.idempotent else 0
    FIGURES.add(
        cells=1,
        faults_injected=fired,
        requests=stats.requests,
        retries=stats.retries,
        typed_errors=len(errors),
        duplicate_posts=duplicates,
        faults_survived=fired if (op.idempotent or fault.refused_before_running) else 0,
        faults_reported=0 if (op.idempotent or fault.refused_before_running) else fired,
    )
    assert fired >= 1, "the fault never fired: the cell tested nothing"
    assert len(records) == stats.requests - asked
    if op.idempotent or fault.refused_before_running:
        assert errors == []
        assert stats.retries == fired
        with fake.lock:
            assert all(op.done(fake.data, target, number) for target, number in calls)
        return
    # Not idempotent: never sent twice, each fault that fired is one OutcomeUnknownError.
    assert duplicates == 0, sent
    assert stats.retries == 0
    assert len(errors) == fired
    for error in errors:
        assert isinstance(error, OutcomeUnknownError)
        assert isinstance(error.cause, fault.cause)  # type: ignore[arg-type]
        text = str(error)
        assert text.startswith(f"{operation}: POST {base_url}")
        assert "outcome unknown" in text
        assert "check the state" in text
    with fake.lock:
        applied = {(r.path, json.dumps(r.json, sort_keys=True)) for r in records if r.applied}
        for (target, number), outcome in zip(calls, outcomes, strict=True):
            if not isinstance(outcome, PuhuriError):
                assert op.done(fake.data, target, number)
        # The data changed exactly where the log says the request was applied.
        assert sum(op.done(fake.data, t, n) for t, n in calls) == len(applied)
