"""The cases and goals the list workloads share: puhuri-async on each HTTP stack against raw
httpx, raw aiohttp + orjson and the decode floor, in one set of rounds, so every ratio is
paired within the run.

Issue 16's goals for a list fetch: the client's CPU at most 0.8x raw httpx's, its wall time at
most 0.9x raw httpx's, and its CPU at most 1.3x raw aiohttp + orjson's.
"""

from __future__ import annotations

from typing import Any

from benchmarks.competitors import (
    FLOOR,
    PUHURI,
    PUHURI_AIOHTTP,
    PUHURI_HTTPX,
    RAW,
    RAW_AIOHTTP,
    decode_floor,
    puhuri,
)
from benchmarks.competitors import raw_httpx as raw
from benchmarks.harness import Case, Figure, Goal, Sample, Server, async_case, cpu_ratio, ratio

__all__ = ["floor_case", "stack_cases", "stack_goals", "stack_ratios"]


def floor_case(server: Server, paths: list[str]) -> Case:
    """orjson over the bodies of ``paths`` (fetched once, before any round)."""
    pages = decode_floor.bodies(server, paths)

    def case() -> Sample:
        import time

        cpu0, t0 = time.process_time(), time.perf_counter()
        items = decode_floor.decode(pages)
        return Sample(time.perf_counter() - t0, time.process_time() - cpu0, items)

    return case


def stack_cases(
    server: Server, paths: list[str], concurrency: int, job: str, *, loop: str = "asyncio"
) -> dict[str, Case]:
    """puhuri-async (as a user gets it, and on each stack), raw httpx, raw aiohttp (when it is
    installed) and the decode floor. ``job`` is the ``puhuri`` function (``bulk``,
    ``ssh_keys``)."""
    fetch = getattr(puhuri, job)
    cases: dict[str, Case] = {
        PUHURI: async_case(lambda: fetch(server, concurrency), loop=loop),
        PUHURI_HTTPX: async_case(lambda: fetch(server, concurrency, "httpx"), loop=loop),
        RAW: async_case(lambda: raw.fetch_lists(server, paths, concurrency), loop=loop),
    }
    if puhuri.aiohttp_available():
        from benchmarks.competitors import raw_aiohttp

        cases[PUHURI_AIOHTTP] = async_case(lambda: fetch(server, concurrency, "aiohttp"), loop=loop)
        cases[RAW_AIOHTTP] = async_case(
            lambda: raw_aiohttp.fetch_lists(server, paths, concurrency), loop=loop
        )
    cases[FLOOR] = floor_case(server, paths)
    return cases


def stack_ratios(samples: dict[str, list[Sample]]) -> dict[str, Figure]:
    """Wall and CPU ratios of each puhuri-async case over each baseline."""
    out: dict[str, Figure] = {}
    for mine in (PUHURI, PUHURI_HTTPX, PUHURI_AIOHTTP):
        if mine not in samples:
            continue
        for base in (RAW, RAW_AIOHTTP):
            if base in samples:
                out[f"{mine} / {base}"] = ratio(samples[mine], samples[base])
                out[f"{mine} / {base}, CPU"] = cpu_ratio(samples[mine], samples[base])
        out[f"{mine} / {FLOOR}, CPU"] = cpu_ratio(samples[mine], samples[FLOOR])
    if RAW_AIOHTTP in samples:
        out[f"{RAW_AIOHTTP} / {RAW}, CPU"] = cpu_ratio(samples[RAW_AIOHTTP], samples[RAW])
    return out


def stack_goals(label: str, samples: dict[str, list[Sample]]) -> list[Goal]:
    """Issue 16's three goals for ``label`` (the default client against the baselines)."""
    goals = [
        Goal(
            f"{label}: client CPU at most 0.8x raw httpx",
            cpu_ratio(samples[PUHURI], samples[RAW]).median,
            0.8,
            True,
        ),
        Goal(
            f"{label}: wall time at most 0.9x raw httpx",
            ratio(samples[PUHURI], samples[RAW]).median,
            0.9,
            True,
        ),
    ]
    if RAW_AIOHTTP in samples:
        goals.append(
            Goal(
                f"{label}: client CPU at most 1.3x raw aiohttp + orjson",
                cpu_ratio(samples[PUHURI], samples[RAW_AIOHTTP]).median,
                1.3,
                True,
            )
        )
    return goals


def cpu_json(samples: dict[str, list[Sample]]) -> dict[str, Any]:
    """Median CPU seconds per case (the JSON keeps every sample too)."""
    return {name: Figure(tuple(s.cpu for s in runs)).median for name, runs in samples.items()}
