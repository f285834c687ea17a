"""One picture of a run (matplotlib, written as PNG): times, per-call cost, memory, sweep."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

__all__ = ["draw"]


def _bars(
    axis: Any, workload: dict[str, Any], scale: float, unit: str, key: str, log: bool = False
) -> None:
    if log:
        _plain_log_axis(axis)
    names = list(workload["cases"])
    figures = [workload["cases"][name][key] for name in names]
    medians = [f["median"] * scale for f in figures]
    errors = [
        [m - f["min"] * scale for m, f in zip(medians, figures, strict=True)],
        [f["max"] * scale - m for m, f in zip(medians, figures, strict=True)],
    ]
    colours = [
        "tab:gray" if name.startswith(("raw", "waldur", "python-waldur")) else "tab:blue"
        for name in names
    ]
    axis.barh(names, medians, xerr=errors, color=colours, capsize=3)
    axis.invert_yaxis()
    axis.set_xlabel(unit)
    axis.set_title(textwrap.fill(workload["title"], 70), fontsize=9)
    tops = [m + e for m, e in zip(medians, errors[1], strict=True)]
    for y, (value, top) in enumerate(zip(medians, tops, strict=True)):
        axis.annotate(f"  {_short(value)}", (top, y), va="center", fontsize=8)
    axis.set_xlim(right=max(tops) * (3 if log else 1.25))


def _short(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _plain_log_axis(axis: Any) -> None:
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis.set_xscale("log")
    axis.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _short(value)))
    axis.xaxis.set_minor_formatter(NullFormatter())


def draw(results: dict[str, Any], path: Path) -> bool:
    """Draw ``results`` into ``path``; False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    workloads = {name: w for name, w in results["workloads"].items() if "pending" not in w}
    panels = [
        name
        for name in ("bulk", "ssh_keys", "small_gets", "sync_facade", "streaming", "sweep")
        if name in workloads
    ]
    if not panels:
        return False
    rows = (len(panels) + 1) // 2
    fig, axes = plt.subplots(rows, 2, figsize=(13, 3.6 * rows), squeeze=False)
    for axis, name in zip(axes.flat, panels, strict=False):
        workload = workloads[name]
        if name in ("bulk", "ssh_keys"):
            _bars(axis, workload, 1, "seconds (log scale; lower is better)", "seconds", log=True)
        elif name in ("small_gets", "sync_facade"):
            _bars(axis, workload, 1e6 / workload["calls"], "microseconds per call", "seconds")
        elif name == "streaming":
            _bars(axis, workload, 1, "resident memory growth, MB", "growth_mb")
            axis.axvline(64, color="tab:red", linestyle="--", linewidth=1)
        else:
            levels = workload["levels"]
            medians = [
                workload["cases"][f"puhuri-async C={c}"]["seconds"]["median"] for c in levels
            ]
            axis.plot(levels, medians, marker="o", label="puhuri-async", color="tab:blue")
            axis.set_xscale("log", base=2)
            axis.set_xticks(workload["levels"], [str(c) for c in workload["levels"]])
            axis.set_xlabel("requests in flight (C)")
            axis.set_ylabel("seconds")
            axis.set_title(textwrap.fill(workload["title"], 70), fontsize=9)
            axis.legend(fontsize=8)
    for axis in list(axes.flat)[len(panels) :]:
        axis.set_visible(False)
    machine = results["machine"]
    fig.suptitle(
        f"puhuri-async benchmarks, {results['date'][:10]}: {machine['cpu']}, "
        f"{machine['logical_cores']} cores, Python {machine['python']}",
        fontsize=10,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True
