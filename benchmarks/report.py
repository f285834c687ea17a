"""The results: a table on the terminal, ``results/latest.json`` and a chart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["goal_lines", "markdown", "table", "write_json"]


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
    return lines


def write_json(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def _median(workload: dict[str, Any], case: str, key: str = "seconds") -> float | None:
    found = workload.get("cases", {}).get(case)
    return None if found is None else float(found[key]["median"])


def markdown(results: dict[str, Any]) -> str:
    """The short results table of the README (medians), then the goals."""
    machine = results["machine"]
    lines = [
        f"Run of {results['date'][:10]} on {machine['cpu']} ({machine['logical_cores']} cores), "
        f"Python {machine['python']}, JSON by {machine['json_backend']}; medians of "
        f"{results['repeat']} repetitions after a warm-up:",
        "",
        "| workload | puhuri-async | raw httpx | python-waldur-client | waldur-api-client |",
        "|---|---|---|---|---|",
    ]
    names = ("puhuri-async", "raw httpx", "python-waldur-client", "waldur-api-client")
    workloads = results["workloads"]
    for key in ("bulk", "ssh_keys"):
        if key in workloads:
            cells = [_median(workloads[key], name) for name in names]
            shown = ["-" if c is None else _seconds(c) for c in cells]
            lines.append(f"| {workloads[key]['title']} | " + " | ".join(shown) + " |")
    gets = workloads.get("small_gets")
    if gets:
        for mode in ("concurrent", "sequential"):
            cells = [_median(gets, f"{name} {mode}") for name in names[:2]]
            shown = [f"{c / gets['calls'] * 1e6:.0f} µs" for c in cells if c is not None]
            lines.append(
                f"| {gets['calls']:,} single GETs, no latency, {mode}: per call | "
                + " | ".join(shown)
                + " | - | - |"
            )
    facade = workloads.get("sync_facade")
    if facade and "pending" not in facade:
        calls = facade["calls"]
        sync = _median(facade, "puhuri-async sync")
        if sync is not None:
            lines.append(
                f"| sync facade, {calls:,} sequential GETs: per call | "
                f"{sync / calls * 1e6:.0f} µs | - | - | - |"
            )
    stream = workloads.get("streaming")
    if stream:
        grow = _median(stream, "iter_users (stream)", "growth_mb")
        collect = _median(stream, "list_users (collect)", "growth_mb")
        lines.append(
            f"| {stream['server']['counts']['users']:,} users, memory growth: stream "
            f"(collect) | {grow:.0f} MB ({collect:.0f} MB) | - | - | - |"
        )
    sweep = workloads.get("sweep")
    if sweep:
        levels = ", ".join(
            f"C={c}: {_seconds(_median(sweep, f'puhuri-async C={c}') or 0)}"
            for c in sweep["levels"]
        )
        lines.append(f"| concurrency sweep (bulk workload) | {levels} | - | - | - |")
    lines += ["", "| goal | measured | met |", "|---|---|---|"]
    for workload in workloads.values():
        if "pending" in workload:
            lines.append(f"| {workload['title']} | pending | - |")
        for goal in workload["goals"]:
            lines.append(
                f"| {goal['goal']} | {goal_value(goal)}{goal['unit']} "
                f"(goal {goal['comparison']} {goal['limit']:g}{goal['unit']}) | "
                f"{'yes' if goal['met'] else 'no'} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    source = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else (Path(__file__).resolve().parent / "results" / "latest.json")
    )
    print(markdown(json.loads(source.read_text(encoding="utf-8"))))
