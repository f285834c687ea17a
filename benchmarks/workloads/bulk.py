"""Bulk fetch: every user and every project permission of the provider, fetched concurrently.

What a site agent does at each sync: two big lists at once, behind the latency of a real
network. Goal: at most 1.25x the raw httpx baseline and at least 10x faster than
python-waldur-client.
"""

from __future__ import annotations

from typing import Any

from benchmarks.competitors import GENERATED, LEGACY, PUHURI, RAW, generated, legacy, puhuri
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

NAME = "bulk"


def spec(sizes: Sizes) -> ServerSpec:
    """The server the bulk, SSH-key and sweep workloads share."""
    return ServerSpec(sizes.users, sizes.permissions, sizes.ssh_keys, sizes.latency_ms)


def title(sizes: Sizes) -> str:
    return (
        f"{sizes.users:,} users + {sizes.permissions:,} project permissions, "
        f"concurrently, {sizes.latency_ms:g} ms latency"
    )


def run(ctx: Context) -> dict[str, Any]:
    server = ctx.servers.get(spec(ctx.sizes))
    concurrency = ctx.sizes.concurrency
    paths = raw.bulk_paths(server)
    cases = {
        PUHURI: async_case(lambda: puhuri.bulk(server, concurrency)),
        RAW: async_case(lambda: raw.fetch_lists(server, paths, concurrency)),
        GENERATED: async_case(lambda: generated.bulk(server)),
        LEGACY: sync_case(lambda: legacy.bulk(server)),
    }
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
            f"{LEGACY} / {PUHURI} (speed-up)": vs_legacy,
            f"{GENERATED} / {PUHURI} (speed-up)": vs_generated,
        },
        goals=[
            Goal("bulk: at most 1.25x the raw httpx baseline", over_raw.median, 1.25, True),
            Goal(
                "bulk: at least 10x faster than python-waldur-client", vs_legacy.median, 10, False
            ),
        ],
        concurrency=concurrency,
    )
