"""Measuring: repeated, interleaved timings; figures with median, min and max; paired ratios;
goals; and the fake Puhuri Core started as a real server in a separate process.

Every case is a callable that runs one repetition and returns a ``Sample`` (wall seconds,
client CPU seconds, items it got). Cases of one workload run round-robin, in a rotated order per
round, so a slow minute of the machine hits every competitor alike; ratios are formed per round
(``a[i] / b[i]``), never from medians measured at different times. Before each case the live
objects are frozen (``gc.freeze``): the competitors share this process, and one client's
imports (waldur-api-client brings some 300,000 objects) must not slow another's collections.
"""

from __future__ import annotations

import asyncio
import gc
import os
import platform
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Any, TypeVar

import httpx

__all__ = [
    "Case",
    "async_case",
    "Context",
    "cpu_ratio",
    "Figure",
    "Goal",
    "Sample",
    "Server",
    "ServerPool",
    "ServerSpec",
    "Sizes",
    "machine_info",
    "ratio",
    "result",
    "run_async",
    "run_rounds",
    "sync_case",
    "timed",
]

TOKEN = "test-token"  # the fake server's documented test token, not a secret

T = TypeVar("T")


@dataclass(frozen=True)
class Sample:
    """One repetition: wall-clock seconds, CPU seconds of this process, items received."""

    seconds: float
    cpu: float
    items: int


Case = Callable[[], Sample]


@contextmanager
def timed(result: list[Sample], items: Callable[[], int]) -> Iterator[None]:
    """Time the block (wall and CPU) and append a ``Sample`` with ``items()`` to ``result``."""
    cpu0, t0 = time.process_time(), time.perf_counter()
    yield
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    result.append(Sample(seconds, cpu, items()))


def run_async(main: Callable[[], Awaitable[T]], *, loop: str = "asyncio") -> T:
    """``main()`` in a fresh event loop: asyncio's own, or uvloop's (``loop="uvloop"``)."""
    factory = None
    if loop == "uvloop":
        import uvloop

        factory = uvloop.new_event_loop
    elif loop != "asyncio":
        raise ValueError(f"unknown event loop {loop!r}")

    async def wrapped() -> T:
        return await main()

    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(wrapped())


def async_case(job: Callable[[], Awaitable[int]], *, loop: str = "asyncio") -> Case:
    """A case timing ``await job()`` (client set-up and close included) in a fresh event loop."""

    def case() -> Sample:
        async def main() -> Sample:
            cpu0, t0 = time.process_time(), time.perf_counter()
            items = await job()
            return Sample(time.perf_counter() - t0, time.process_time() - cpu0, items)

        return run_async(main, loop=loop)

    return case


def sync_case(job: Callable[[], int]) -> Case:
    """A case timing ``job()``."""

    def case() -> Sample:
        cpu0, t0 = time.process_time(), time.perf_counter()
        items = job()
        return Sample(time.perf_counter() - t0, time.process_time() - cpu0, items)

    return case


@dataclass(frozen=True)
class Figure:
    """Repeated measurements of one quantity: its median, minimum and maximum."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    def to_json(self) -> dict[str, Any]:
        return {
            "median": self.median,
            "min": self.min,
            "max": self.max,
            "samples": list(self.samples),
        }


def ratio(numerator: list[Sample], denominator: list[Sample]) -> Figure:
    """Per-round ratios of wall times (round ``i`` of one case over round ``i`` of the other)."""
    return Figure(tuple(a.seconds / b.seconds for a, b in zip(numerator, denominator, strict=True)))


def cpu_ratio(numerator: list[Sample], denominator: list[Sample]) -> Figure:
    """Per-round ratios of the client's CPU times (process time, not wall)."""
    return Figure(
        tuple(a.cpu / max(b.cpu, 1e-9) for a, b in zip(numerator, denominator, strict=True))
    )


@dataclass(frozen=True)
class Goal:
    """A goal of the issue, checked on a median: ``value <= limit`` or ``value >= limit``."""

    text: str
    value: float
    limit: float
    at_most: bool
    unit: str = "x"

    @property
    def met(self) -> bool:
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def to_json(self) -> dict[str, Any]:
        return {
            "goal": self.text,
            "value": self.value,
            "limit": self.limit,
            "comparison": "<=" if self.at_most else ">=",
            "unit": self.unit,
            "met": self.met,
        }


SETTLE_SECONDS = 0.3
"""The pause before each case, after the garbage of the one before is collected."""


def settle(seconds: float) -> None:
    """Wait ``seconds`` before a case (spinning, so this core does not idle).

    The server needs a moment after some cases: python-waldur-client opens and closes a
    connection per request (1,000 of them for the SSH keys), and whichever case came next
    paid for the server's clean-up (measured: 15-30 ms of wall time and 5-35 % more client
    CPU; the rotation always put the same case there). With the wait, two cases running the
    same client on the same stack measure the same. Measured and not explained: in runs with
    a wait (idle or spinning) the short cases took more CPU time, all of them alike, than in
    runs without it, so compare ratios within a run, not times across runs.
    """
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def run_rounds(
    cases: Mapping[str, Case],
    *,
    repeat: int,
    warmup: int,
    expect: Mapping[str, int] | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, list[Sample]]:
    """Run every case ``warmup`` times (discarded), then ``repeat`` rounds; the samples by name.

    ``expect`` gives the item count each case must return: a case that got a different number
    measured something else, so the run stops with an error instead of reporting it.
    """
    names = list(cases)
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    for round_number in range(warmup + repeat):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            # What is alive now (the imports of every competitor, earlier results) is frozen, so
            # a garbage collection during the case walks only the objects the case made, as in a
            # program that imports one client, not four.
            gc.collect()
            gc.freeze()
            settle(SETTLE_SECONDS)
            sample = cases[name]()
            wanted = (expect or {}).get(name)
            if wanted is not None and sample.items != wanted:
                raise RuntimeError(f"{name}: got {sample.items} items, expected {wanted}")
            if round_number >= warmup:
                samples[name].append(sample)
        kind = "warm-up" if round_number < warmup else f"round {round_number - warmup + 1}"
        log(
            f"    {kind}: "
            + ", ".join(
                f"{name} {samples[name][-1].seconds:.3f}s" if round_number >= warmup else name
                for name in names
            )
        )
    return samples


def figures(samples: Mapping[str, list[Sample]]) -> dict[str, dict[str, Any]]:
    """The JSON of each case: wall-time and CPU-time figures and the item count."""
    return {
        name: {
            "seconds": Figure(tuple(s.seconds for s in runs)).to_json(),
            "cpu_seconds": Figure(tuple(s.cpu for s in runs)).to_json(),
            "items": runs[0].items,
        }
        for name, runs in samples.items()
    }


def result(
    title: str,
    samples: Mapping[str, list[Sample]],
    *,
    server: Server | None = None,
    ratios: Mapping[str, Figure] | None = None,
    goals: list[Goal] | None = None,
    primary: str = "seconds",
    **extra: Any,
) -> dict[str, Any]:
    """The JSON of one workload: its cases, paired ratios, goals and whatever else it found."""
    out: dict[str, Any] = {
        "title": title,
        "primary": primary,
        "cases": figures(samples),
        "ratios": {name: figure.to_json() for name, figure in (ratios or {}).items()},
        "goals": [goal.to_json() for goal in goals or []],
    }
    if server is not None:
        out["server"] = asdict(server.spec) | {"counts": server.counts}
    out.update(extra)
    return out


# -- sizes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """The data sizes and latency of a run (the issue's, or tiny ones for ``--quick``)."""

    users: int = 20_000
    permissions: int = 20_000
    ssh_keys: int = 10_000
    latency_ms: float = 20.0
    gets: int = 2_000
    stream_users: int = 100_000
    sync_calls: int = 2_000
    concurrency: int = 16
    sweep: tuple[int, ...] = (1, 4, 16, 64)
    latencies_ms: tuple[float, ...] = (0.0, 20.0, 100.0)
    scaling_users: tuple[int, ...] = (10_000, 200_000)

    @classmethod
    def quick(cls) -> Sizes:
        return cls(
            users=600,
            permissions=600,
            ssh_keys=200,
            latency_ms=2.0,
            gets=100,
            stream_users=3_000,
            sync_calls=100,
            sweep=(1, 4, 16, 64),
            latencies_ms=(0.0, 2.0, 10.0),
            scaling_users=(300, 1_500),
        )


# -- the fake server in its own process ------------------------------------------------------


@dataclass(frozen=True)
class ServerSpec:
    """What a fake server holds and how slowly it answers."""

    users: int
    permissions: int
    ssh_keys: int
    latency_ms: float
    projects: int | None = None

    def argv(self) -> list[str]:
        args = [
            sys.executable,
            "-m",
            "puhuri_async.testing",
            "serve",
            "--token",
            TOKEN,
            "--users",
            str(self.users),
            "--permissions",
            str(self.permissions),
            "--ssh-keys",
            str(self.ssh_keys),
            "--latency-ms",
            str(self.latency_ms),
        ]
        if self.projects is not None:
            args += ["--projects", str(self.projects)]
        return args


@dataclass
class Server:
    """A running fake: its API URL, token and the ids the workloads need."""

    spec: ServerSpec
    url: str
    process: subprocess.Popen[bytes] | None
    token: str = TOKEN
    service_provider: str = ""
    offerings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT`` (the generated client wants the origin, not ``/api/``)."""
        return self.url.rstrip("/").removesuffix("/api")

    def discover(self) -> None:
        """Find the service provider, offerings and list sizes through the API itself."""
        headers = {"Authorization": f"Token {self.token}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=60) as http:
            self.service_provider = http.get("marketplace-service-providers/").json()[0]["uuid"]
            resources = http.get("marketplace-resources/", params={"page_size": 300}).json()
            self.offerings = sorted({r["offering_uuid"] for r in resources})
            sp = f"marketplace-service-providers/{self.service_provider}/"
            for name, path in (
                ("users", "users/"),
                ("keys", "keys/"),
                ("permissions", f"{sp}project_permissions/"),
            ):
                head = http.head(path)
                self.counts[name] = int(head.headers["X-Result-Count"])


def start_server(spec: ServerSpec, *, timeout: float = 180.0) -> Server:
    """Start ``python -m puhuri_async.testing serve`` and wait for the URL it prints."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(spec.argv(), stdout=subprocess.PIPE, stderr=errors)
        assert process.stdout is not None
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([process.stdout], [], [], max(0.0, left))
            chunk = os.read(process.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                process.kill()
                process.wait()
                errors.seek(0)
                problem = errors.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"the fake server did not start: {problem}")
            line += chunk
    server = Server(spec, line.decode().strip().splitlines()[0], process)
    server.discover()
    return server


def stop_server(server: Server) -> None:
    if server.process is not None and server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


class ServerPool:
    """Servers started on first request and shared by the workloads that ask for the same spec."""

    def __init__(self, log: Callable[[str], None] = print) -> None:
        self._servers: dict[ServerSpec, Server] = {}
        self._log = log

    def get(self, spec: ServerSpec) -> Server:
        server = self._servers.get(spec)
        if server is None:
            self._log(f"  starting fake Puhuri Core: {' '.join(spec.argv()[3:])}")
            started = time.perf_counter()
            server = self._servers[spec] = start_server(spec)
            self._log(f"  ... {server.url} ready in {time.perf_counter() - started:.1f}s")
        return server

    def close(self) -> None:
        for server in self._servers.values():
            stop_server(server)
        self._servers.clear()


@dataclass
class Context:
    """What a workload gets: the sizes, the repetitions, the servers and a logger."""

    sizes: Sizes
    repeat: int
    warmup: int
    servers: ServerPool
    log: Callable[[str], None] = print


# -- the machine -----------------------------------------------------------------------------


_PACKAGES = (
    "puhuri-async",
    "httpx",
    "httpcore",
    "anyio",
    "attrs",
    "cattrs",
    "orjson",
    "python-waldur-client",
    "waldur-api-client",
    "requests",
    "uvicorn",
    "aiohttp",
    "uvloop",
    "msgspec",
)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> dict[str, Any]:
    """CPU, cores, memory, OS, Python and the versions of the libraries measured."""
    versions: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    try:
        import psutil  # type: ignore[import-untyped,unused-ignore]

        memory_gb: float | None = round(psutil.virtual_memory().total / 2**30, 1)
        physical = psutil.cpu_count(logical=False)
    except ImportError:  # pragma: no cover - psutil is in the bench extra
        memory_gb, physical = None, None
    from puhuri_async import _json

    return {
        "cpu": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "physical_cores": physical,
        "memory_gb": memory_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "json_backend": _json.BACKEND,
        "versions": versions,
    }


def sizes_json(sizes: Sizes) -> dict[str, Any]:
    return asdict(sizes)
