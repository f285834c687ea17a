"""The TLS context: made once per process, only for https clients, shared by every verify=True
client; CA bundle paths, custom contexts and verify=False as before."""

from __future__ import annotations

import ssl
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from puhuri_async import InsecureTLSWarning
from puhuri_async import _tls as tls_module
from puhuri_async._http import Transport
from puhuri_async._tls import default_tls_context

from ._fakes import TOKEN

pytestmark = pytest.mark.anyio


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[ssl.SSLContext]:
    """A fresh process-wide state, and every default context made from now on."""
    contexts: list[ssl.SSLContext] = []
    original = httpx.create_ssl_context

    def create_ssl_context(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        context = original(*args, **kwargs)
        contexts.append(context)
        return context

    monkeypatch.setattr(tls_module, "_tls_contexts", {})
    monkeypatch.setattr(httpx, "create_ssl_context", create_ssl_context)
    return contexts


def context_of(transport: Transport) -> Any:
    """The SSL context the transport's connection pool would connect with (httpx's pool, or
    the aiohttp transport's, whichever sends)."""
    client, _ = transport._ensure_open()
    network = client._transport
    if hasattr(network, "ssl_context"):
        return network.ssl_context
    return network._pool._ssl_context  # type: ignore[attr-defined]


async def test_https_clients_share_one_default_context(made: list[ssl.SSLContext]) -> None:
    first = Transport("https://puhuri.test/api/", TOKEN)
    second = Transport("https://other.test/api/", TOKEN)
    assert made == []  # nothing is loaded before the first connection is prepared
    async with first, second:
        assert context_of(first) is context_of(second) is default_tls_context()
    assert len(made) == 1
    context = made[0]
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0


async def test_plain_http_loads_no_ca_bundle(made: list[ssl.SSLContext]) -> None:
    transport = Transport("http://127.0.0.1:8000/api/", TOKEN)
    async with transport:
        context = context_of(transport)
    assert made == []
    # Never used (the token is pinned to the http origin), and it would trust no one if it were.
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0


async def test_an_injected_transport_loads_nothing(made: list[ssl.SSLContext]) -> None:
    transport = Transport(
        "https://puhuri.test/api/",
        TOKEN,
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json={})),
    )
    async with transport:
        assert (await transport.request("GET", "x/", operation="op")).data == {}
    assert made == []


def test_made_once_from_many_threads(made: list[ssl.SSLContext]) -> None:
    start = threading.Barrier(8)
    got: list[ssl.SSLContext] = []

    def worker() -> None:
        start.wait()
        got.append(default_tls_context())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1
    assert len(got) == 8
    assert all(context is made[0] for context in got)


async def test_ca_bundle_custom_context_and_verify_false(
    made: list[ssl.SSLContext], tmp_path: Path
) -> None:
    ca_path = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(ca_path))
    mine = ssl.create_default_context()
    bundle = Transport("https://puhuri.test/api/", TOKEN, verify=str(ca_path))
    custom = Transport("https://puhuri.test/api/", TOKEN, verify=mine)
    with pytest.warns(InsecureTLSWarning, match="verification is off"):
        insecure = Transport("https://puhuri.test/api/", TOKEN, verify=False)
    async with bundle, custom, insecure:
        from_bundle = context_of(bundle)
        assert from_bundle is not default_tls_context()
        assert from_bundle.cert_store_stats()["x509_ca"] == 1  # the test CA alone
        assert context_of(custom) is mine
        assert context_of(insecure).verify_mode == ssl.CERT_NONE
    assert made == [default_tls_context()]  # only the explicit call above made it
