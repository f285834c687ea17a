"""Fixtures for the client tests: a FakePuhuri behind a transport that checks the contract.

Every request the client sends through ``client`` (and every response it gets) is validated
against the vendored OpenAPI subset, so each test of an operation is also a contract test.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from _openapi import validate_request, validate_response

from puhuri_async import PuhuriClient
from puhuri_async.testing import FakeData, FakePuhuri

TOKEN = "test-token-123"


class ContractCheckingTransport(httpx.AsyncBaseTransport):
    """Wraps a transport; validates each request and response against the schema subset."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.checked: list[tuple[str, str]] = []
        #: (method, path, status, decoded JSON body or None) of every response, in order.
        self.responses: list[tuple[str, str, int, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body: Any = json.loads(request.content) if request.content else None
        validate_request(request.method, str(request.url), body)
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        is_json = response.headers.get("content-type", "").startswith("application/json")
        decoded = json.loads(content) if content and is_json else None
        if decoded is not None and response.is_success:
            validate_response(
                request.method,
                request.url.path,
                response.status_code,
                decoded,
                headers=response.headers,
            )
        self.checked.append((request.method, request.url.path))
        self.responses.append((request.method, request.url.path, response.status_code, decoded))
        return httpx.Response(
            response.status_code, headers=response.headers, content=content, request=request
        )


@pytest.fixture
def fake_data() -> FakeData:
    return FakeData.generate(users=40, seed=3)


@pytest.fixture
def fake(fake_data: FakeData) -> FakePuhuri:
    return FakePuhuri(fake_data, token=TOKEN)


@pytest.fixture
def contract(fake: FakePuhuri) -> ContractCheckingTransport:
    return ContractCheckingTransport(fake.transport())


@pytest_asyncio.fixture
async def client(
    fake: FakePuhuri, contract: ContractCheckingTransport
) -> AsyncIterator[PuhuriClient]:
    async with PuhuriClient(fake.base_url, TOKEN, transport=contract) as client:
        yield client
