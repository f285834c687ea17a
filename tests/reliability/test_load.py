"""Load: a thousand tasks on one client, and a 100,000-item stream in bounded memory."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import anyio
import pytest

from puhuri_async import PuhuriClient
from puhuri_async.testing import FakeData, FakePuhuri

from ._figures import FIGURES
from ._support import (
    FAST_RETRY,
    TOKEN,
    Sampler,
    client_sockets,
    rss_bytes,
    running_tasks,
    wait_until_async,
)

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("anyio_backend", ["asyncio"])]

TASKS = 1000
MAX_CONCURRENCY = 16
MB = 1024 * 1024


async def test_a_thousand_tasks_share_one_client() -> None:
    """1,000 tasks call at once; every call succeeds and the sockets stay within the limit.

    The transport sizes httpx's pool from ``max_concurrency`` (``max_connections`` and
    ``max_keepalive_connections`` both 16) and holds a limiter of the same size, so at most 16
    connections can ever be open, busy or idle: the limit is asserted with no slack.
    """
    fake = FakePuhuri(FakeData.generate(users=20, seed=1), token=TOKEN)
    offering = str(fake.data.offerings[0]["uuid"])
    results: dict[int, object] = {}
    baseline = running_tasks()
    with fake.serve() as base_url:
        port = urlsplit(base_url).port
        assert port is not None
        async with PuhuriClient(
            base_url, TOKEN, max_concurrency=MAX_CONCURRENCY, retry=FAST_RETRY
        ) as client:

            async def call(number: int) -> None:
                results[number] = (await client.get_marketplace_offering(offering)).uuid

            with Sampler(
                interval=0.005,
                server=fake.open_connections,
                client=lambda: client_sockets(port),
            ) as sampler:
                async with anyio.create_task_group() as group:
                    for number in range(TASKS):
                        group.start_soon(call, number)
            stats = client.stats
            idle = fake.open_connections()
        closed = await wait_until_async(lambda: fake.open_connections() == 0)
        leaked_connections = fake.open_connections()
    leaked_tasks = running_tasks() - baseline
    FIGURES.add(
        requests=stats.requests, leaked_tasks=leaked_tasks, leaked_connections=leaked_connections
    )
    FIGURES.gauge("load_1000_tasks_peak_server_connections", sampler.peaks["server"])
    FIGURES.gauge("load_1000_tasks_peak_client_sockets", sampler.peaks["client"])
    FIGURES.gauge("load_1000_tasks_client_max_in_flight", stats.max_in_flight)
    FIGURES.note(
        "load_1000_tasks",
        f"{TASKS} calls, {stats.requests} requests, "
        f"max_concurrency {MAX_CONCURRENCY}, {sampler.samples} socket samples",
    )
    assert len(results) == TASKS
    assert set(results.values()) == {offering}
    assert stats.requests == TASKS
    assert stats.retries == 0
    assert sampler.samples > 10
    assert 1 <= sampler.peaks["server"] <= MAX_CONCURRENCY
    assert sampler.peaks["client"] <= MAX_CONCURRENCY
    assert fake.max_in_flight <= MAX_CONCURRENCY
    assert stats.max_in_flight == MAX_CONCURRENCY  # the limiter was reached, and held
    assert idle <= MAX_CONCURRENCY
    assert closed, "connections left open after the client was closed"
    assert leaked_tasks == 0


@pytest.fixture(scope="module")
def big_server() -> Iterator[str]:
    """The fake with 100,000 users, in a subprocess (so its data is not in this process)."""
    command = [
        sys.executable,
        "-m",
        "puhuri_async.testing",
        "serve",
        "--users",
        "100000",
        "--ssh-keys",
        "0",
        "--permissions",
        "0",
        "--projects",
        "3",
        "--resources",
        "6",
        "--orders",
        "12",
        "--offering-users",
        "0",
        "--token",
        TOKEN,
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:"), "the fake did not start"
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.slow
async def test_a_100k_stream_in_bounded_memory(big_server: str) -> None:
    """``iter_users`` over 100,000 users: each arrives once, in order, and memory stays flat.

    The iterator holds one window of pages (``2 * max_concurrency`` pages of 300) at a time;
    keeping every user would take several hundred MB. Only a 64-bit digest of each uuid is kept
    here, to prove uniqueness.
    """
    total = 100_000
    seen: set[int] = set()
    count = 0
    start = rss_bytes()
    at_tenth = peak = start
    async with PuhuriClient(big_server, TOKEN, retry=FAST_RETRY) as client:
        async for user in client.iter_users():
            seen.add(hash(user.uuid))
            count += 1
            if count % 5000 == 0:
                now = rss_bytes()
                peak = max(peak, now)
                if count == total // 10:
                    at_tenth = now
        stats = client.stats
    growth = peak - start
    drift = peak - at_tenth
    FIGURES.gauge("stream_100k_rss_growth_mb", round(growth / MB, 1))
    FIGURES.gauge("stream_100k_rss_growth_after_first_10k_mb", round(drift / MB, 1))
    FIGURES.note("stream_100k", f"{count} users in {stats.requests} requests")
    FIGURES.add(
        requests=stats.requests, items_lost=total - len(seen), items_duplicated=count - len(seen)
    )
    assert count == total
    assert len(seen) == total
    assert growth < 150 * MB, f"RSS grew by {growth / MB:.0f} MB while streaming"
    assert drift < 50 * MB, f"RSS kept growing: {drift / MB:.0f} MB after the first 10,000"
