"""``python -m benchmarks``: run the workloads, print a table, write JSON and a chart.

    python -m benchmarks                      # the full run (about 10 minutes on 2 cores)
    python -m benchmarks --quick              # tiny sizes, a smoke run in seconds
    python -m benchmarks --only bulk,sweep    # some workloads
    python -m benchmarks --repeat 7           # more repetitions (at least 5 for real figures)

The fake Puhuri Core runs as a separate process (``python -m puhuri_async.testing serve``) on
127.0.0.1, so its CPU does not share the client's interpreter lock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import chart, report
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(WORKLOADS)
    unknown = [name for name in chosen if name not in WORKLOADS]
    if unknown:
        print(f"unknown workloads {unknown}; choose from {list(WORKLOADS)}", file=sys.stderr)
        return 2
    repeat = args.repeat if args.repeat is not None else (2 if args.quick else 5)
    if repeat < 1 or args.warmup < 0:
        print("--repeat must be >= 1 and --warmup >= 0", file=sys.stderr)
        return 2
    sizes = Sizes.quick() if args.quick else Sizes()
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
