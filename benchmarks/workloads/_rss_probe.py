"""One memory measurement in a fresh process: ``python -m benchmarks.workloads._rss_probe``.

Arguments: ``stream|collect API_URL TOKEN``. Prints one JSON line: items, seconds, the resident
memory before (after imports, a warm-up call and a collection) and its peak during the run.
The peak is the kernel's high-water mark (``VmHWM``), reset just before the run where Linux
allows it (``/proc/self/clear_refs``), else ``ru_maxrss``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import sys
import time

from puhuri_async import PuhuriClient

MB = 2**20


def _status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def _rss() -> int:
    kb = _status_kb("VmRSS")
    if kb is not None:
        return kb * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _peak() -> int:
    kb = _status_kb("VmHWM")
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb * 1024


async def measure(case: str, api_url: str, token: str) -> dict[str, object]:
    async with PuhuriClient(api_url, token) as client:
        await client.list_users(limit=1)  # imports, connection, converter: outside the figure
        gc.collect()
        before = _rss()
        exact = _reset_peak()
        t0 = time.perf_counter()
        if case == "stream":
            items = 0
            async for user in client.iter_users():
                items += user.username is not None
        else:
            users = await client.list_users()
            items = len(users)
        seconds = time.perf_counter() - t0
        peak = _peak()
    return {
        "case": case,
        "items": items,
        "seconds": seconds,
        "rss_before_mb": before / MB,
        "peak_rss_mb": peak / MB,
        "growth_mb": (peak - before) / MB,
        "exact_peak": exact,
    }


def main() -> None:
    case, api_url, token = sys.argv[1:4]
    print(json.dumps(asyncio.run(measure(case, api_url, token))))


if __name__ == "__main__":
    main()
