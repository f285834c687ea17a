"""Fixtures of the FakePuhuri tests: both anyio back ends, a small fake, an httpx client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from puhuri_async.testing import FakeData, FakePuhuri

from ._util import TOKEN, client_for


@pytest.fixture
def fake() -> FakePuhuri:
    return FakePuhuri(FakeData.generate(users=25, seed=1), token=TOKEN)


@pytest.fixture
async def client(fake: FakePuhuri) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(fake) as http:
        yield http
