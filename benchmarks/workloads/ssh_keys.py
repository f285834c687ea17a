"""Every SSH key, 20 ms latency: python-waldur-client asks 10 keys per request, one at a time.

Goals: at least 50x faster than python-waldur-client (issue 6); client CPU at most 0.8x raw
httpx, wall at most 0.9x raw httpx and CPU at most 1.3x raw aiohttp + orjson (issue 16).
"""

from __future__ import annotations

from typing import Any

from benchmarks.competitors import GENERATED, LEGACY, PUHURI, RAW, generated, legacy
from benchmarks.harness import Context, Goal, async_case, ratio, result, run_rounds, sync_case
from benchmarks.workloads import bulk
from benchmarks.workloads._stacks import stack_cases, stack_goals, stack_ratios

NAME = "ssh_keys"


def run(ctx: Context) -> dict[str, Any]:
    server = ctx.servers.get(bulk.spec(ctx.sizes))
    concurrency = ctx.sizes.concurrency
    cases = stack_cases(server, ["keys/"], concurrency, "ssh_keys")
    cases[GENERATED] = async_case(lambda: generated.ssh_keys(server))
    cases[LEGACY] = sync_case(lambda: legacy.ssh_keys(server))
    samples = run_rounds(
        cases,
        repeat=ctx.repeat,
        warmup=ctx.warmup,
        expect=dict.fromkeys(cases, server.counts["keys"]),
        log=ctx.log,
    )
    vs_legacy = ratio(samples[LEGACY], samples[PUHURI])
    return result(
        f"{server.counts['keys']:,} SSH keys, {ctx.sizes.latency_ms:g} ms latency",
        samples,
        server=server,
        ratios={
            f"{PUHURI} / {RAW}": ratio(samples[PUHURI], samples[RAW]),
            **stack_ratios(samples),
            f"{LEGACY} / {PUHURI} (speed-up)": vs_legacy,
            f"{GENERATED} / {PUHURI} (speed-up)": ratio(samples[GENERATED], samples[PUHURI]),
        },
        goals=[
            Goal(
                "SSH keys: at least 50x faster than python-waldur-client",
                vs_legacy.median,
                50,
                False,
            ),
            *stack_goals("SSH keys", samples),
        ],
    )
