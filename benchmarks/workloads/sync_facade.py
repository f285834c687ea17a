"""The sync facade's per-call cost: ``SyncPuhuriClient`` against awaiting ``PuhuriClient``.

The same sequential single GETs as ``small_gets`` (no latency), so the difference is what the
facade adds: the hop to its event-loop thread and back. Goal: at most 1.3x the async call.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.competitors import PUHURI, PUHURI_SYNC, puhuri
from benchmarks.harness import Case, Context, Goal, Sample, Server, ratio, result, run_rounds
from benchmarks.workloads import small_gets

NAME = "sync_facade"


def sync_case(client_class: Any, server: Server, calls: int) -> Case:
    """Time ``calls`` sequential facade calls (client made and warmed up first)."""
    offerings = server.offerings

    def case() -> Sample:
        with client_class(server.url, server.token) as client:
            for uuid in offerings:
                client.get_marketplace_offering(uuid)
            cpu0, t0 = time.process_time(), time.perf_counter()
            for i in range(calls):
                client.get_marketplace_offering(offerings[i % len(offerings)])
            return Sample(time.perf_counter() - t0, time.process_time() - cpu0, calls)

    return case


def run(ctx: Context) -> dict[str, Any]:
    calls = ctx.sizes.sync_calls
    title = f"sync facade: {calls:,} sequential get_marketplace_offering calls, no latency"
    client_class = puhuri.sync_client_class()
    if client_class is None:
        return {
            "title": title,
            "pending": "SyncPuhuriClient is not in this version yet",
            "cases": {},
            "ratios": {},
            "goals": [],
        }
    server = ctx.servers.get(small_gets.spec(ctx.sizes))
    cases = {
        f"{PUHURI} (await)": small_gets.puhuri_case(server, calls, False, ctx.sizes.concurrency),
        PUHURI_SYNC: sync_case(client_class, server, calls),
    }
    samples = run_rounds(
        cases, repeat=ctx.repeat, warmup=ctx.warmup, expect=dict.fromkeys(cases, calls), log=ctx.log
    )
    facade = ratio(samples[PUHURI_SYNC], samples[f"{PUHURI} (await)"])
    return result(
        title,
        samples,
        server=server,
        ratios={f"{PUHURI_SYNC} / {PUHURI} (await)": facade},
        goals=[Goal("sync facade call: at most 1.3x the async call", facade.median, 1.3, True)],
        calls=calls,
    )
