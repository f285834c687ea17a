"""A provider's lists go through ``TranslatingSource`` (its ``provider_uuid`` becomes the
customer's): they share the transport's pacer, counts and trouble count with every other list."""

from __future__ import annotations

import pytest

from puhuri_async._adaptive import learned
from puhuri_async._customer_uuid import CustomerUuids, TranslatingSource
from puhuri_async._http import Transport

pytestmark = pytest.mark.anyio

PROVIDER = "0" * 32


async def test_a_translated_source_learns_with_its_transport() -> None:
    async with Transport("http://puhuri.test/api/", "fake-token", max_concurrency=8) as transport:
        first = TranslatingSource(transport, PROVIDER, CustomerUuids())
        second = TranslatingSource(transport, PROVIDER, CustomerUuids())
        assert first.learner is second.learner is transport.learner is transport
        assert learned(first.learner, 8) is learned(transport, 8)  # one pacer, one memory
        assert first.troubles == transport.troubles == 0
        transport._stats.retries += 2
        transport._stats.rate_limited += 1
        assert first.troubles == transport.troubles == 3  # the pacer sees the retries
