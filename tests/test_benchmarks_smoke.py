"""The benchmark harness runs end to end (``python -m benchmarks --quick``) and writes its JSON.

Tiny sizes, one repetition: this proves the harness, the fake server in its own process and
every competitor's adapter work; it asserts the shape of the results, never a timing.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = {
    "bulk",
    "ssh_keys",
    "sweep",
    "latency",
    "small_gets",
    "sync_facade",
    "streaming",
    "scaling",
}
COMPETITORS = {"puhuri-async", "raw httpx", "waldur-api-client", "python-waldur-client"}
# Issue 16's baselines and stacks: the decode floor always, aiohttp's when it is installed.
STACKS = {"puhuri-async [httpx]", "decode floor (orjson)"}
AIOHTTP_STACKS = {"puhuri-async [aiohttp]", "raw aiohttp"}
FIGURE = {"median", "min", "max", "samples"}


def run_module(*args: str, timeout: float) -> str:
    """``python -m ARGS`` from the project's root; its stdout, once it exited with 0."""
    completed = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return completed.stdout


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_quick_run_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "quick.json"
    stdout = run_module(
        "benchmarks", "--quick", "--repeat", "1", "--warmup", "0", "--out", str(out), timeout=580
    )
    assert "== goals" in stdout

    results = json.loads(out.read_text(encoding="utf-8"))
    assert {"date", "command", "machine", "sizes", "repeat", "workloads", "goals"} <= set(results)
    assert results["quick"] is True
    assert results["repeat"] == 1
    assert results["machine"]["python"] == platform.python_version()
    assert results["machine"]["logical_cores"] >= 1
    assert results["machine"]["versions"]["python-waldur-client"] == "0.6.4"
    assert set(results["workloads"]) == WORKLOADS

    for name in ("bulk", "ssh_keys"):
        workload = results["workloads"][name]
        extra = STACKS | (AIOHTTP_STACKS if importlib.util.find_spec("aiohttp") else set())
        assert set(workload["cases"]) == COMPETITORS | extra
        for case in workload["cases"].values():
            assert set(case["seconds"]) == FIGURE
            assert len(case["seconds"]["samples"]) == 1
            assert case["items"] > 0
        assert workload["server"]["latency_ms"] > 0
        assert all(set(ratio) == FIGURE for ratio in workload["ratios"].values())
    bulk = results["workloads"]["bulk"]
    assert bulk["cases"]["puhuri-async"]["items"] == (
        bulk["server"]["counts"]["users"] + bulk["server"]["counts"]["permissions"]
    )

    sweep = results["workloads"]["sweep"]
    assert sweep["levels"] == [1, 4, 16, 64]
    assert sweep["recommended_concurrency"] in sweep["levels"]
    assert {f"puhuri-async C={c}" for c in sweep["levels"]} <= set(sweep["cases"])

    latency = results["workloads"]["latency"]
    assert list(latency["levels"]) == [f"{ms:g} ms" for ms in results["sizes"]["latencies_ms"]]
    for level in latency["levels"].values():
        assert level["round_trips_known_size"] >= 1
        assert level["network_floor_seconds"] == pytest.approx(
            level["round_trips_known_size"] * level["latency_ms"] / 1000
        )
    assert len(latency["goals"]) == 2

    scaling = results["workloads"]["scaling"]
    assert len(scaling["cases"]) == len(results["sizes"]["scaling_users"])
    assert [goal["unit"] for goal in scaling["goals"]] == ["x"]

    gets = results["workloads"]["small_gets"]
    assert gets["calls"] == results["sizes"]["gets"]
    assert len(gets["goals"]) == 3

    streaming = results["workloads"]["streaming"]
    assert set(streaming["cases"]) == {"iter_users (stream)", "list_users (collect)"}
    assert len(streaming["goals"]) == 2
    for case in streaming["cases"].values():
        assert set(case["growth_mb"]) == FIGURE
        assert case["items"] == results["sizes"]["stream_users"]

    facade = results["workloads"]["sync_facade"]
    assert "pending" in facade or [g["goal"] for g in facade["goals"]] == [
        "sync facade call: at most 1.3x the async call"
    ]

    goals = [goal for workload in results["workloads"].values() for goal in workload["goals"]]
    assert results["goals"] == goals
    assert all(isinstance(goal["met"], bool) for goal in goals)
    chart = out.with_suffix(".png")
    assert chart.exists() == (importlib.util.find_spec("matplotlib") is not None)


def test_network_floor_round_trips_and_instruction_case_names() -> None:
    from benchmarks.instructions import parse_case
    from benchmarks.workloads.latency import round_trips

    # Two lists of 67 pages at 16 in flight: 9 rounds when both sizes are known, 10 when page 1
    # of each must come back first to tell its count.
    assert round_trips([20_000, 20_000], 300, 16) == (9, 10)
    assert round_trips([10], 300, 16) == (1, 1)
    assert parse_case("puhuri-aiohttp+uvloop+gc=off") == (
        "puhuri-aiohttp",
        ["--loop", "uvloop", "--gc", "off"],
    )
    with pytest.raises(ValueError, match="unknown case"):
        parse_case("curl")
    with pytest.raises(ValueError, match="unknown option"):
        parse_case("puhuri+gc=sometimes")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_empty_lists_lever_runs_both_sides() -> None:
    stdout = run_module(
        "benchmarks.levers",
        "empty-lists",
        "--repeat",
        "1",
        "--users",
        "600",
        "--permissions",
        "600",
        timeout=280,
    )
    for what in ("bulk", "4 reads kept"):
        assert f"{what}: CPU shared, {what} / one each, {what}:" in stdout
        for side in ("shared", "one each"):
            assert f"  {side}, {what}: the collector " in stdout


def test_the_empty_lists_lever_switches_the_sharing() -> None:
    from benchmarks.levers import empty_lists_shared
    from puhuri_async._compact import Compactor
    from puhuri_async.models import User
    from puhuri_async.models._base import EMPTY_LIST
    from puhuri_async.models._converter import page_structurer

    def compacted(rows: list[dict[str, object]]) -> list[dict[str, object]]:
        users = page_structurer(User, "list_users")(rows)
        assert users is not None
        Compactor(lambda: None)(rows, users)
        return rows

    def rows() -> list[dict[str, object]]:
        return [{"uuid": f"{n:032x}", "permissions": []} for n in range(3)]

    assert all(row["permissions"] is EMPTY_LIST for row in compacted(rows()))
    with empty_lists_shared(False):
        assert all(type(row["permissions"]) is list for row in compacted(rows()))
    assert all(row["permissions"] is EMPTY_LIST for row in compacted(rows()))
