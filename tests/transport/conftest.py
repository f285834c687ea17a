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
    """A factory of transports on the fake time (retries never really sleep).

    Their lists ask for page 1 alone first (``first_window=1``): the tests here follow the
    paginator page by page; the first window of the default is the subject of
    ``tests/pagination/test_first_window.py``."""

    def make(**kwargs: Any) -> Transport:
        kwargs.setdefault("first_window", 1)
        kwargs.setdefault("sleep", fake_time.sleep)
        kwargs.setdefault("clock", fake_time.clock)
        kwargs.setdefault("random", lambda: 0.5)
        kwargs.setdefault("retry", RetryPolicy())
        return Transport(kwargs.pop("api_url", API), kwargs.pop("token", TOKEN), **kwargs)

    return make
