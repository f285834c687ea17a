"""Concurrency sweep: the bulk workload at C = 1, 4, 16, 64 requests in flight.

Each level is held fixed (the client's pacer off); ``puhuri-async adaptive`` is the default
client (the pacer choosing, at most 16). Shows where more concurrency stops helping (the
client's CPU, not the network, becomes the limit): it reports the C with the best median and
the knee, the smallest C within 10 % of it, and the adaptive client against the best fixed C.
(The raw httpx baseline at C = 16 is in the ``bulk`` workload.)
"""

from __future__ import annotations

import functools
from typing import Any

from benchmarks.competitors import PUHURI, puhuri
from benchmarks.harness import Context, Figure, Goal, Sample, async_case, ratio, result, run_rounds
from benchmarks.workloads import bulk

NAME = "sweep"

NEAR_BEST = 1.10
ADAPTIVE = f"{PUHURI} adaptive"


def medians(samples: dict[str, list[Sample]], levels: tuple[int, ...]) -> dict[int, float]:
    return {c: Figure(tuple(s.seconds for s in samples[f"{PUHURI} C={c}"])).median for c in levels}


def finding(by_level: dict[int, float]) -> tuple[int, int, str]:
    """The best C, the knee (the smallest C within 10 % of the best) and a sentence."""
    best = min(by_level, key=by_level.__getitem__)
    knee = min(c for c, median in by_level.items() if median <= NEAR_BEST * by_level[best])
    slower = [c for c in by_level if c > best and by_level[c] > NEAR_BEST * by_level[best]]
    text = f"best median at C={best}; from C={knee} on within {NEAR_BEST - 1:.0%} of it"
    if slower:
        text += f"; C={', '.join(map(str, slower))} is slower again"
    return best, knee, text


def run(ctx: Context) -> dict[str, Any]:
    server = ctx.servers.get(bulk.spec(ctx.sizes))
    levels = ctx.sizes.sweep
    cases = {}
    for c in levels:
        cases[f"{PUHURI} C={c}"] = async_case(functools.partial(puhuri.bulk, server, c, fixed=True))
    cases[ADAPTIVE] = async_case(functools.partial(puhuri.bulk, server, 16))
    total = server.counts["users"] + server.counts["permissions"]
    samples = run_rounds(
        cases, repeat=ctx.repeat, warmup=ctx.warmup, expect=dict.fromkeys(cases, total), log=ctx.log
    )
    best, knee, text = finding(medians(samples, levels))
    over_best = ratio(samples[ADAPTIVE], samples[f"{PUHURI} C={best}"])
    return result(
        f"concurrency sweep: {bulk.title(ctx.sizes)}",
        samples,
        server=server,
        ratios={f"{ADAPTIVE} / {PUHURI} C={best} (the best fixed)": over_best},
        goals=[
            Goal(
                f"adaptive concurrency: no slower than the best fixed C ({best}), within 10 %",
                over_best.median,
                NEAR_BEST,
                True,
            )
        ],
        levels=list(levels),
        recommended_concurrency=best,
        knee_concurrency=knee,
        finding=text,
    )
