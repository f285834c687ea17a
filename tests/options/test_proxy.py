"""``proxy=``: every request goes through it, the token only on the API origin's requests, the
environment's proxy variables read only without it; bad values refused up front.

A list call here is one request: the clients ask for page 1 alone (``first_window=1``), as
the servers here answer every request with the same one-page list."""

from __future__ import annotations

import pytest

from puhuri_async import (
    InvalidArgumentError,
    PuhuriClient,
    RetryPolicy,
    ServerError,
    SyncPuhuriClient,
    TransportError,
)

from ._proxy import closed_port, forward_proxy

TOKEN = "proxy-test-token-0123456789"
ORIGIN = "http://puhuri.invalid"
NONE = RetryPolicy.none()
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def _no_environment_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.mark.anyio
async def test_requests_go_through_the_proxy_with_the_token_for_the_api_origin() -> None:
    async with (
        forward_proxy() as proxy,
        PuhuriClient(
            f"{ORIGIN}/api/", TOKEN, proxy=proxy.url, retry=NONE, first_window=1
        ) as client,
    ):
        users = await client.list_users()
    assert [u.username for u in users] == ["via-proxy"]
    [asked] = proxy.asked
    assert asked.method == "GET"
    assert asked.target.startswith(f"{ORIGIN}/api/users/")  # the absolute form: proxied
    assert asked.headers["authorization"] == f"Token {TOKEN}"


@pytest.mark.anyio
async def test_an_https_origin_is_tunnelled_and_the_proxy_never_sees_the_token() -> None:
    async with (
        forward_proxy() as proxy,
        PuhuriClient(
            "https://puhuri.invalid/api/", TOKEN, proxy=proxy.url, retry=NONE, first_window=1
        ) as client,
    ):
        with pytest.raises(TransportError) as caught:
            await client.list_users()
    [asked] = proxy.asked
    assert (asked.method, asked.target) == ("CONNECT", "puhuri.invalid:443")
    assert "authorization" not in asked.headers
    assert TOKEN not in str(caught.value)


@pytest.mark.anyio
async def test_without_proxy_the_environment_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    async with forward_proxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with PuhuriClient(f"{ORIGIN}/api/", TOKEN, retry=NONE, first_window=1) as client:
            assert len(await client.list_users()) == 1
    assert len(proxy.asked) == 1


@pytest.mark.anyio
async def test_proxy_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{await closed_port()}")
    monkeypatch.setenv("NO_PROXY", "puhuri.invalid")
    async with (
        forward_proxy() as proxy,
        PuhuriClient(
            f"{ORIGIN}/api/", TOKEN, proxy=proxy.url, retry=NONE, first_window=1
        ) as client,
    ):
        assert len(await client.list_users()) == 1
    assert len(proxy.asked) == 1  # neither the variable's proxy nor NO_PROXY applied


def test_the_sync_client_takes_a_proxy() -> None:
    import anyio

    async def serve_and_call() -> list[str]:
        async with forward_proxy() as proxy:
            with SyncPuhuriClient(
                f"{ORIGIN}/api/", TOKEN, proxy=proxy.url, retry=NONE, first_window=1
            ) as c:
                users = await anyio.to_thread.run_sync(c.list_users)
        return [user.username for user in users]

    assert anyio.run(serve_and_call) == ["via-proxy"]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("ftp://proxy.example:21", "scheme 'ftp'"),
        ("proxy.example:3128", "no scheme"),
        ("http://", "no host"),
        ("", "expected a proxy URL"),
        (3128, "expected a proxy URL"),
    ],
)
def test_a_bad_proxy_is_refused_naming_it(value: object, says: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        PuhuriClient(f"{ORIGIN}/api/", TOKEN, proxy=value)  # type: ignore[arg-type]
    assert caught.value.argument == "proxy"
    assert says in str(caught.value)


def test_a_proxy_password_is_never_repeated() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        PuhuriClient(f"{ORIGIN}/api/", TOKEN, proxy="ftp://user:s3cret-proxy-pw@proxy.example")
    assert "s3cret-proxy-pw" not in str(caught.value)


@pytest.mark.anyio
async def test_a_proxy_password_is_scrubbed_from_errors() -> None:
    port = await closed_port()
    secret = "s3cret-proxy-pw"
    async with PuhuriClient(
        f"{ORIGIN}/api/",
        TOKEN,
        proxy=f"http://user:{secret}@127.0.0.1:{port}",
        retry=NONE,
        first_window=1,
    ) as client:
        with pytest.raises(TransportError) as caught:
            await client.list_users()
    assert secret not in str(caught.value)
    assert secret not in repr(caught.value)


@pytest.mark.anyio
async def test_proxy_credentials_echoed_by_the_proxy_are_scrubbed() -> None:
    secret = "s3cret-proxy-pw"
    async with forward_proxy() as proxy:
        with_auth = proxy.url.replace("http://", f"http://agent:{secret}@")
        async with PuhuriClient(
            f"{ORIGIN}/echo/api/", TOKEN, proxy=with_auth, retry=NONE, first_window=1
        ) as client:
            with pytest.raises(ServerError) as caught:
                await client.list_users()
    [asked] = proxy.asked
    sent = asked.headers["proxy-authorization"]
    assert sent.startswith("Basic ")
    error = caught.value
    text = f"{error} {error!r} {error.detail} {error.body!r}"
    for secret_form in (TOKEN, secret, sent.removeprefix("Basic ")):
        assert secret_form not in text
    assert "***" in str(error.body)
