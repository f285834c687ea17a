"""Fixtures for the sync facade tests: a SyncPuhuriClient on an in-process FakePuhuri."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from puhuri_async import SyncPuhuriClient
from puhuri_async.testing import FakeData, FakePuhuri

TOKEN = "test-token-123"


@pytest.fixture
def fake() -> FakePuhuri:
    return FakePuhuri(FakeData.generate(users=60, seed=5), token=TOKEN)


@pytest.fixture
def client(fake: FakePuhuri) -> Iterator[SyncPuhuriClient]:
    with SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport()) as client:
        yield client
    assert not client._loop.thread.is_alive(), "close() must end the event-loop thread"


async def _other_tasks() -> list[str]:
    """Names of the tasks alive in the client's loop, besides this probe and the loop's main."""
    me = asyncio.current_task()
    return sorted(
        task.get_name()
        for task in asyncio.all_tasks()
        if task is not me and task.get_coro().__qualname__ != "_LoopThread._main"  # type: ignore[union-attr]
    )


def other_tasks(client: SyncPuhuriClient) -> list[str]:
    """The tasks still running in ``client``'s event loop (none when it is idle)."""
    return client._call(_other_tasks)


def users_by_uuid(fake: FakePuhuri) -> dict[str, Any]:
    return {user["uuid"]: user for user in fake.data.users}
