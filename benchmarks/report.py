"""The results: a table on the terminal, ``results/latest.json`` and a chart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

__all__ = ["NOT_MEASURED", "goal_lines", "instruction_lines", "markdown", "table", "write_json"]


def _seconds(value: float) -> str:
    return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"


def _case_lines(workload: dict[str, Any]) -> list[str]:
    lines = []
    calls = workload.get("calls")
    primary = workload.get("primary", "seconds")
    width = max([len(name) for name in workload["cases"]] + [4])
    if primary == "growth_mb":
        lines.append(f"  {'case':<{width}}  {'RSS growth (median, min-max)':>30}  {'time':>9}")
    elif calls:
        lines.append(f"  {'case':<{width}}  {'per call (median, min-max)':>30}  {'CPU/call':>9}")
    else:
        lines.append(f"  {'case':<{width}}  {'wall time (median, min-max)':>30}  {'CPU':>9}")
    for name, case in workload["cases"].items():
        wall, cpu = case["seconds"], case.get("cpu_seconds")
        if primary == "growth_mb":
            growth = case["growth_mb"]
            shown = f"{growth['median']:.1f} MB ({growth['min']:.1f}-{growth['max']:.1f})"
            extra = _seconds(wall["median"])
        elif calls:
            us = [wall[k] / calls * 1e6 for k in ("median", "min", "max")]
            shown = f"{us[0]:.0f} us ({us[1]:.0f}-{us[2]:.0f})"
            extra = f"{cpu['median'] / calls * 1e6:.0f} us" if cpu else ""
        else:
            shown = f"{_seconds(wall['median'])} ({_seconds(wall['min'])}-{_seconds(wall['max'])})"
            extra = _seconds(cpu["median"]) if cpu else ""
        lines.append(f"  {name:<{width}}  {shown:>30}  {extra:>9}")
    for name, figure in workload["ratios"].items():
        lines.append(f"  {name}: {figure['median']:.2f}x ({figure['min']:.2f}-{figure['max']:.2f})")
    if "finding" in workload:
        lines.append(f"  {workload['finding']}")
    return lines


def table(results: dict[str, Any]) -> str:
    """The whole run as text: one block per workload, then the goals."""
    lines = []
    for name, workload in results["workloads"].items():
        lines.append(f"== {name}: {workload['title']}")
        if "pending" in workload:
            lines.append(f"  pending: {workload['pending']}")
            continue
        lines.extend(_case_lines(workload))
    lines.append("== goals")
    lines.extend(goal_lines(results))
    return "\n".join(lines)


def goal_value(goal: dict[str, Any]) -> str:
    """The measured value with 2 decimals, or 3 where 2 would show the limit itself (a goal
    missed by 1.151 against 1.15 must not read "1.15, not met")."""
    shown = f"{goal['value']:.2f}"
    if float(shown) == goal["limit"] and goal["value"] != goal["limit"]:
        shown = f"{goal['value']:.3f}"
    return shown


def goal_lines(results: dict[str, Any]) -> list[str]:
    lines = []
    for workload in results["workloads"].values():
        if "pending" in workload:
            lines.append(f"  [pending] {workload['title']}: {workload['pending']}")
        for goal in workload["goals"]:
            mark = "met" if goal["met"] else "NOT met"
            unit = goal["unit"]
            lines.append(
                f"  [{mark}] {goal['goal']}: {goal_value(goal)}{unit} "
                f"(goal {goal['comparison']} {goal['limit']:g}{unit})"
            )
    lines.extend(f"  [not timed] {goal}: {where}" for goal, where in NOT_MEASURED)
    return lines


def write_json(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def _median(workload: dict[str, Any], case: str, key: str = "seconds") -> float | None:
    found = workload.get("cases", {}).get(case)
    return None if found is None else float(found[key]["median"])


NOT_MEASURED: Final = (
    (
        "real Waldur: the provider's four bulk lists with default settings no slower than the "
        "best fixed concurrency (1, 4 or 16)",
        "not measured here: needs the real server (tests/realpeer)",
    ),
    (
        "unchanged guarantees: trio works (httpx), every reliability test passes, an unknown "
        "POST is never re-sent on any transport, verify=/limits/timeouts on every transport",
        "by the test suite, not by timing: tests/transports, and tests/reliability with "
        "PUHURI_ASYNC_HTTP=aiohttp",
    ),
)
"""Goals of issue 16 that a timing run cannot decide, and where they are checked."""

_COLUMNS: Final = (
    "puhuri-async",
    "puhuri-async [aiohttp]",
    "raw httpx",
    "raw aiohttp",
    "decode floor (orjson)",
    "python-waldur-client",
    "waldur-api-client",
)


def _cell(workload: dict[str, Any], name: str) -> str:
    wall, cpu = _median(workload, name), _median(workload, name, "cpu_seconds")
    if wall is None:
        return "-"
    return f"{_seconds(wall)} (CPU {_seconds(cpu or 0)})"


def _goal_row(goal: dict[str, Any]) -> str:
    return (
        f"| {goal['goal']} | {goal_value(goal)}{goal['unit']} "
        f"(goal {goal['comparison']} {goal['limit']:g}{goal['unit']}) | "
        f"{'met' if goal['met'] else 'not met'} |"
    )


def markdown(results: dict[str, Any], instructions: dict[str, Any] | None = None) -> str:
    """The README's results tables (medians: wall, then the client's CPU), the latency sweep,
    the instruction counts (when an ``--instructions`` run is given) and every goal."""
    machine = results["machine"]
    lines = [
        f"Run of {results['date'][:10]} on {machine['cpu']} ({machine['logical_cores']} cores), "
        f"Python {machine['python']}, JSON by {machine['json_backend']}; medians of "
        f"{results['repeat']} repetitions after a warm-up, wall time (client CPU time):",
        "",
        "| workload | " + " | ".join(_COLUMNS) + " |",
        "|---" * (len(_COLUMNS) + 1) + "|",
    ]
    workloads = results["workloads"]
    for key in ("bulk", "ssh_keys"):
        if key in workloads:
            cells = [_cell(workloads[key], name) for name in _COLUMNS]
            lines.append(f"| {workloads[key]['title']} | " + " | ".join(cells) + " |")
    gets = workloads.get("small_gets")
    if gets:
        calls = gets["calls"]
        for mode in ("concurrent", "sequential"):
            cells = []
            for name in _COLUMNS:
                wall = _median(gets, f"{name} {mode}")
                cpu = _median(gets, f"{name} {mode}", "cpu_seconds")
                cells.append(
                    "-"
                    if wall is None
                    else f"{wall / calls * 1e6:.0f} µs (CPU {(cpu or 0) / calls * 1e6:.0f} µs)"
                )
            lines.append(
                f"| {calls:,} single GETs, no latency, {mode}: per call | "
                + " | ".join(cells)
                + " |"
            )
    blank = " | -" * (len(_COLUMNS) - 1)
    facade = workloads.get("sync_facade")
    if facade and "pending" not in facade:
        calls = facade["calls"]
        sync = _median(facade, "puhuri-async sync")
        if sync is not None:
            lines.append(
                f"| sync facade, {calls:,} sequential GETs: per call | "
                f"{sync / calls * 1e6:.0f} µs{blank} |"
            )
    stream = workloads.get("streaming")
    if stream:
        grow = _median(stream, "iter_users (stream)", "growth_mb")
        collect = _median(stream, "list_users (collect)", "growth_mb")
        lines.append(
            f"| {stream['server']['counts']['users']:,} users, memory growth: stream "
            f"(collect) | {grow:.0f} MB ({collect:.0f} MB){blank} |"
        )
    sweep = workloads.get("sweep")
    if sweep:
        levels = ", ".join(
            f"C={c}: {_seconds(_median(sweep, f'puhuri-async C={c}') or 0)}"
            for c in sweep["levels"]
        )
        lines.append(f"| concurrency sweep (bulk workload) | {levels}{blank} |")
    latency = workloads.get("latency")
    if latency:
        lines += [
            "",
            "| latency | puhuri-async | raw httpx | raw aiohttp | network floor | "
            "puhuri-async / floor |",
            "|---|---|---|---|---|---|",
        ]
        for ms, level in latency["levels"].items():
            cells = [
                _cell(latency, f"{name} {ms}")
                for name in ("puhuri-async", "raw httpx", "raw aiohttp")
            ]
            floor = level["network_floor_seconds"]
            over = level.get("over_floor")
            lines.append(
                f"| {ms} | "
                + " | ".join(cells)
                + f" | {_seconds(floor)} ({level['round_trips_known_size']} round trips) | "
                + (f"{over['median']:.2f}x" if over else "-")
                + " |"
            )
    if instructions:
        lines += instruction_lines(instructions)
    lines += ["", "| goal | measured | met |", "|---|---|---|"]
    for workload in workloads.values():
        if "pending" in workload:
            lines.append(f"| {workload['title']} | pending | - |")
        lines.extend(_goal_row(goal) for goal in workload["goals"])
    for found in (instructions or {}).get("instructions", {}).values():
        lines.extend(_goal_row(goal) for goal in found.get("goals", []))
    lines.extend(f"| {goal} | {where} | - |" for goal, where in NOT_MEASURED)
    return "\n".join(lines)


def instruction_lines(instructions: dict[str, Any]) -> list[str]:
    """One row per case of an ``--instructions`` run: instructions of one warm fetch, and the
    ratios to raw httpx and raw aiohttp."""
    lines = [
        "",
        f"Instructions of one warm fetch (callgrind, {instructions['date'][:10]}):",
        "",
        "| workload | case | instructions | / raw httpx | / raw aiohttp |",
        "|---|---|---|---|---|",
    ]
    for name, found in instructions.get("instructions", {}).items():
        cases = found["cases"]
        per = 200 if name == "gets" else 1
        for spec, case in cases.items():
            count = case["instructions"] / per
            shown = f"{count / 1e6:,.1f} M" + (" per GET" if per > 1 else "")
            ratios = [
                f"{case['instructions'] / cases[base]['instructions']:.2f}x"
                if base in cases
                else "-"
                for base in ("raw-httpx", "raw-aiohttp")
            ]
            lines.append(f"| {name} | {spec} | {shown} | " + " | ".join(ratios) + " |")
    return lines


if __name__ == "__main__":
    import sys

    source = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else (Path(__file__).resolve().parent / "results" / "latest.json")
    )
    counted = None
    if len(sys.argv) > 2:
        counted = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    print(markdown(json.loads(source.read_text(encoding="utf-8")), counted))
