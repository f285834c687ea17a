"""Per-call overhead: thousands of small single GETs (``get_marketplace_offering``), no latency.

With no latency to hide behind, the time is the client's own work per request plus the
server's; the raw httpx baseline does the same requests with JSON decoding only. Measured
concurrently (16 in flight, what a busy agent does) and one after the other. The client is made
and its connections opened before the clock starts. Goals: at most 1.15x raw httpx (issue 6);
client CPU per sequential call at most 0.7x raw httpx's (issue 16).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks.competitors import PUHURI, PUHURI_AIOHTTP, RAW, RAW_AIOHTTP, puhuri
from benchmarks.competitors import raw_httpx as raw
from benchmarks.harness import (
    Case,
    Context,
    Goal,
    Sample,
    Server,
    ServerSpec,
    Sizes,
    cpu_ratio,
    ratio,
    result,
    run_rounds,
)

NAME = "small_gets"

Get = Callable[[int], Awaitable[Any]]


def spec(sizes: Sizes) -> ServerSpec:
    """A small server without latency (shared with the sync facade workload)."""
    return ServerSpec(users=20, permissions=20, ssh_keys=20, latency_ms=0)


async def drive(get: Get, calls: int, concurrent: bool, width: int) -> Sample:
    """Warm ``width`` connections up, then time ``calls`` GETs (gathered, or one by one)."""
    await asyncio.gather(*(get(i) for i in range(width)))
    cpu0, t0 = time.process_time(), time.perf_counter()
    if concurrent:
        done = len(await asyncio.gather(*(get(i) for i in range(calls))))
    else:
        done = 0
        for i in range(calls):
            await get(i)
            done += 1
    return Sample(time.perf_counter() - t0, time.process_time() - cpu0, done)


def puhuri_case(
    server: Server, calls: int, concurrent: bool, width: int, stack: str = "default"
) -> Case:
    offerings = server.offerings

    async def main() -> Sample:
        async with puhuri.client(server, width, stack) as client:
            return await drive(
                lambda i: client.get_marketplace_offering(offerings[i % len(offerings)]),
                calls,
                concurrent,
                width,
            )

    return lambda: asyncio.run(main())


def raw_case(server: Server, calls: int, concurrent: bool, width: int) -> Case:
    paths = [f"marketplace-provider-offerings/{uuid}/" for uuid in server.offerings]

    async def main() -> Sample:
        gate = asyncio.Semaphore(width)
        async with raw.client(server, width) as http:
            return await drive(
                lambda i: raw.get_json(http, gate, paths[i % len(paths)]),
                calls,
                concurrent,
                width,
            )

    return lambda: asyncio.run(main())


def raw_aiohttp_case(server: Server, calls: int, concurrent: bool, width: int) -> Case:
    from benchmarks.competitors import raw_aiohttp

    paths = [f"marketplace-provider-offerings/{uuid}/" for uuid in server.offerings]

    async def main() -> Sample:
        gate = asyncio.Semaphore(width)
        async with raw_aiohttp.session(server, width) as http:
            return await drive(
                lambda i: raw_aiohttp.get_json(http, gate, paths[i % len(paths)]),
                calls,
                concurrent,
                width,
            )

    return lambda: asyncio.run(main())


def run(ctx: Context) -> dict[str, Any]:
    server = ctx.servers.get(spec(ctx.sizes))
    calls, width = ctx.sizes.gets, ctx.sizes.concurrency
    cases = {
        f"{PUHURI} concurrent": puhuri_case(server, calls, True, width),
        f"{RAW} concurrent": raw_case(server, calls, True, width),
        f"{PUHURI} sequential": puhuri_case(server, calls, False, width),
        f"{RAW} sequential": raw_case(server, calls, False, width),
    }
    if puhuri.aiohttp_available():
        cases[f"{PUHURI_AIOHTTP} sequential"] = puhuri_case(server, calls, False, width, "aiohttp")
        cases[f"{RAW_AIOHTTP} sequential"] = raw_aiohttp_case(server, calls, False, width)
    samples = run_rounds(
        cases, repeat=ctx.repeat, warmup=ctx.warmup, expect=dict.fromkeys(cases, calls), log=ctx.log
    )
    concurrent = ratio(samples[f"{PUHURI} concurrent"], samples[f"{RAW} concurrent"])
    sequential = ratio(samples[f"{PUHURI} sequential"], samples[f"{RAW} sequential"])
    sequential_cpu = cpu_ratio(samples[f"{PUHURI} sequential"], samples[f"{RAW} sequential"])
    more = {}
    for name in (f"{PUHURI_AIOHTTP} sequential", f"{RAW_AIOHTTP} sequential"):
        if name in samples:
            more[f"{name} / {RAW} sequential"] = ratio(samples[name], samples[f"{RAW} sequential"])
            more[f"{name} / {RAW} sequential, CPU"] = cpu_ratio(
                samples[name], samples[f"{RAW} sequential"]
            )
    return result(
        f"{calls:,} single GETs (get_marketplace_offering), no latency",
        samples,
        server=server,
        ratios={
            f"{PUHURI} / {RAW}, concurrent ({width})": concurrent,
            f"{PUHURI} / {RAW}, sequential": sequential,
            f"{PUHURI} / {RAW}, sequential, CPU": sequential_cpu,
            **more,
        },
        goals=[
            Goal(
                f"small GETs, {width} concurrent: at most 1.15x raw httpx",
                concurrent.median,
                1.15,
                True,
            ),
            Goal("small GETs, sequential: at most 1.15x raw httpx", sequential.median, 1.15, True),
            Goal(
                "one small GET: client CPU per call at most 0.7x raw httpx",
                sequential_cpu.median,
                0.7,
                True,
            ),
        ],
        calls=calls,
    )
