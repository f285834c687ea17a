"""``python -m benchmarks``: run the workloads, print a table, write JSON and a chart.

    python -m benchmarks                      # the full run (about 10 minutes on 2 cores)
    python -m benchmarks --quick              # tiny sizes, a smoke run in seconds
    python -m benchmarks --only bulk,sweep    # some workloads
    python -m benchmarks --repeat 7           # more repetitions (at least 5 for real figures)
    python -m benchmarks --instructions       # callgrind: instructions of one warm bulk fetch
    python -m benchmarks --instructions --only bulk,gets --cases puhuri,raw-httpx,puhuri+gc=off

The fake Puhuri Core runs as a separate process (``python -m puhuri_async.testing serve``) on
127.0.0.1, so its CPU does not share the client's interpreter lock.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import chart, harness, report
from benchmarks.harness import Context, ServerPool, Sizes, machine_info, sizes_json
from benchmarks.workloads import WORKLOADS

RESULTS = Path(__file__).resolve().parent / "results"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument(
        "--only", default="", help=f"comma-separated workloads out of {', '.join(WORKLOADS)}"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="measured repetitions per case (default 5; quick: 2)",
    )
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs per case")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="JSON file (default results/latest.json; quick: results/quick.json)",
    )
    parser.add_argument("--no-chart", action="store_true", help="do not draw the PNG chart")
    counting = parser.add_argument_group("instruction counts (callgrind)")
    counting.add_argument(
        "--instructions",
        action="store_true",
        help="count the instructions of one warm fetch per case instead of timing "
        "(workloads: bulk, ssh_keys, gets; default bulk)",
    )
    counting.add_argument(
        "--cases",
        default="",
        help="comma-separated cases, NAME[+uvloop][+gc=off|high] (default: every stack)",
    )
    counting.add_argument("--n", type=int, default=1, help="fetches of the shorter run")
    counting.add_argument("--k", type=int, default=1, help="extra fetches of the longer run")
    counting.add_argument("--jobs", type=int, default=2, help="callgrind runs at once")
    counting.add_argument(
        "--users", type=int, default=None, help="users on the bulk server (timing too)"
    )
    counting.add_argument(
        "--permissions",
        type=int,
        default=None,
        help="project permissions on the bulk server (timing too)",
    )
    return parser


def count_instructions(args: argparse.Namespace, sizes: Sizes) -> int:
    """The ``--instructions`` mode: counts per workload, printed and written as JSON."""
    from benchmarks import instructions
    from benchmarks.workloads import bulk, small_gets

    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or ["bulk"]
    unknown = [name for name in chosen if name not in ("bulk", "ssh_keys", "gets")]
    if unknown or args.n < 1 or args.k < 1:
        print(
            f"--instructions counts bulk, ssh_keys and gets (not {unknown}); --n, --k >= 1",
            file=sys.stderr,
        )
        return 2
    out = args.out or RESULTS / ("instructions-quick.json" if args.quick else "instructions.json")
    if args.users is not None:
        sizes = dataclasses.replace(sizes, users=args.users)
    if args.permissions is not None:
        sizes = dataclasses.replace(sizes, permissions=args.permissions)
    servers = ServerPool(lambda line: print(line, flush=True))
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "python -m benchmarks " + shlex.join(sys.argv[1:]),
        "sizes": sizes_json(sizes),
        "machine": machine_info(),
        "instructions": {},
    }
    try:
        for workload in chosen:
            spec = small_gets.spec(sizes) if workload == "gets" else bulk.spec(sizes, latency_ms=0)
            server = servers.get(spec)
            cases = [c.strip() for c in args.cases.split(",") if c.strip()]
            cases = cases or instructions.default_cases(workload)
            if workload == "gets":  # a single GET has no list to decode alone
                cases = [case for case in cases if not case.startswith("floor")]
            print(f"-- instructions: {workload}: {', '.join(cases)}", flush=True)
            found = instructions.measure(
                server, cases, workload=workload, n=args.n, k=args.k, jobs=args.jobs
            )
            found["ratios"] = instructions.ratios(found)
            found["goals"] = [goal.to_json() for goal in instructions.goals(found)]
            results["instructions"][workload] = found
            print(instructions.table(found), flush=True)
    finally:
        servers.close()
    report.write_json(results, out)
    print(f"\nwritten: {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(WORKLOADS)
    unknown = [name for name in chosen if name not in WORKLOADS]
    if unknown and not args.instructions:
        print(f"unknown workloads {unknown}; choose from {list(WORKLOADS)}", file=sys.stderr)
        return 2
    repeat = args.repeat if args.repeat is not None else (2 if args.quick else 5)
    if repeat < 1 or args.warmup < 0:
        print("--repeat must be >= 1 and --warmup >= 0", file=sys.stderr)
        return 2
    sizes = Sizes.quick() if args.quick else Sizes()
    if args.quick:  # a smoke run measures nothing: no pause between its cases
        harness.SETTLE_SECONDS = 0.0
    if args.instructions:
        return count_instructions(args, sizes)
    if args.users is not None:  # the bulk lists' sizes for timing too (e.g. a round-trip run)
        sizes = dataclasses.replace(sizes, users=args.users)
    if args.permissions is not None:
        sizes = dataclasses.replace(sizes, permissions=args.permissions)
    out = args.out or RESULTS / ("quick.json" if args.quick else "latest.json")

    def log(line: str) -> None:
        print(line, flush=True)

    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "python -m benchmarks " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "quick": args.quick,
        "repeat": repeat,
        "warmup": args.warmup,
        "sizes": sizes_json(sizes),
        "machine": machine_info(),
        "workloads": {},
    }
    load_at_start = list(os.getloadavg())
    servers = ServerPool(log)
    started = time.perf_counter()
    try:
        for name in chosen:
            log(f"-- {name}")
            context = Context(sizes, repeat, args.warmup, servers, log)
            results["workloads"][name] = WORKLOADS[name].run(context)
    finally:
        servers.close()
    results["duration_seconds"] = round(time.perf_counter() - started, 1)
    # Other work on the machine slows every competitor; the load says how busy it was.
    results["load_average"] = {"start": load_at_start, "end": list(os.getloadavg())}
    results["goals"] = [
        goal for workload in results["workloads"].values() for goal in workload["goals"]
    ]
    report.write_json(results, out)
    print()
    print(report.table(results))
    print(f"\nwritten: {out}")
    if not args.no_chart and chart.draw(results, out.with_suffix(".png")):
        print(f"chart:   {out.with_suffix('.png')}")
    end_load = results["load_average"]["end"][0]
    print(
        f"took {results['duration_seconds']:.0f} s; load average {load_at_start[0]:.1f} at the "
        f"start, {end_load:.1f} at the end"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
