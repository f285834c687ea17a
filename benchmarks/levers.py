"""Paired A/B runs of the levers of issue 16: ``python -m benchmarks.levers LEVER [options]``.

- ``gc``: the collector's first threshold raised 100x while a list is collected, against the
  usual one (``puhuri_async._gc_pause`` when the client has it, else the same policy around
  the whole fetch); bulk CPU, and CPU per item at two list sizes;
- ``uvloop``: the same fetches on uvloop's event loop against asyncio's;
- ``msgspec``: msgspec's JSON decoder against orjson over the same page bodies;
- ``empty-lists``: the ``[]`` values of collected items shared (``_compact``) against one
  list each, for the bulk lists on a fresh client and read again on one client that keeps
  the read before (as a program replacing its previous state does); client CPU and the
  collector's share of it.

Both sides of a lever run in one process, round after round in alternating order
(``harness.run_rounds``), and each ratio is formed per round: the machine's load hits both.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from benchmarks import _probe
from benchmarks.competitors import decode_floor, puhuri
from benchmarks.competitors import raw_httpx as raw
from benchmarks.harness import (
    Case,
    Sample,
    ServerPool,
    ServerSpec,
    Sizes,
    async_case,
    cpu_ratio,
    run_rounds,
)
from benchmarks.workloads import bulk

__all__ = ["main"]


@contextlib.contextmanager
def gc_pause(on: bool) -> Iterator[None]:
    """The client's own pause on (or off) for the block; without it, the probe's policy."""
    try:
        from puhuri_async import _gc_pause  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        with _probe.gc_policy("high" if on else "default"):
            yield
        return
    factor = _gc_pause.FACTOR
    _gc_pause.FACTOR = factor if on else 1
    try:
        yield
    finally:
        _gc_pause.FACTOR = factor


def _paused(job: Callable[[], Awaitable[int]], on: bool) -> Callable[[], Awaitable[int]]:
    async def run() -> int:
        with gc_pause(on):
            return await job()

    return run


def _report(label: str, samples: dict[str, list[Sample]], a: str, b: str) -> None:
    found = cpu_ratio(samples[a], samples[b])
    print(f"{label}: CPU {a} / {b}: {found.median:.3f} ({found.min:.3f}-{found.max:.3f})")


def lever_gc(pool: ServerPool, sizes: Sizes, repeat: int, stack: str) -> None:
    server = pool.get(bulk.spec(sizes))
    cases: dict[str, Case] = {
        f"{label} {stack}": async_case(
            _paused(lambda: puhuri.bulk(server, 16, stack), label == "pause")
        )
        for label in ("pause", "no pause")
    }
    small, large = sizes.scaling_users
    for users in (small, large):
        listed = pool.get(ServerSpec(users, 0, 0, 0, projects=3))

        async def collect(listed: Any = listed) -> int:
            async with puhuri.client(listed, 16, stack) as client:
                return len(await client.list_users())

        for label in ("pause", "no pause"):
            cases[f"{label} list_users {users}"] = async_case(_paused(collect, label == "pause"))
    samples = run_rounds(cases, repeat=repeat, warmup=1)
    _report("bulk", samples, f"pause {stack}", f"no pause {stack}")
    for label in ("no pause", "pause"):
        per = [
            (b.cpu / b.items) / (a.cpu / a.items)
            for a, b in zip(
                samples[f"{label} list_users {small}"],
                samples[f"{label} list_users {large}"],
                strict=True,
            )
        ]
        each = [s.cpu / s.items * 1e6 for s in samples[f"{label} list_users {large}"]]
        print(
            f"{label}: CPU per item at {large:,} users / at {small:,}: "
            f"{sorted(per)[len(per) // 2]:.2f}x ({sorted(each)[len(each) // 2]:.1f} us per item)"
        )


def lever_uvloop(pool: ServerPool, sizes: Sizes, repeat: int) -> None:
    server = pool.get(bulk.spec(sizes))
    paths = raw.bulk_paths(server)
    cases: dict[str, Case] = {}
    for loop in ("asyncio", "uvloop"):
        for stack in ("aiohttp", "httpx"):
            cases[f"puhuri [{stack}] {loop}"] = async_case(
                lambda stack=stack: puhuri.bulk(server, 16, stack),  # type: ignore[misc]
                loop=loop,
            )
        cases[f"raw httpx {loop}"] = async_case(
            lambda: raw.fetch_lists(server, paths, 16), loop=loop
        )
    samples = run_rounds(cases, repeat=repeat, warmup=1)
    for name in ("puhuri [aiohttp]", "puhuri [httpx]", "raw httpx"):
        _report(name, samples, f"{name} uvloop", f"{name} asyncio")


def lever_msgspec(pool: ServerPool, sizes: Sizes, repeat: int) -> None:
    server = pool.get(bulk.spec(sizes))
    pages = decode_floor.bodies(server, raw.bulk_paths(server))

    def timed(decode: Callable[[tuple[bytes, ...]], int | None]) -> Case:
        def case() -> Sample:
            cpu0, t0 = time.process_time(), time.perf_counter()
            items = decode(pages) or 0
            return Sample(time.perf_counter() - t0, time.process_time() - cpu0, items)

        return case

    cases = {"msgspec": timed(decode_floor.msgspec_decode), "orjson": timed(decode_floor.decode)}
    samples = run_rounds(cases, repeat=repeat, warmup=1)
    _report("decode", samples, "msgspec", "orjson")


@contextlib.contextmanager
def empty_lists_shared(on: bool) -> Iterator[None]:
    """Collected items share their ``[]`` values (the client's default) or keep one each."""
    from puhuri_async import _compact

    keys = _compact._list_keys
    if not on:
        _compact._list_keys = lambda rows: []
    try:
        yield
    finally:
        _compact._list_keys = keys


class CollectorClock:
    """The process time the garbage collector took, per case (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._case = ""
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.process_time()
        elif self._case:
            spent = time.process_time() - self._start
            self.seconds[self._case] = self.seconds.get(self._case, 0.0) + spent

    def timing(self, name: str, case: Case) -> Case:
        def run() -> Sample:
            self._case = name
            try:
                return case()
            finally:
                self._case = ""

        return run


def lever_empty_lists(pool: ServerPool, sizes: Sizes, repeat: int) -> None:
    server = pool.get(bulk.spec(sizes))
    reads = 4

    def shared(job: Callable[[], Awaitable[int]], on: bool) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            with empty_lists_shared(on):
                return await job()

        return run

    async def again() -> int:
        async with puhuri.client(server, 16) as client:
            kept = await puhuri.bulk_fetch(client, server)
            items = 0
            for _ in range(reads):
                read = await puhuri.bulk_fetch(client, server)
                items += sum(map(len, read))
                kept = read
            del kept
            return items

    clock = CollectorClock()
    cases: dict[str, Case] = {}
    for label in ("shared", "one each"):
        on = label == "shared"
        fresh = async_case(shared(lambda: puhuri.bulk(server, 16), on))
        cases[f"{label}, bulk"] = clock.timing(f"{label}, bulk", fresh)
        kept = async_case(shared(again, on))
        cases[f"{label}, {reads} reads kept"] = clock.timing(f"{label}, {reads} reads kept", kept)
    gc.callbacks.append(clock)
    try:
        samples = run_rounds(cases, repeat=repeat, warmup=1)
    finally:
        gc.callbacks.remove(clock)
    for what in ("bulk", f"{reads} reads kept"):
        _report(what, samples, f"shared, {what}", f"one each, {what}")
        for label in ("shared", "one each"):
            name = f"{label}, {what}"
            cpu = sum(sample.cpu for sample in samples[name])
            runs = len(samples[name]) + 1  # the warm-up ran too
            collector = clock.seconds.get(name, 0.0) / runs
            print(
                f"  {name}: the collector {collector * 1000:.0f} ms a run "
                f"({collector / (cpu / len(samples[name])):.0%} of the client's CPU)"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.levers", description=__doc__)
    parser.add_argument("lever", choices=("gc", "uvloop", "msgspec", "empty-lists"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--users", type=int, default=Sizes().users)
    parser.add_argument("--permissions", type=int, default=Sizes().permissions)
    parser.add_argument(
        "--scaling", default="10000,100000", help="the two list sizes of the gc lever"
    )
    parser.add_argument("--stack", choices=("aiohttp", "httpx"), default="aiohttp")
    args = parser.parse_args(argv)
    small, large = (int(n) for n in args.scaling.split(","))
    sizes = Sizes(users=args.users, permissions=args.permissions, scaling_users=(small, large))
    pool = ServerPool()
    try:
        if args.lever == "gc":
            lever_gc(pool, sizes, args.repeat, args.stack)
        elif args.lever == "uvloop":
            lever_uvloop(pool, sizes, args.repeat)
        elif args.lever == "empty-lists":
            lever_empty_lists(pool, sizes, args.repeat)
        else:
            lever_msgspec(pool, sizes, args.repeat)
    finally:
        pool.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
