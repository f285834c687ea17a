"""Scaling: the client's CPU per item when collecting a small and a large list of users.

A client whose cost per item grows with the list (the garbage collector walking every model
already made, a quadratic merge) shows it here: ``list_users`` at 10,000 and at 200,000 users,
no latency, CPU time (process time) per item. Goal: the large list costs at most 1.3x per item
what the small one does.
"""

from __future__ import annotations

import functools
from typing import Any

from benchmarks.competitors import PUHURI, puhuri
from benchmarks.harness import (
    Context,
    Figure,
    Goal,
    Server,
    ServerSpec,
    async_case,
    result,
    run_rounds,
)

NAME = "scaling"


async def collect(server: Server) -> int:
    async with puhuri.client(server) as client:
        return len(await client.list_users())


def run(ctx: Context) -> dict[str, Any]:
    sizes = ctx.sizes.scaling_users
    cases = {}
    expect = {}
    for users in sizes:
        server = ctx.servers.get(ServerSpec(users, 0, 0, 0, projects=3))
        name = f"{PUHURI} list_users {users:,}"
        cases[name] = async_case(functools.partial(collect, server))
        expect[name] = server.counts["users"]
    samples = run_rounds(cases, repeat=ctx.repeat, warmup=ctx.warmup, expect=expect, log=ctx.log)
    small, large = (f"{PUHURI} list_users {n:,}" for n in (min(sizes), max(sizes)))
    per_item = {
        name: Figure(tuple(s.cpu / s.items * 1e6 for s in runs)) for name, runs in samples.items()
    }
    growth = Figure(
        tuple(
            (b.cpu / b.items) / (a.cpu / a.items)
            for a, b in zip(samples[small], samples[large], strict=True)
        )
    )
    return result(
        f"CPU per item collecting {min(sizes):,} and {max(sizes):,} users, no latency",
        samples,
        ratios={f"CPU per item, {max(sizes):,} / {min(sizes):,}": growth},
        goals=[
            Goal(
                f"CPU per item at {max(sizes):,} users at most 1.3x that at {min(sizes):,}",
                growth.median,
                1.3,
                True,
            )
        ],
        cpu_per_item_us={name: figure.to_json() for name, figure in per_item.items()},
    )
