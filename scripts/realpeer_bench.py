#!/usr/bin/env python3
"""Wall time of the provider's four bulk lists on a real Waldur, by ``max_concurrency``.

    python scripts/realpeer_bench.py --seed ../rp/seed.json [--url http://127.0.0.1:8000/api/]
        [--concurrency adaptive,1,4,16] [--runs 3] [--role owner] [--json out.json]

``adaptive`` is the default client (``max_concurrency`` 16, the pacer of ``_adaptive`` choosing
how many pages are out); a number is that ``max_concurrency`` held fixed (the pacer pinned at
it, as before the pacer existed). After one run that is not counted, each concurrency
``--runs`` times, interleaved (so that a change in the machine's load hits each of them alike)
and in an order that rotates each round (so that each is first in a round equally often):
``list_service_provider_users``, ``_ssh_keys``, ``_projects`` and ``_project_permissions`` of
the seeded provider, one after the other, with today's ``PuhuriClient`` (default page size 300,
a read timeout of 600 s, default retries). Prints the median and every run, per list and in
total, the items and requests, and the machine's load average around each run (the server
shares the machine). With ``--server-pid`` (the gunicorn
master's pid, Linux only) it also prints the CPU seconds the server's workers spent in each run:
on a busy machine that figure is steadier than the wall time. Measured, never asserted: the
figures go into ``docs/real-server.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from puhuri_async import PuhuriClient, Timeout
from puhuri_async._adaptive import learned

LISTS = (
    "list_service_provider_users",
    "list_service_provider_ssh_keys",
    "list_service_provider_projects",
    "list_service_provider_project_permissions",
)


def server_cpu(master: int | None) -> float:
    """CPU seconds (user + system) used so far by the children of process ``master``."""
    if master is None:
        return 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for child in children:
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


ADAPTIVE = "adaptive"


async def one_run(
    url: str, token: str, provider: str, level: str, master: int | None
) -> dict[str, Any]:
    """The four lists once, in turn, on a fresh client: seconds, items and requests of each."""
    result: dict[str, Any] = {"load_before": os.getloadavg()[0]}
    cpu_before = server_cpu(master)
    timeout = Timeout(connect=10.0, read=600.0)
    concurrency = 16 if level == ADAPTIVE else int(level)
    async with PuhuriClient(url, token, max_concurrency=concurrency, timeout=timeout) as client:
        pacer = learned(client._transport, concurrency).pacer
        pacer.adaptive = level == ADAPTIVE
        for name in LISTS:
            sent = client.stats.requests
            start = time.perf_counter()
            items = await getattr(client, name)(provider)
            result[name] = {
                "seconds": round(time.perf_counter() - start, 2),
                "items": len(items),
                "requests": client.stats.requests - sent,
            }
            result[name]["slots_after"] = pacer.slots
        result["retries"] = client.stats.retries
        result["max_in_flight"] = client.stats.max_in_flight
        result["lowest_slots"] = pacer.lowest
    result["total"] = round(sum(result[name]["seconds"] for name in LISTS), 2)
    result["load_after"] = os.getloadavg()[0]
    result["server_cpu"] = round(server_cpu(master) - cpu_before, 2)
    return result


def table(runs: dict[str, list[dict[str, Any]]]) -> str:
    """A Markdown table: the median seconds per list and in total, each run in brackets."""
    lines = [
        "| max_concurrency | "
        + " | ".join(n.removeprefix("list_service_provider_") for n in LISTS)
        + " | total | runs (total s) | server CPU s | load avg |",
        "|---" * (len(LISTS) + 5) + "|",
    ]
    for concurrency, done in runs.items():
        cells = [f"{statistics.median(r[n]['seconds'] for r in done):.1f}" for n in LISTS]
        totals = [r["total"] for r in done]
        loads = [f"{r['load_before']:.1f}-{r['load_after']:.1f}" for r in done]
        cpu = statistics.median(r.get("server_cpu", 0.0) for r in done)
        lines.append(
            f"| {concurrency} | "
            + " | ".join(cells)
            + f" | **{statistics.median(totals):.1f}** | {', '.join(f'{t:.1f}' for t in totals)}"
            + f" | {cpu:.1f} | {', '.join(loads)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000/api/")
    parser.add_argument("--seed", required=True, type=Path)
    parser.add_argument("--role", default="owner", choices=("owner", "staff"))
    parser.add_argument("--concurrency", default=f"{ADAPTIVE},1,4,16")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--server-pid", type=int, default=None, help="gunicorn master's pid")
    args = parser.parse_args(argv)
    seed = json.loads(args.seed.read_text())
    token, provider = seed[f"{args.role}_token"], seed["provider_uuid"]
    levels = [c.strip() for c in args.concurrency.split(",")]
    runs: dict[str, list[dict[str, Any]]] = {c: [] for c in levels}
    # One run first that is not counted (the server's caches, the client's imports), then the
    # order rotates each round: the first client of a round is slower, so each level is first
    # as often as the others.
    asyncio.run(one_run(args.url, token, provider, levels[0], args.server_pid))
    for number in range(args.runs):
        shift = number % len(levels)
        for concurrency in levels[shift:] + levels[:shift]:
            done = asyncio.run(one_run(args.url, token, provider, concurrency, args.server_pid))
            runs[concurrency].append(done)
            print(f"run {number + 1} max_concurrency={concurrency}: {json.dumps(done)}", flush=True)
            if args.json:
                args.json.write_text(json.dumps(runs, indent=1))
    print()
    print(table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
