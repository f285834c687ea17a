"""``python -m benchmarks --instructions``: the instructions of one warm fetch, by callgrind.

Wall and CPU times on a shared 2-core machine move by 10-20 % from minute to minute; the
number of instructions a fetch executes barely moves, so it is the figure to compare levers
by. Each case runs twice under ``valgrind --tool=callgrind``, in one interpreter each time:
``n`` fetches, then ``n + k`` (``_probe``); the difference over ``k`` is one warm fetch, with
start-up, imports and first-use costs cancelled out. Cases run ``jobs`` at a time: the counts
do not depend on how busy the machine is.

A case is ``NAME[+uvloop][+gc=off|high]``, NAME one of ``_probe.CASES``; ``+uvloop`` runs the
fetch on uvloop's event loop, ``+gc=...`` changes the collector during the fetch.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks import _probe
from benchmarks.competitors import puhuri
from benchmarks.harness import Goal, Server

__all__ = ["default_cases", "goals", "measure", "parse_case", "table"]

_COLLECTED = re.compile(rb"Collected\s*:\s*(\d+)")


def default_cases(workload: str) -> list[str]:
    """Every stack on the workload, and the decode floor of list workloads."""
    cases = ["puhuri", "puhuri-httpx", "raw-httpx"]
    if puhuri.aiohttp_available():
        cases[2:2] = ["puhuri-aiohttp"]
        cases.append("raw-aiohttp")
    if workload != "gets":
        cases.append("floor")
    return cases


def parse_case(spec: str) -> tuple[str, list[str]]:
    """``NAME[+uvloop][+gc=POLICY]`` as the probe's case name and options."""
    name, *flags = spec.split("+")
    if name not in _probe.CASES:
        raise ValueError(f"unknown case {name!r}; choose from {', '.join(_probe.CASES)}")
    options: list[str] = []
    for flag in flags:
        if flag == "uvloop":
            options += ["--loop", "uvloop"]
        elif flag.startswith("gc=") and flag[3:] in _probe.GC_POLICIES:
            options += ["--gc", flag[3:]]
        else:
            raise ValueError(f"unknown option {flag!r} in case {spec!r}")
    return name, options


def _server_json(server: Server) -> str:
    return json.dumps(
        {
            "url": server.url,
            "service_provider": server.service_provider,
            "offerings": server.offerings,
            "counts": server.counts,
        }
    )


def _count(spec: str, fetches: int, server: Server, workload: str) -> tuple[int, dict[str, Any]]:
    """Instructions of one probe run of ``fetches`` fetches under callgrind, and its report."""
    name, options = parse_case(spec)
    with tempfile.TemporaryDirectory(prefix="puhuri-callgrind-") as where:
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={Path(where) / 'out'}",
            sys.executable,
            "-m",
            "benchmarks._probe",
            name,
            str(fetches),
            _server_json(server),
            "--workload",
            workload,
            *options,
        ]
        completed = subprocess.run(command, capture_output=True, check=False, timeout=7200)
    if completed.returncode != 0:
        raise RuntimeError(f"{spec}: the probe failed: {completed.stderr[-3000:].decode()}")
    found = _COLLECTED.findall(completed.stderr)
    if not found:
        raise RuntimeError(f"{spec}: callgrind reported no count: {completed.stderr[-2000:]!r}")
    report = json.loads(completed.stdout.decode().strip().splitlines()[-1])
    return int(found[-1]), report


def measure(
    server: Server,
    cases: list[str],
    *,
    workload: str,
    n: int = 1,
    k: int = 1,
    jobs: int = 2,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Instructions of one warm fetch per case (``(I(n + k) - I(n)) / k``)."""
    if shutil.which("valgrind") is None:
        raise RuntimeError("valgrind is not installed (apt-get install valgrind)")
    runs = [(spec, fetches) for spec in cases for fetches in (n, n + k)]

    def one(run: tuple[str, int]) -> tuple[str, int, int, dict[str, Any]]:
        spec, fetches = run
        count, report = _count(spec, fetches, server, workload)
        log(f"    {spec}: {fetches} fetch(es): {count / 1e6:,.0f} M instructions")
        return spec, fetches, count, report

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        done = list(pool.map(one, runs))
    out: dict[str, Any] = {}
    for spec in cases:
        low = next(r for r in done if r[0] == spec and r[1] == n)
        high = next(r for r in done if r[0] == spec and r[1] == n + k)
        items = {fetch["items"] for fetch in high[3]["fetches"]}
        out[spec] = {
            "instructions": (high[2] - low[2]) / k,
            "totals": {str(n): low[2], str(n + k): high[2]},
            "items": sorted(items),
        }
    wanted = {tuple(case["items"]) for case in out.values()}
    if len(wanted) != 1:
        raise RuntimeError(f"the cases fetched different numbers of items: {out}")
    return {"workload": workload, "n": n, "k": k, "cases": out}


def ratios(found: dict[str, Any]) -> dict[str, float]:
    """Each case's instructions over raw httpx's and raw aiohttp's (those present)."""
    cases = found["cases"]
    out: dict[str, float] = {}
    for base in ("raw-httpx", "raw-aiohttp", "floor"):
        if base not in cases:
            continue
        for spec, case in cases.items():
            if spec != base:
                out[f"{spec} / {base}"] = case["instructions"] / cases[base]["instructions"]
    return out


def goals(found: dict[str, Any]) -> list[Goal]:
    """Issue 16's CPU goals, on instructions (the stable stand-in for CPU time)."""
    cases = found["cases"]
    label = {"bulk": "bulk", "ssh_keys": "SSH keys", "gets": "one small GET"}[found["workload"]]
    out = []
    if "puhuri" in cases and "raw-httpx" in cases:
        limit = 0.7 if found["workload"] == "gets" else 0.8
        value = cases["puhuri"]["instructions"] / cases["raw-httpx"]["instructions"]
        out.append(Goal(f"{label}: instructions at most {limit}x raw httpx", value, limit, True))
    if "puhuri" in cases and "raw-aiohttp" in cases and found["workload"] != "gets":
        value = cases["puhuri"]["instructions"] / cases["raw-aiohttp"]["instructions"]
        out.append(
            Goal(f"{label}: instructions at most 1.3x raw aiohttp + orjson", value, 1.3, True)
        )
    return out


def table(found: dict[str, Any]) -> str:
    """The counts and ratios as text."""
    per = _probe.GETS if found["workload"] == "gets" else 1
    unit = "per GET" if per > 1 else "per fetch"
    lines = [
        f"== instructions: {found['workload']} (one warm fetch, n={found['n']} k={found['k']})"
    ]
    width = max(len(spec) for spec in found["cases"])
    for spec, case in found["cases"].items():
        lines.append(f"  {spec:<{width}}  {case['instructions'] / per / 1e6:>10,.2f} M {unit}")
    for name, value in ratios(found).items():
        lines.append(f"  {name}: {value:.2f}x")
    for goal in goals(found):
        mark = "met" if goal.met else "NOT met"
        lines.append(f"  [{mark}] {goal.text}: {goal.value:.2f}x")
    return "\n".join(lines)
