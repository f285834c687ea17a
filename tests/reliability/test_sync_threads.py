"""The sync facade: 50 threads sharing one ``SyncPuhuriClient``, and early exits from its
iterators, against the fake on a loopback port."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from puhuri_async import SyncPuhuriClient
from puhuri_async.testing import FakeData, FakePuhuri, Fault

from ._figures import FIGURES
from ._support import FAST_RETRY, TLS, TOKEN, no_resource_warnings, wait_until

THREADS = 50


def test_fifty_threads_share_one_sync_client() -> None:
    """Each thread lists, streams, gets and posts (an idempotent POST on its own resource)
    through the one client while GETs fail every 7th time; every result is the fake's data."""
    fake = FakePuhuri(
        FakeData.generate(users=45, resources=60, seed=17),
        token=TOKEN,
        faults=[Fault.error(503, method="GET", every=7)],
    )
    users = [u["uuid"] for u in fake.data.users]
    keys = [k["uuid"] for k in fake.data.ssh_keys]
    offering = str(fake.data.offerings[0]["uuid"])
    resources = [str(r["uuid"]) for r in fake.data.resources[:THREADS]]
    results: dict[int, tuple[list[str], list[str], str, str | None]] = {}
    failures: list[BaseException] = []
    before = set(threading.enumerate())
    with fake.serve() as base_url:
        with SyncPuhuriClient(
            base_url, TOKEN, retry=FAST_RETRY, page_size=10, max_concurrency=8, verify=TLS
        ) as client:
            barrier = threading.Barrier(THREADS)

            def work(number: int) -> None:
                try:
                    barrier.wait()
                    got_users = [u.uuid for u in client.list_users()]
                    got_keys = [k.uuid for k in client.iter_ssh_keys()]
                    got_offering = client.get_marketplace_offering(offering).uuid
                    result = client.marketplace_resource_set_backend_id(
                        resources[number], f"thread-{number}"
                    )
                    results[number] = (got_users, got_keys, got_offering, result.status)
                except BaseException as exc:  # reported below, in the test's thread
                    failures.append(exc)

            threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            stats = client.stats
        closed = wait_until(lambda: fake.open_connections() == 0)
    leaked_threads = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    fired = sum(fired for _, _, fired in fake.fault_counts())
    FIGURES.add(
        faults_injected=fired,
        faults_survived=fired,
        requests=stats.requests,
        retries=stats.retries,
        leaked_connections=fake.open_connections(),
    )
    FIGURES.note(
        "sync_50_threads",
        f"{THREADS} threads, {stats.requests} requests, "
        f"{fired} faults survived, max {stats.max_in_flight} in flight",
    )
    assert failures == []
    assert len(results) == THREADS
    for got_users, got_keys, got_offering, status in results.values():
        assert got_users == users
        assert got_keys == keys
        assert got_offering == offering
        assert status is not None
    with fake.lock:
        for number, uuid in enumerate(resources):
            assert fake.data.get("resources", uuid)["backend_id"] == f"thread-{number}"  # type: ignore[index]
    assert fired > 0
    assert stats.retries == fired
    assert stats.max_in_flight <= 8
    assert closed
    assert leaked_threads == []


@pytest.fixture
def served() -> Iterator[tuple[FakePuhuri, str]]:
    fake = FakePuhuri(
        FakeData.generate(users=200, seed=18), token=TOKEN, path_latency={"users/": 0.01}
    )
    with fake.serve() as base_url:
        yield fake, base_url


@pytest.mark.parametrize("how", ["break", "close", "abandon"])
def test_early_exit_from_a_sync_iterator(served: tuple[FakePuhuri, str], how: str) -> None:
    fake, base_url = served
    before = set(threading.enumerate())
    with no_resource_warnings():
        with SyncPuhuriClient(base_url, TOKEN, page_size=5, max_concurrency=4, verify=TLS) as (
            client
        ):
            first: list[str] = []
            if how == "break":
                for user in client.iter_users():
                    first.append(user.uuid)
                    if len(first) == 7:
                        break
            elif how == "close":
                users = client.iter_users()
                first.append(next(users).uuid)
                users.close()  # type: ignore[attr-defined]
            else:
                users = client.iter_users()
                first.append(next(users).uuid)
                del users  # dropped unfinished: closed when collected
            requests = client.stats.requests
            # The client is whole afterwards.
            assert [u.uuid for u in client.list_users(limit=3)] == [
                u["uuid"] for u in fake.data.users[:3]
            ]
        closed = wait_until(lambda: fake.open_connections() == 0)
    leaked_threads = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    FIGURES.add(leaked_connections=fake.open_connections(), leaked_tasks=len(leaked_threads))
    assert first == [u["uuid"] for u in fake.data.users[: len(first)]]
    assert requests <= 1 + 2 * 4  # one window of pages at most, not the whole list
    assert closed
    assert leaked_threads == []
