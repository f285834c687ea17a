"""Latency sweep: the bulk workload at 0, 20 and 100 ms against the network floor.

The network floor is the latency times the round trips a client cannot avoid: with the page
size and concurrency of the run, ``ceil(pages / C)`` when the size of every list is known in
advance, one more when page 1 must come back first to tell the count (what every client here
does). At 100 ms the latency dominates and the goal is at most 1.05x the floor of a list whose
size the client can foresee; at 0 ms nothing hides the client's own work and the goal is at
most 1.0x raw httpx. Client CPU (process time) is kept next to wall time.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from benchmarks.competitors import PUHURI, RAW, RAW_AIOHTTP, puhuri
from benchmarks.competitors import raw_httpx as raw
from benchmarks.harness import (
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
            f"{RAW} {ms}": async_case(
                functools.partial(raw.fetch_lists, server, paths, concurrency)
            ),
        }
        if puhuri.aiohttp_available():
            from benchmarks.competitors import raw_aiohttp

            cases[f"{RAW_AIOHTTP} {ms}"] = async_case(
                functools.partial(raw_aiohttp.fetch_lists, server, paths, concurrency)
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
        levels[ms] = level
        top = max(ctx.sizes.latencies_ms)
        if latency == top and floor > 0:
            goals.append(
                Goal(
                    f"{ms} latency: at most 1.05x the network floor ({known} round trips)",
                    Figure(tuple(s.seconds / floor for s in mine)).median,
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
