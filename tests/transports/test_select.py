"""Which transport a client gets: aiohttp on asyncio when it is installed, httpx's own on trio,
with a proxy in the environment, or when ``PUHURI_ASYNC_HTTP`` says so."""

from __future__ import annotations

import ssl

import anyio
import httpx
import pytest

from puhuri_async import _transports
from puhuri_async._transports._aiohttp import AiohttpTransport

LIMITS = httpx.Limits(max_connections=7, keepalive_expiry=3.0)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.delenv(_transports.ENVIRONMENT, raising=False)


@pytest.mark.asyncio
async def test_on_asyncio_the_aiohttp_transport_is_chosen_with_the_callers_tls_and_limits() -> None:
    context = ssl.create_default_context()
    chosen = _transports.select(verify=context, limits=LIMITS)
    assert isinstance(chosen, AiohttpTransport)
    assert chosen.ssl_context is context
    assert chosen._max_connections == 7
    assert chosen._keepalive == 3.0


def test_on_trio_httpx_is_used() -> None:
    async def main() -> object:
        return _transports.select(verify=True, limits=LIMITS)

    assert anyio.run(main, backend="trio") is None


def test_outside_an_event_loop_nothing_is_chosen() -> None:
    assert _transports.select(verify=True, limits=LIMITS) is None


@pytest.mark.asyncio
@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "http_proxy", "ALL_PROXY"])
async def test_a_proxy_in_the_environment_keeps_httpx_which_honours_it(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "http://127.0.0.1:3128")
    assert _transports.select(verify=True, limits=LIMITS) is None
    # Unless the client does not read the environment.
    assert isinstance(
        _transports.select(verify=True, limits=LIMITS, trust_env=False), AiohttpTransport
    )


@pytest.mark.asyncio
@pytest.mark.parametrize(("value", "aiohttp"), [("httpx", False), ("aiohttp", True), ("", True)])
async def test_the_environment_variable_chooses(
    monkeypatch: pytest.MonkeyPatch, value: str, aiohttp: bool
) -> None:
    monkeypatch.setenv(_transports.ENVIRONMENT, value)
    chosen = _transports.select(verify=True, limits=LIMITS)
    assert isinstance(chosen, AiohttpTransport) is aiohttp


@pytest.mark.asyncio
async def test_an_unknown_choice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_transports.ENVIRONMENT, "curl")
    with pytest.raises(ValueError, match="PUHURI_ASYNC_HTTP"):
        _transports.select(verify=True, limits=LIMITS)


@pytest.mark.asyncio
async def test_asking_for_aiohttp_without_it_installed_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_transports.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setenv(_transports.ENVIRONMENT, "aiohttp")
    with pytest.raises(RuntimeError, match="not installed"):
        _transports.select(verify=True, limits=LIMITS)
    monkeypatch.setenv(_transports.ENVIRONMENT, "auto")
    assert _transports.select(verify=True, limits=LIMITS) is None


def test_the_aiohttp_transport_refuses_trio_in_so_many_words() -> None:
    async def main() -> None:
        async with httpx.AsyncClient(transport=AiohttpTransport()) as client:
            await client.get("http://127.0.0.1:1/")

    with pytest.raises(RuntimeError, match="asyncio only"):
        anyio.run(main, backend="trio")
