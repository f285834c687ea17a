"""Per-call overhead: thousands of small single GETs (``get_marketplace_offering``), no latency.

With no latency to hide behind, the time is the client's own work per request plus the
server's; the raw httpx baseline does the same requests with JSON decoding only. Measured
concurrently (16 in flight, what a busy agent does) and one after the other. The client is made
and its connections opened before the clock starts. Goal: at most 1.15x raw httpx.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks.competitors import PUHURI, RAW, puhuri
from benchmarks.competitors import raw_httpx as raw
from benchmarks.harness import (
    Case,
    Context,
    Goal,
    Sample,
    Server,
    ServerSpec,
    Sizes,
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


def puhuri_case(server: Server, calls: int, concurrent: bool, width: int) -> Case:
    offerings = server.offerings

    async def main() -> Sample:
        async with puhuri.client(server, width) as client:
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


def run(ctx: Context) -> dict[str, Any]:
    server = ctx.servers.get(spec(ctx.sizes))
    calls, width = ctx.sizes.gets, ctx.sizes.concurrency
    cases = {
        f"{PUHURI} concurrent": puhuri_case(server, calls, True, width),
        f"{RAW} concurrent": raw_case(server, calls, True, width),
        f"{PUHURI} sequential": puhuri_case(server, calls, False, width),
        f"{RAW} sequential": raw_case(server, calls, False, width),
    }
    samples = run_rounds(
        cases, repeat=ctx.repeat, warmup=ctx.warmup, expect=dict.fromkeys(cases, calls), log=ctx.log
    )
    concurrent = ratio(samples[f"{PUHURI} concurrent"], samples[f"{RAW} concurrent"])
    sequential = ratio(samples[f"{PUHURI} sequential"], samples[f"{RAW} sequential"])
    return result(
        f"{calls:,} single GETs (get_marketplace_offering), no latency",
        samples,
        server=server,
        ratios={
            f"{PUHURI} / {RAW}, concurrent ({width})": concurrent,
            f"{PUHURI} / {RAW}, sequential": sequential,
        },
        goals=[
            Goal(
                f"small GETs, {width} concurrent: at most 1.15x raw httpx",
                concurrent.median,
                1.15,
                True,
            ),
            Goal("small GETs, sequential: at most 1.15x raw httpx", sequential.median, 1.15, True),
        ],
        calls=calls,
    )
