"""Where the CPU of a bulk fetch goes: ``python -m benchmarks.profile [--cases ...]``.

Each case fetches the bulk workload once to warm up, then once under ``cProfile``; every
function's own time is put in the bucket of the library it belongs to (the HTTP stack, the
event loop, JSON decoding, puhuri-async's rooms...), and the garbage collector's time is
measured apart through ``gc.callbacks``. A deterministic profiler slows Python code more than
C code, so the shares lean towards the pure-Python layers; they say where to look, the
instruction counts (``--instructions``) say what a change is worth.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from benchmarks import _probe
from benchmarks.competitors import raw_httpx as raw
from benchmarks.harness import ServerPool, Sizes, run_async
from benchmarks.workloads import bulk

__all__ = ["bucket", "main", "profile_case"]

_BUCKETS: tuple[tuple[str, str], ...] = (
    ("/httpx/", "httpx"),
    ("/httpcore/", "httpcore"),
    ("/h11/", "h11"),
    ("/anyio/", "anyio"),
    ("/sniffio/", "anyio"),
    ("/aiohttp/", "aiohttp"),
    ("/multidict/", "aiohttp"),
    ("/yarl/", "aiohttp"),
    ("/asyncio/", "asyncio (event loop)"),
    ("selectors.py", "asyncio (event loop)"),
    ("/ssl.py", "asyncio (event loop)"),
    ("puhuri_async/models/", "puhuri-async models"),
    ("puhuri_async/_pagination", "puhuri-async pagination"),
    ("puhuri_async/_page", "puhuri-async pagination"),
    ("puhuri_async/_transports/", "puhuri-async aiohttp transport"),
    ("puhuri_async/", "puhuri-async transport and client"),
    ("/cattrs/", "cattrs"),
    ("/attr/", "attrs"),
    ("benchmarks/", "benchmark script"),
)


def bucket(filename: str, function: str) -> str:
    """The library a profiled function belongs to."""
    if filename == "~":  # a built-in: named by its function
        if "orjson" in function or "loads" in function:
            return "JSON decoding (orjson)"
        if "select" in function or "epoll" in function or "poll" in function:
            return "waiting (epoll)"
        if "recv" in function or "send" in function or "socket" in function:
            return "socket calls"
        return "built-ins (dict, list, str...)"
    for part, name in _BUCKETS:
        if part in filename:
            return name
    return "other Python"


def profile_case(case: str, fetch: Callable[[], Any]) -> dict[str, Any]:
    """Seconds per bucket of one warm fetch, the collector's share, and the total."""
    fetch()  # warm-up
    gc.collect()
    gc.freeze()
    collecting: list[float] = []
    started: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            collecting.append(time.perf_counter() - started.pop())

    gc.callbacks.append(on_gc)
    profiler = cProfile.Profile()
    cpu0 = time.process_time()
    try:
        profiler.enable()
        fetch()
        profiler.disable()
    finally:
        gc.callbacks.remove(on_gc)
    cpu = time.process_time() - cpu0
    stats = pstats.Stats(profiler)
    buckets: dict[str, float] = defaultdict(float)
    raw_stats: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, _, function), (_, _, own, _, _) in raw_stats.items():
        buckets[bucket(filename, function)] += own
    total = sum(buckets.values())
    collector = sum(collecting)
    return {
        "case": case,
        "cpu_seconds": cpu,
        "profiled_seconds": total,
        "gc_seconds": collector,
        "gc_collections": len(collecting),
        "shares": dict(sorted(((k, v / total) for k, v in buckets.items()), key=lambda kv: -kv[1])),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("--cases", default="puhuri,raw-httpx,puhuri-aiohttp,raw-aiohttp")
    parser.add_argument("--users", type=int, default=Sizes().users)
    parser.add_argument("--permissions", type=int, default=Sizes().permissions)
    parser.add_argument("--latency-ms", type=float, default=Sizes().latency_ms)
    args = parser.parse_args(argv)
    sizes = Sizes(users=args.users, permissions=args.permissions, latency_ms=args.latency_ms)
    servers = ServerPool()
    try:
        server = servers.get(bulk.spec(sizes))
        paths = raw.bulk_paths(server)
        for case in [c.strip() for c in args.cases.split(",") if c.strip()]:
            job = _probe.list_fetch(case, server, paths, "bulk")

            def fetch(job: Callable[[], Any] = job, case: str = case) -> Any:
                return job() if case.startswith("floor") else run_async(job)

            found = profile_case(case, fetch)
            print(
                f"== {case}: CPU {found['cpu_seconds']:.2f} s under the profiler; collector "
                f"{found['gc_seconds'] * 1000:.0f} ms in {found['gc_collections']} collections"
            )
            for name, share in found["shares"].items():
                if share >= 0.005:
                    print(f"  {share:6.1%}  {name}")
    finally:
        servers.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
