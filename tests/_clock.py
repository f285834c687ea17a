"""Fake time for the whole suite: a clock that moves only when the client sleeps."""

from __future__ import annotations

import anyio

__all__ = ["FakeTime"]


class FakeTime:
    """A monotonic clock and a sleep that records waits and advances the clock at once.

    With ``hold`` set to an event, sleepers instead wait for it (the test moves ``now``).
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.hold: anyio.Event | None = None
        self.sleeping = 0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.hold is None:
            self.now += seconds
            await anyio.lowlevel.checkpoint()
            return
        self.sleeping += 1
        try:
            await self.hold.wait()
        finally:
            self.sleeping -= 1
