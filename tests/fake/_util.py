"""Helpers of the FakePuhuri tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from puhuri_async.testing import FakePuhuri, RequestRecord

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Token {TOKEN}"}


def client_for(
    fake: FakePuhuri, *, base_url: str | None = None, **kwargs: Any
) -> httpx.AsyncClient:
    """An httpx client calling ``fake`` in-process with the test token."""
    return httpx.AsyncClient(
        transport=fake.transport(),
        base_url=base_url or fake.base_url,
        headers=AUTH,
        **kwargs,
    )


def client_as(fake: FakePuhuri, token: str) -> httpx.AsyncClient:
    """An httpx client calling ``fake`` in-process with ``token`` (a role's token)."""
    return httpx.AsyncClient(
        transport=fake.transport(),
        base_url=fake.base_url,
        headers={"Authorization": f"Token {token}"},
    )


def wait_until(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (a loopback server works on its own
    thread); returns its last value."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def wait_for_log(
    fake: FakePuhuri, predicate: Callable[[list[RequestRecord]], bool], seconds: float = 5.0
) -> list[RequestRecord]:
    """The request log once ``predicate`` holds (or after ``seconds``)."""
    wait_until(lambda: predicate(fake.requests), seconds)
    return fake.requests
