"""Helpers of the reliability suite: fake time, the oracle, task and socket accounting."""

from __future__ import annotations

import asyncio
import gc
import ssl
import sys
import threading
import time
import warnings
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import httpx
import sniffio
from _clock import FakeTime

from puhuri_async import PuhuriClient, RetryPolicy
from puhuri_async.testing import FakePuhuri

from ._figures import FIGURES

TOKEN = "test-token-rel-5f1c9a"
AUTH = {"Authorization": f"Token {TOKEN}"}

TLS = ssl.create_default_context()
"""One TLS context for the many short-lived clients of the matrices: making a client otherwise
loads the CA bundle each time (tens of milliseconds), which the suite would spend hundreds of
times. The loopback fake is plain HTTP, so it is never used to connect."""

FAST_RETRY = RetryPolicy(max_attempts=10, backoff_base=0.0, backoff_max=0.0, total_budget=None)
"""Retries without backoff waits (tests never sleep for backoff) and enough attempts that no
request runs out of them while faults fire on a fixed cadence."""


def use_fake_time(client: PuhuriClient) -> FakeTime:
    """Put ``client``'s retry waits (backoff and ``Retry-After``) on fake time.

    The client takes no clock of its own (only its transport's request loop does), so the test
    reaches in.
    """
    fake_time = FakeTime()
    exchange = client._transport._exchange
    exchange.sleep = fake_time.sleep
    exchange.clock = fake_time.clock
    return fake_time


def user_key(row: dict[str, Any]) -> Hashable:
    return row["uuid"]


def permission_key(row: dict[str, Any]) -> Hashable:
    return (row["user_uuid"], row["project_uuid"], row["role_name"])


def oracle(base_url: str, path: str) -> list[dict[str, Any]]:
    """The whole list at ``path`` read by plain httpx, following ``next`` (no client code)."""
    rows: list[dict[str, Any]] = []
    with httpx.Client(headers=AUTH, timeout=10.0) as http:
        url: str | None = base_url + path
        params: dict[str, Any] | None = {"page_size": 300}
        while url is not None:
            response = http.get(url, params=params)
            response.raise_for_status()
            rows.extend(response.json())
            url = response.links.get("next", {}).get("url")
            params = None
    return rows


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    """Poll ``condition`` (the loopback server works on its own thread); its last value."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


async def wait_until_async(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    """``wait_until`` without blocking the event loop."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await anyio.sleep(0.005)
    return True


def running_tasks() -> int:
    """Tasks alive in the running event loop (asyncio or trio)."""
    if sniffio.current_async_library() == "trio":
        import trio

        def walk(task: Any) -> int:
            return 1 + sum(
                walk(child) for nursery in task.child_nurseries for child in nursery.child_tasks
            )

        return walk(trio.lowlevel.current_root_task())
    return len(asyncio.all_tasks())


@contextmanager
def no_resource_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Run the block, then the garbage collector; fail if anything it freed was left open.

    Unclosed sockets and transports warn (``ResourceWarning``) only when they are collected,
    so the collector is forced here, with the warnings recorded rather than lost in ``__del__``.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield caught
        for _ in range(3):
            gc.collect()
    leaked = [w for w in caught if issubclass(w.category, ResourceWarning)]
    FIGURES.add(resource_warnings=len(leaked), leak_checks=1)
    assert not leaked, [str(w.message) for w in leaked]


def fault_totals(fake: FakePuhuri) -> tuple[int, int]:
    """(requests matched, faults fired) over every plan installed on ``fake``."""
    counts = fake.fault_counts()
    return sum(matched for _, matched, _ in counts), sum(fired for _, _, fired in counts)


def client_sockets(port: int) -> int | None:
    """Established TCP connections from this process's side to ``port`` on 127.0.0.1, read from
    ``/proc/net/tcp`` (``None`` where there is no such file)."""
    try:
        with open("/proc/net/tcp") as table:
            lines = table.readlines()[1:]
    except OSError:
        return None
    wanted = f"0100007F:{port:04X}"
    # A set of local endpoints: the kernel builds the table in chunks while it changes, so a
    # long table (other processes' connections) may list one socket twice.
    return len(
        {fields[1] for fields in map(str.split, lines) if fields[2] == wanted and fields[3] == "01"}
    )


class Sampler:
    """Samples gauges on a thread while a block runs and keeps each one's maximum."""

    def __init__(self, interval: float = 0.001, **gauges: Callable[[], int | None]) -> None:
        self._gauges = gauges
        self._interval = interval
        self.peaks: dict[str, int] = dict.fromkeys(gauges, 0)
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, gauge in self._gauges.items():
                value = gauge()
                if value is not None:
                    self.peaks[name] = max(self.peaks[name], value)
            self.samples += 1
            self._stop.wait(self._interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


def rss_bytes() -> int:
    """This process's resident set size now (Linux ``/proc``), else its peak so far."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
