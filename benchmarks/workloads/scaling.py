"""Scaling: the client's CPU per item when collecting a small and a large list of users.

A client whose cost per item grows with the list (the garbage collector walking every model
already made, a quadratic merge) shows it here: ``list_users`` at 10,000 and at 200,000 users,
no latency, CPU time (process time) per item. Goal: the large list costs at most 1.3x per item
what the small one does. The ``no freeze`` cases turn ``_gc_pause.keep_collected`` off (the
items made so far are walked by every full collection again), for its before/after.
"""

from __future__ import annotations

import functools
from typing import Any

from benchmarks.competitors import PUHURI, puhuri
from benchmarks.harness import (
    Context,
    Figure,
    Goal,
    Sample,
    Server,
    ServerSpec,
    async_case,
    result,
    run_rounds,
)

NAME = "scaling"


NO_FREEZE = "no freeze"


async def collect(server: Server, freeze: bool = True) -> int:
    from puhuri_async import _gc_pause

    saved, _gc_pause.FREEZE = _gc_pause.FREEZE, freeze
    try:
        async with puhuri.client(server) as client:
            return len(await client.list_users())
    finally:
        _gc_pause.FREEZE = saved


def run(ctx: Context) -> dict[str, Any]:
    sizes = ctx.sizes.scaling_users
    cases = {}
    expect = {}
    for users in sizes:
        server = ctx.servers.get(ServerSpec(users, 0, 0, 0, projects=3))
        name = f"{PUHURI} list_users {users:,}"
        cases[name] = async_case(functools.partial(collect, server))
        cases[f"{name}, {NO_FREEZE}"] = async_case(functools.partial(collect, server, False))
        expect[name] = expect[f"{name}, {NO_FREEZE}"] = server.counts["users"]
    samples = run_rounds(cases, repeat=ctx.repeat, warmup=ctx.warmup, expect=expect, log=ctx.log)
    small, large = (f"{PUHURI} list_users {n:,}" for n in (min(sizes), max(sizes)))
    per_item = {
        name: Figure(tuple(s.cpu / s.items * 1e6 for s in runs)) for name, runs in samples.items()
    }
    growth = _growth(samples[small], samples[large])
    before = _growth(samples[f"{small}, {NO_FREEZE}"], samples[f"{large}, {NO_FREEZE}"])
    return result(
        f"CPU per item collecting {min(sizes):,} and {max(sizes):,} users, no latency",
        samples,
        ratios={
            f"CPU per item, {max(sizes):,} / {min(sizes):,}": growth,
            f"CPU per item, {max(sizes):,} / {min(sizes):,}, {NO_FREEZE}": before,
        },
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


def _growth(small: list[Sample], large: list[Sample]) -> Figure:
    """The CPU per item of each large round over that of the small round beside it."""
    return Figure(
        tuple((b.cpu / b.items) / (a.cpu / a.items) for a, b in zip(small, large, strict=True))
    )
