"""One client, one event loop: use from another loop raises ``EventLoopMismatchError``."""

from __future__ import annotations

import asyncio
import gc
import warnings

import pytest

from puhuri_async import (
    ClientClosedError,
    EventLoopMismatchError,
    PuhuriClient,
    PuhuriError,
    RetryPolicy,
)
from puhuri_async.testing import FakeData, FakePuhuri

TOKEN = "loops-test-token"


def test_a_second_asyncio_run_gets_a_typed_error_naming_the_fix() -> None:
    fake = FakePuhuri(FakeData.generate(users=5, seed=2), token=TOKEN)
    with warnings.catch_warnings():  # the pool let go below is unclosed, as it was made
        warnings.simplefilter("ignore", ResourceWarning)
        with fake.serve() as url:
            error = _second_loop_error(url)
        gc.collect()
    assert isinstance(error, PuhuriError)
    assert isinstance(error, RuntimeError)  # code that caught httpx's RuntimeError still does
    assert "another event loop" in str(error)
    assert "async with PuhuriClient(" in str(error)
    assert "Event loop is closed" not in str(error)


def _second_loop_error(url: str) -> EventLoopMismatchError:
    """Use a client from two loops over a real connection; close it from a third."""
    client = PuhuriClient(url, TOKEN, retry=RetryPolicy.none())
    assert len(asyncio.run(client.list_users())) == 5
    try:
        asyncio.run(client.list_users())
    except EventLoopMismatchError as caught:
        error = caught
    else:
        raise AssertionError("no EventLoopMismatchError")
    asyncio.run(client.aclose())  # from yet another loop: the pool is let go
    assert client.closed
    with pytest.raises(ClientClosedError):
        asyncio.run(client.list_users())
    error.__traceback__ = None  # its frames would keep the pool alive
    return error


def test_a_client_first_used_in_the_second_loop_works() -> None:
    fake = FakePuhuri(FakeData.generate(users=3, seed=2), token=TOKEN)
    client = PuhuriClient(fake.base_url, TOKEN, transport=fake.transport())

    async def first() -> None:
        assert client.base_url == fake.base_url  # made in one loop, nothing opened

    async def second() -> int:
        async with client:
            return len(await client.list_users())

    asyncio.run(first())
    assert asyncio.run(second()) == 3


def test_the_check_holds_for_an_injected_transport_too() -> None:
    fake = FakePuhuri(FakeData.generate(users=3, seed=2), token=TOKEN)
    client = PuhuriClient(fake.base_url, TOKEN, transport=fake.transport())
    asyncio.run(client.list_users())
    with pytest.raises(EventLoopMismatchError):
        asyncio.run(client.list_users())


@pytest.mark.anyio
async def test_one_loop_many_calls_never_trip_it() -> None:
    fake = FakePuhuri(FakeData.generate(users=3, seed=2), token=TOKEN)
    async with PuhuriClient(fake.base_url, TOKEN, transport=fake.transport()) as client:
        for _ in range(3):
            assert len(await client.list_users()) == 3
