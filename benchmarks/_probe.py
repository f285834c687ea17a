"""One competitor fetching one workload N times in one interpreter: what ``--instructions`` runs
under callgrind (``python -m benchmarks._probe CASE N SERVER_JSON [options]``).

Each fetch is followed by dropping its result and a full collection, so every fetch costs the
same whatever came before it: the instructions of N + k fetches minus those of N are k warm
fetches, start-up and imports cancelled out. Prints one JSON line (items per fetch, CPU
seconds of each fetch) so the runner can check that the competitor fetched what it should.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from benchmarks.competitors import decode_floor, puhuri
from benchmarks.competitors import raw_httpx as raw
from benchmarks.harness import Server, ServerSpec, run_async

__all__ = ["CASES", "GC_POLICIES", "WORKLOADS", "main"]

CASES = (
    "puhuri",
    "puhuri-httpx",
    "puhuri-aiohttp",
    "raw-httpx",
    "raw-aiohttp",
    "floor",
    "floor-msgspec",
)
WORKLOADS = ("bulk", "ssh_keys", "gets")
GC_POLICIES = ("default", "off", "high")
GETS = 200
"""Single GETs in one fetch of the ``gets`` workload."""


def server_from(data: dict[str, Any]) -> Server:
    server = Server(ServerSpec(0, 0, 0, 0), data["url"], None)
    server.service_provider = data["service_provider"]
    server.offerings = list(data["offerings"])
    server.counts = dict(data["counts"])
    return server


@contextlib.contextmanager
def gc_policy(name: str) -> Iterator[None]:
    """The collector during one fetch: as configured (``default``), off (one collection after
    the fetch instead) or with a first-generation threshold 100x higher (``high``)."""
    if name == "default":
        yield
        return
    thresholds = gc.get_threshold()
    if name == "off":
        gc.disable()
    elif name == "high":
        gc.set_threshold(thresholds[0] * 100, thresholds[1], thresholds[2])
    else:
        raise ValueError(f"unknown gc policy {name!r}")
    try:
        yield
    finally:
        gc.enable()
        gc.set_threshold(*thresholds)


def list_fetch(case: str, server: Server, paths: list[str], job: str) -> Callable[[], Any]:
    """An ``async`` fetch of ``paths`` (or a plain function for the decode floors)."""
    concurrency = 16
    if case.startswith("floor"):
        pages = decode_floor.bodies(server, paths)
        if case == "floor":
            return lambda: decode_floor.decode(pages)
        return lambda: decode_floor.msgspec_decode(pages)
    if case.startswith("puhuri"):
        stack = {"puhuri": "default", "puhuri-httpx": "httpx", "puhuri-aiohttp": "aiohttp"}[case]
        fetch = getattr(puhuri, job)
        return lambda: fetch(server, concurrency, stack)
    if case == "raw-httpx":
        return lambda: raw.fetch_lists(server, paths, concurrency)
    if case == "raw-aiohttp":
        from benchmarks.competitors import raw_aiohttp

        return lambda: raw_aiohttp.fetch_lists(server, paths, concurrency)
    raise ValueError(f"unknown case {case!r}")


async def gets_session(case: str, server: Server, n: int, policy: str) -> list[dict[str, Any]]:
    """``n`` fetches of ``GETS`` sequential single GETs over one client opened before them."""
    paths = [f"marketplace-provider-offerings/{uuid}/" for uuid in server.offerings]
    out: list[dict[str, Any]] = []
    if case.startswith("puhuri"):
        stack = {"puhuri": "default", "puhuri-httpx": "httpx", "puhuri-aiohttp": "aiohttp"}[case]
        async with puhuri.client(server, 16, stack) as client:
            for _ in range(n):
                out.append(
                    await _timed(
                        lambda: _each(client.get_marketplace_offering, server.offerings), policy
                    )
                )
        return out
    gate = asyncio.Semaphore(16)
    if case == "raw-httpx":
        async with raw.client(server, 16) as http:
            for _ in range(n):
                out.append(
                    await _timed(
                        lambda: _each(lambda p: raw.get_json(http, gate, p), paths), policy
                    )
                )
        return out
    if case == "raw-aiohttp":
        from benchmarks.competitors import raw_aiohttp

        async with raw_aiohttp.session(server, 16) as session:
            for _ in range(n):
                out.append(
                    await _timed(
                        lambda: _each(lambda p: raw_aiohttp.get_json(session, gate, p), paths),
                        policy,
                    )
                )
        return out
    raise ValueError(f"the gets workload has no case {case!r}")


async def _each(get: Callable[[str], Awaitable[Any]], keys: list[str]) -> int:
    for i in range(GETS):
        await get(keys[i % len(keys)])
    return GETS


async def _timed(job: Callable[[], Awaitable[int]], policy: str) -> dict[str, Any]:
    cpu0 = time.process_time()
    with gc_policy(policy):
        items = await job()
    cpu = time.process_time() - cpu0
    gc.collect()
    return {"items": items, "cpu": cpu}


def run(case: str, workload: str, n: int, server: Server, loop: str, policy: str) -> Any:
    if workload == "gets":
        return run_async(lambda: gets_session(case, server, n, policy), loop=loop)
    paths = raw.bulk_paths(server) if workload == "bulk" else ["keys/"]
    fetch = list_fetch(case, server, paths, workload)
    out = []
    for _ in range(n):
        cpu0 = time.process_time()
        with gc_policy(policy):
            items = fetch() if case.startswith("floor") else run_async(fetch, loop=loop)
        cpu = time.process_time() - cpu0
        out.append({"items": items, "cpu": cpu})
        del items
        gc.collect()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._probe")
    parser.add_argument("case", choices=CASES)
    parser.add_argument("n", type=int)
    parser.add_argument("server", help="JSON: url, service_provider, offerings, counts")
    parser.add_argument("--workload", choices=WORKLOADS, default="bulk")
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    parser.add_argument("--gc", choices=GC_POLICIES, default="default")
    args = parser.parse_args(argv)
    server = server_from(json.loads(args.server))
    # Under callgrind the client runs some 50 times slower: no timeout may cut a fetch short.
    raw.TIMEOUT = 3600.0
    puhuri.TIMEOUT = 3600.0
    if args.case.startswith("floor"):  # the bodies are fetched before the first measured fetch
        paths = raw.bulk_paths(server) if args.workload == "bulk" else ["keys/"]
        decode_floor.bodies(server, paths)
    gc.collect()
    gc.freeze()  # the imports are not what a fetch costs
    fetches = run(args.case, args.workload, args.n, server, args.loop, args.gc)
    print(json.dumps({"case": args.case, "workload": args.workload, "fetches": fetches}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
