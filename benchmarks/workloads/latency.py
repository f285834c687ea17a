"""Latency sweep: the bulk workload at 0, 20 and 100 ms against the network floor.

The network floor is the latency times the round trips a client cannot avoid: with the page
size and concurrency of the run, ``ceil(pages / C)`` when the size of every list is known in
advance, one more when page 1 must come back first to tell the count. At 100 ms the latency
dominates and the goal is at most 1.05x the floor of a list whose size the client can foresee:
``puhuri-async, read again`` is the second read of the lists on one client, which remembers
their counts and asks for every page at once (the first read is not timed). ``puhuri-async,
fixed C`` holds the concurrency at C (the client's pacer off), for the pacer's cost. At 0 ms
nothing hides the client's own work and the goal is at most 1.0x raw httpx. Client CPU
(process time) is kept next to wall time.

The latency alone is not all a round trip costs: the server needs time to answer each page,
and on one event loop it answers the pages of a round one after another. ``measured floor``
shows that part: raw aiohttp asking for every page at once (numbers known beforehand, no count
first), bodies read and never decoded, the least any client can do with the same server.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from benchmarks.competitors import PUHURI, RAW, RAW_AIOHTTP, puhuri
from benchmarks.competitors import raw_httpx as raw
from benchmarks.harness import (
    Case,
    Context,
    Figure,
    Goal,
    Sample,
    async_case,
    cpu_ratio,
    ratio,
    run_rounds,
)
from benchmarks.harness import result as workload_result
from benchmarks.workloads import bulk

NAME = "latency"
AGAIN = f"{PUHURI}, read again"
FIXED = f"{PUHURI}, fixed C"
MEASURED_FLOOR = "measured floor"


def read_again_case(server: Any, concurrency: int) -> Case:
    """The second read of the bulk lists on one client (only that read timed)."""

    def case() -> Sample:
        import asyncio

        items, seconds, cpu = asyncio.run(puhuri.bulk_read_again(server, concurrency))
        return Sample(seconds, cpu, items)

    return case


def round_trips(counts: list[int], page_size: int, concurrency: int) -> tuple[int, int]:
    """The round trips of fetching lists of ``counts`` items: (size known, count first)."""
    pages = [max(1, math.ceil(count / page_size)) for count in counts]
    known = math.ceil(sum(pages) / concurrency)
    rest = sum(p - 1 for p in pages)
    first = math.ceil(len(pages) / concurrency) + math.ceil(rest / concurrency)
    return known, first


def run(ctx: Context) -> dict[str, Any]:
    concurrency = ctx.sizes.concurrency
    levels: dict[str, Any] = {}
    all_samples: dict[str, list[Sample]] = {}
    ratios: dict[str, Figure] = {}
    goals: list[Goal] = []
    for latency in ctx.sizes.latencies_ms:
        server = ctx.servers.get(bulk.spec(ctx.sizes, latency))
        paths = raw.bulk_paths(server)
        ms = f"{latency:g} ms"
        cases = {
            f"{PUHURI} {ms}": async_case(functools.partial(puhuri.bulk, server, concurrency)),
            f"{FIXED} {ms}": async_case(
                functools.partial(puhuri.bulk, server, concurrency, fixed=True)
            ),
            f"{AGAIN} {ms}": read_again_case(server, concurrency),
            f"{RAW} {ms}": async_case(
                functools.partial(raw.fetch_lists, server, paths, concurrency)
            ),
        }
        if puhuri.aiohttp_available():
            from benchmarks.competitors import raw_aiohttp

            cases[f"{RAW_AIOHTTP} {ms}"] = async_case(
                functools.partial(raw_aiohttp.fetch_lists, server, paths, concurrency)
            )
            cases[f"{MEASURED_FLOOR} {ms}"] = async_case(
                functools.partial(raw_aiohttp.fetch_known_pages, server, paths, concurrency)
            )
        total = server.counts["users"] + server.counts["permissions"]
        ctx.log(f"  latency {ms}")
        samples = run_rounds(
            cases,
            repeat=ctx.repeat,
            warmup=ctx.warmup,
            expect=dict.fromkeys(cases, total),
            log=ctx.log,
        )
        all_samples.update(samples)
        known, first = round_trips(
            [server.counts["users"], server.counts["permissions"]], raw.PAGE_SIZE, concurrency
        )
        floor = known * latency / 1000
        mine = samples[f"{PUHURI} {ms}"]
        over_raw = ratio(mine, samples[f"{RAW} {ms}"])
        ratios[f"{PUHURI} / {RAW}, {ms}"] = over_raw
        ratios[f"{PUHURI} / {RAW}, {ms}, CPU"] = cpu_ratio(mine, samples[f"{RAW} {ms}"])
        ratios[f"{PUHURI} / {FIXED}, {ms}"] = ratio(mine, samples[f"{FIXED} {ms}"])
        again = samples[f"{AGAIN} {ms}"]
        ratios[f"{AGAIN} / {PUHURI}, {ms}"] = ratio(again, mine)
        level: dict[str, Any] = {
            "latency_ms": latency,
            "round_trips_known_size": known,
            "round_trips_count_first": first,
            "network_floor_seconds": floor,
        }
        if floor > 0:
            over_floor = Figure(tuple(s.seconds / floor for s in mine))
            ratios[f"{PUHURI} / network floor, {ms}"] = over_floor
            level["over_floor"] = over_floor.to_json()
            again_over = Figure(tuple(s.seconds / floor for s in again))
            ratios[f"{AGAIN} / network floor, {ms}"] = again_over
            level["read_again_over_floor"] = again_over.to_json()
            measured = samples.get(f"{MEASURED_FLOOR} {ms}")
            if measured:
                over_measured = ratio(again, measured)
                ratios[f"{AGAIN} / {MEASURED_FLOOR}, {ms}"] = over_measured
                level["read_again_over_measured_floor"] = over_measured.to_json()
                floor_over = Figure(tuple(s.seconds / floor for s in measured))
                ratios[f"{MEASURED_FLOOR} / network floor, {ms}"] = floor_over
        levels[ms] = level
        top = max(ctx.sizes.latencies_ms)
        if latency == top and floor > 0:
            goals.append(
                Goal(
                    f"{ms} latency, sizes foreseen (read again): at most 1.05x the network "
                    f"floor ({known} round trips)",
                    Figure(tuple(s.seconds / floor for s in again)).median,
                    1.05,
                    True,
                )
            )
        if latency == 0:
            goals.append(Goal("0 ms latency: at most 1.0x raw httpx", over_raw.median, 1.0, True))
    shown = ", ".join(f"{ms}" for ms in levels)
    return workload_result(
        f"latency sweep ({shown}): {ctx.sizes.users:,} users + "
        f"{ctx.sizes.permissions:,} permissions against the network floor",
        all_samples,
        ratios=ratios,
        goals=goals,
        levels=levels,
        concurrency=concurrency,
    )
