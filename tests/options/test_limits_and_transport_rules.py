"""``response_limits=`` on both clients; ``verify=`` and ``proxy=`` refused with ``transport=``."""

from __future__ import annotations

import ssl
import warnings

import certifi
import httpx
import pytest

from puhuri_async import (
    InsecureTLSWarning,
    InvalidArgumentError,
    PuhuriClient,
    ResponseLimits,
    ResponseTooLargeError,
    SyncPuhuriClient,
)
from puhuri_async.testing import FakeData, FakePuhuri

API = "https://puhuri.test/api/"
TOKEN = "options-test-token"


def _fake() -> FakePuhuri:
    return FakePuhuri(FakeData.generate(users=40, seed=3), token=TOKEN)


@pytest.mark.anyio
async def test_a_body_past_the_client_s_limit_is_refused() -> None:
    fake = _fake()
    limits = ResponseLimits(max_body_size=2_000)
    async with PuhuriClient(
        fake.base_url, TOKEN, transport=fake.transport(), response_limits=limits
    ) as client:
        assert client.response_limits is limits
        with pytest.raises(ResponseTooLargeError) as caught:
            await client.list_users()
        assert caught.value.limit == 2_000
    async with PuhuriClient(fake.base_url, TOKEN, transport=fake.transport()) as roomy:
        assert roomy.response_limits == ResponseLimits()
        assert len(await roomy.list_users()) == 40


def test_the_sync_client_takes_response_limits() -> None:
    fake = _fake()
    limits = ResponseLimits(max_body_size=2_000, max_pages=3)
    with (
        SyncPuhuriClient(
            fake.base_url, TOKEN, transport=fake.transport(), response_limits=limits
        ) as client,
        pytest.raises(ResponseTooLargeError),
    ):
        client.list_users()
    with SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport(), page_size=10) as client:
        assert len(client.list_users()) == 40


def test_response_limits_must_be_response_limits() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        PuhuriClient(API, TOKEN, response_limits=1000)  # type: ignore[arg-type]
    assert caught.value.argument == "response_limits"
    with pytest.raises(InvalidArgumentError) as caught:
        SyncPuhuriClient(API, TOKEN, response_limits={"max_body_size": 1})  # type: ignore[arg-type]
    assert caught.value.argument == "response_limits"


@pytest.mark.parametrize(
    "verify",
    [False, ssl.create_default_context(), "CA"],
    ids=["false", "context", "bundle"],
)
@pytest.mark.parametrize("make", [PuhuriClient, SyncPuhuriClient], ids=["async", "sync"])
def test_verify_other_than_the_default_is_refused_with_a_transport(
    verify: object, make: type
) -> None:
    if verify == "CA":
        verify = certifi.where()
    with warnings.catch_warnings():
        warnings.simplefilter("error", InsecureTLSWarning)  # refused before any warning
        with pytest.raises(InvalidArgumentError) as caught:
            make(API, TOKEN, verify=verify, transport=httpx.MockTransport(_unreached))
    assert caught.value.argument == "verify"
    assert "transport=" in str(caught.value)
    assert "httpx.AsyncHTTPTransport(verify=" in str(caught.value)


@pytest.mark.parametrize("make", [PuhuriClient, SyncPuhuriClient], ids=["async", "sync"])
def test_a_proxy_is_refused_with_a_transport(make: type) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        make(API, TOKEN, proxy="http://127.0.0.1:3128", transport=httpx.MockTransport(_unreached))
    assert caught.value.argument == "proxy"
    assert "httpx.AsyncHTTPTransport(proxy=" in str(caught.value)


@pytest.mark.anyio
async def test_the_default_verify_leaves_tls_to_the_given_transport() -> None:
    fake = _fake()
    async with PuhuriClient(fake.base_url, TOKEN, verify=True, transport=fake.transport()) as c:
        assert len(await c.list_users(limit=5)) == 5


def _unreached(request: httpx.Request) -> httpx.Response:
    raise AssertionError("no request may be sent")


@pytest.mark.anyio
@pytest.mark.parametrize("proxy", [None, "http://127.0.0.1:3128"], ids=["direct", "proxied"])
async def test_verify_reaches_whichever_network_layer_is_chosen(proxy: str | None) -> None:
    context = ssl.create_default_context()
    client = PuhuriClient(API, TOKEN, verify=context, proxy=proxy)
    http, _ = client._transport._ensure_open()
    try:
        layers = [http._transport, *(m for m in http._mounts.values() if m is not None)]
        used = {id(_context_of(layer)) for layer in layers if proxy is None or layer in layers[1:]}
        assert used == {id(context)}
    finally:
        await client.aclose()


def _context_of(layer: object) -> object:
    """The TLS context of httpx's own transport or of the aiohttp one."""
    found = getattr(layer, "ssl_context", None)
    return found if found is not None else layer._pool._ssl_context  # type: ignore[attr-defined]
