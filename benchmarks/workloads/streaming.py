"""Memory: streaming every user with ``iter_users`` against collecting them with ``list_users``.

Each measurement runs in a fresh process (``_rss_probe``), so one case's garbage cannot lower
or raise the other's figure. Goal: streaming grows the resident memory by at most 64 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from benchmarks.harness import (
    Case,
    Context,
    Figure,
    Goal,
    Sample,
    Server,
    ServerSpec,
    Sizes,
    result,
    run_rounds,
)

NAME = "streaming"

STREAM = "iter_users (stream)"
COLLECT = "list_users (collect)"


def spec(sizes: Sizes) -> ServerSpec:
    return ServerSpec(users=sizes.stream_users, permissions=0, ssh_keys=0, latency_ms=0, projects=3)


def probe_case(server: Server, case: str, found: list[dict[str, Any]]) -> Case:
    def run_probe() -> Sample:
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.workloads._rss_probe",
                case,
                server.url,
                server.token,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"memory probe {case} failed: {completed.stderr[-2000:]}")
        measured = json.loads(completed.stdout.strip().splitlines()[-1])
        found.append(measured)
        return Sample(measured["seconds"], 0.0, measured["items"])

    return run_probe


def run(ctx: Context) -> dict[str, Any]:
    server = ctx.servers.get(spec(ctx.sizes))
    found: dict[str, list[dict[str, Any]]] = {STREAM: [], COLLECT: []}
    cases = {
        STREAM: probe_case(server, "stream", found[STREAM]),
        COLLECT: probe_case(server, "collect", found[COLLECT]),
    }
    samples = run_rounds(
        cases,
        repeat=ctx.repeat,
        warmup=0,
        expect=dict.fromkeys(cases, server.counts["users"]),
        log=ctx.log,
    )
    memory = {}
    for name, runs in found.items():
        memory[name] = {
            key: Figure(tuple(run[key] for run in runs)).to_json()
            for key in ("growth_mb", "peak_rss_mb", "rss_before_mb")
        }
    growth = Figure(tuple(run["growth_mb"] for run in found[STREAM]))
    collected = Figure(tuple(run["growth_mb"] for run in found[COLLECT]))
    users = server.counts["users"]
    out = result(
        f"{server.counts['users']:,} users: stream (iter_users) vs collect (list_users), "
        "resident memory growth",
        samples,
        server=server,
        primary="growth_mb",
        goals=[
            Goal(
                f"streaming {users:,} users: peak memory growth at most 64 MB",
                growth.median,
                64,
                True,
                "MB",
            ),
            Goal(
                f"collecting {users:,} users: peak memory growth at most 200 MB",
                collected.median,
                200,
                True,
                "MB",
            ),
        ],
        memory=memory,
        exact_peak=all(run["exact_peak"] for runs in found.values() for run in runs),
    )
    for name in out["cases"]:
        out["cases"][name]["growth_mb"] = memory[name]["growth_mb"]
    return out
