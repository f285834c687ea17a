"""Bulk fetch: every user and every project permission of the provider, fetched concurrently.

What a site agent does at each sync: two big lists at once, behind the latency of a real
network. Goals: at most 1.25x the raw httpx baseline and at least 10x faster than
python-waldur-client (issue 6); client CPU at most 0.8x raw httpx, wall at most 0.9x raw httpx
and CPU at most 1.3x raw aiohttp + orjson (issue 16; see ``_stacks``).
"""

from __future__ import annotations

from typing import Any

from benchmarks.competitors import GENERATED, LEGACY, PUHURI, RAW, generated, legacy
from benchmarks.competitors import raw_httpx as raw
from benchmarks.harness import (
    Context,
    Goal,
    ServerSpec,
    Sizes,
    async_case,
    ratio,
    result,
    run_rounds,
    sync_case,
)
from benchmarks.workloads._stacks import stack_cases, stack_goals, stack_ratios

NAME = "bulk"


def spec(sizes: Sizes, latency_ms: float | None = None) -> ServerSpec:
    """The server the bulk, SSH-key and sweep workloads share (and the latency sweep, at
    other latencies)."""
    latency = sizes.latency_ms if latency_ms is None else latency_ms
    return ServerSpec(sizes.users, sizes.permissions, sizes.ssh_keys, latency)


def title(sizes: Sizes) -> str:
    return (
        f"{sizes.users:,} users + {sizes.permissions:,} project permissions, "
        f"concurrently, {sizes.latency_ms:g} ms latency"
    )


def run(ctx: Context) -> dict[str, Any]:
    server = ctx.servers.get(spec(ctx.sizes))
    concurrency = ctx.sizes.concurrency
    paths = raw.bulk_paths(server)
    cases = stack_cases(server, paths, concurrency, "bulk")
    cases[GENERATED] = async_case(lambda: generated.bulk(server))
    cases[LEGACY] = sync_case(lambda: legacy.bulk(server))
    total = server.counts["users"] + server.counts["permissions"]
    samples = run_rounds(
        cases, repeat=ctx.repeat, warmup=ctx.warmup, expect=dict.fromkeys(cases, total), log=ctx.log
    )
    over_raw = ratio(samples[PUHURI], samples[RAW])
    vs_legacy = ratio(samples[LEGACY], samples[PUHURI])
    vs_generated = ratio(samples[GENERATED], samples[PUHURI])
    return result(
        title(ctx.sizes),
        samples,
        server=server,
        ratios={
            f"{PUHURI} / {RAW}": over_raw,
            **stack_ratios(samples),
            f"{LEGACY} / {PUHURI} (speed-up)": vs_legacy,
            f"{GENERATED} / {PUHURI} (speed-up)": vs_generated,
        },
        goals=[
            Goal("bulk: at most 1.25x the raw httpx baseline", over_raw.median, 1.25, True),
            Goal(
                "bulk: at least 10x faster than python-waldur-client", vs_legacy.median, 10, False
            ),
            *stack_goals("bulk", samples),
        ],
        concurrency=concurrency,
    )
