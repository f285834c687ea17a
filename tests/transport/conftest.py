"""Fixtures of the transport tests: both anyio back ends, fake time, a respx router."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import respx

from puhuri_async._http import Transport
from puhuri_async._retry import RetryPolicy

from ._fakes import API, TOKEN, FakeTime


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False, assert_all_mocked=True) as mock:
        yield mock


@pytest.fixture
def make_transport(fake_time: FakeTime) -> Any:
    """A factory of transports on the fake time (retries never really sleep)."""

    def make(**kwargs: Any) -> Transport:
        kwargs.setdefault("sleep", fake_time.sleep)
        kwargs.setdefault("clock", fake_time.clock)
        kwargs.setdefault("random", lambda: 0.5)
        kwargs.setdefault("retry", RetryPolicy())
        return Transport(kwargs.pop("api_url", API), kwargs.pop("token", TOKEN), **kwargs)

    return make
