"""The token never leaves the API origin; TLS verification is on unless turned off, loudly.

End to end on loopback servers: the API (a ``HostileApi`` in front of the fake, over plain
HTTP or TLS with a test CA) points the client at an "other host" (a second fake on another
port, another host name for the same server, or plain HTTP on the TLS port). The client must
refuse with ``CrossOriginError`` and the other server must see no request at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from puhuri_async import (
    APIError,
    CrossOriginError,
    InsecureTLSWarning,
    PuhuriClient,
    RetryEvent,
    RetryPolicy,
    SyncPuhuriClient,
    TransportError,
)
from puhuri_async.testing import FakeData, FakePuhuri

from ._servers import HostileApi, serve
from ._support import FAST_RETRY, TOKEN

pytestmark = [pytest.mark.anyio]

PAGE_SIZE = 5


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_path(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="module")
def other() -> Iterator[tuple[FakePuhuri, str]]:
    """The "other host": a second fake, on its own port, that must never be asked anything."""
    fake = FakePuhuri(FakeData.generate(users=3), token=None)
    with fake.serve() as base_url:
        yield fake, base_url.removesuffix("/api/")


@pytest.fixture(scope="module", params=["http", "https"])
def hostile(
    request: pytest.FixtureRequest, ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HostileApi]:
    api = HostileApi(FakePuhuri(FakeData.generate(users=30, seed=4), token=TOKEN))
    tls = ca.issue_cert("127.0.0.1") if request.param == "https" else None
    with serve(api, tls=tls, tmp=tmp_path_factory.mktemp("tls")) as origin:
        api.origin = origin
        yield api


@pytest.fixture
def api(hostile: HostileApi, other: tuple[FakePuhuri, str]) -> Iterator[HostileApi]:
    hostile.link_origin = hostile.redirect_to = None
    hostile.drop_count = False
    hostile.redirect_status = 302
    hostile.received.clear()
    other[0].clear_requests()
    yield hostile
    assert other[0].requests == [], "the other host was asked something"


def targets(api: HostileApi, other_origin: str) -> dict[str, str]:
    """Origins that are not the API's: another port, another host name, another scheme."""
    port = api.origin.rsplit(":", 1)[1]
    scheme = api.origin.split(":", 1)[0]
    flipped = "http" if scheme == "https" else "https"
    return {
        "other port": other_origin,
        "other host": f"{scheme}://localhost:{port}",
        # On the TLS API this is the https -> http downgrade.
        "other scheme": f"{flipped}://127.0.0.1:{port}",
    }


def client_for(api: HostileApi, ca_path: str, **options: Any) -> PuhuriClient:
    return PuhuriClient(api.origin + "/api/", TOKEN, page_size=PAGE_SIZE, verify=ca_path, **options)


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("target", ["other port", "other host", "other scheme"])
@pytest.mark.parametrize("count", ["with count", "without count"])
async def test_link_to_another_origin_is_refused(
    api: HostileApi, other: tuple[FakePuhuri, str], ca_path: str, target: str, count: str
) -> None:
    """A ``next`` link off the origin: refused, whether pages are fetched concurrently (with
    ``X-Result-Count``) or by following ``next`` (without)."""
    api.link_origin = targets(api, other[1])[target]
    api.drop_count = count == "without count"
    # Page 1 alone: pages 2-4 sent with it would be cut off by its error, and might reach this
    # module's shared server only during the next test.
    async with client_for(api, ca_path, first_window=1) as client:
        with pytest.raises(CrossOriginError) as info:
            await client.list_users()
    error = info.value
    assert error.target.startswith(api.link_origin)
    assert error.operation == "list_users"
    assert "outside the API origin" in str(error)
    assert api.received == [("GET", "/api/users/")]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("target", ["other port", "other host", "other scheme"])
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_to_another_origin_is_refused(
    api: HostileApi, other: tuple[FakePuhuri, str], ca_path: str, target: str, status: int
) -> None:
    api.redirect_to = targets(api, other[1])[target] + "/api/users/"
    api.redirect_status = status
    async with client_for(api, ca_path) as client:
        with pytest.raises(CrossOriginError) as info:
            await client.get_marketplace_offering("a" * 32)
    assert info.value.source == "redirect to"
    assert info.value.method == "GET"
    assert api.received == [("GET", f"/api/marketplace-provider-offerings/{'a' * 32}/")]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_redirect_of_a_post_is_never_followed(
    api: HostileApi, other: tuple[FakePuhuri, str], ca_path: str
) -> None:
    api.redirect_to = other[1] + "/api/marketplace-orders/x/approve_by_provider/"
    api.redirect_status = 307
    async with client_for(api, ca_path) as client:
        with pytest.raises(APIError, match="not followed") as info:
            await client.marketplace_order_approve_by_provider("b" * 32)
    assert info.value.status_code == 307
    assert len(api.received) == 1


# -- TLS ------------------------------------------------------------------------------------------


@pytest.fixture
def tls_api(hostile: HostileApi) -> HostileApi:
    if not hostile.origin.startswith("https"):
        pytest.fail("tls_api needs the https instance of `hostile`")  # pragma: no cover
    hostile.link_origin = hostile.redirect_to = None
    return hostile


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.parametrize("hostile", ["https"], indirect=True)
async def test_tls_verification_is_on_by_default(tls_api: HostileApi, recwarn: Any) -> None:
    """The test CA is not trusted by default: the certificate is refused, nothing is sent."""
    tls_api.received.clear()
    async with PuhuriClient(tls_api.origin + "/api/", TOKEN, retry=RetryPolicy.none()) as client:
        with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get_marketplace_offering("a" * 32)
    assert tls_api.received == []
    assert not [w for w in recwarn if issubclass(w.category, InsecureTLSWarning)]


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.parametrize("hostile", ["https"], indirect=True)
async def test_untrusted_certificate_is_not_retried(tls_api: HostileApi) -> None:
    """Retrying cannot make a certificate trusted: one attempt, a clear ``TransportError``
    (for a POST too: nothing was sent, so its outcome is known)."""
    tls_api.received.clear()
    retries: list[RetryEvent] = []
    async with PuhuriClient(
        tls_api.origin + "/api/", TOKEN, retry=FAST_RETRY, on_retry=retries.append
    ) as client:
        with pytest.raises(TransportError) as got:
            await client.get_marketplace_offering("a" * 32)
        with pytest.raises(TransportError) as posted:
            await client.marketplace_order_approve_by_provider("b" * 32)
        requests = client.stats.requests
    for info in (got, posted):
        error = info.value
        assert type(error) is TransportError
        assert str(error).count("TLS certificate verification failed for host 127.0.0.1: ") == 1
        assert "CERTIFICATE_VERIFY_FAILED" in str(error)
        assert error.retries == 0
        assert isinstance(error.__cause__, httpx.ConnectError)
    assert retries == []
    assert requests == 2
    assert tls_api.received == []


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("hostile", ["https"], indirect=True)
async def test_verify_false_warns_for_that_client_only(tls_api: HostileApi, ca_path: str) -> None:
    offering = tls_api.fake.data.offerings[0]["uuid"]
    with pytest.warns(InsecureTLSWarning, match="verification is off") as caught:
        insecure = PuhuriClient(tls_api.origin + "/api/", TOKEN, verify=False)
    with pytest.warns(InsecureTLSWarning) as caught_sync:
        SyncPuhuriClient(tls_api.origin + "/api/", TOKEN, verify=False).close()
    assert len(caught) == 1
    assert caught[0].filename == __file__, "the warning should point at the caller's line"
    assert [w.filename for w in caught_sync] == [__file__]
    # The other clients, made after it, do not warn (warnings are errors in this suite).
    trusted = PuhuriClient(tls_api.origin + "/api/", TOKEN, verify=ca_path)
    default = PuhuriClient(tls_api.origin + "/api/", TOKEN, retry=RetryPolicy.none())
    async with insecure, trusted, default:
        assert (await insecure.get_marketplace_offering(offering)).uuid == offering
        assert (await trusted.get_marketplace_offering(offering)).uuid == offering
        with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
            await default.get_marketplace_offering(offering)


def test_tls_fixture_paths(ca_path: str) -> None:
    assert Path(ca_path).read_text().startswith("-----BEGIN CERTIFICATE-----")
