"""The client's ``httpx.AsyncClient`` and its short ways: a page request built without parsing
its list URL again is the request httpx builds, and a request sent straight to the aiohttp
transport carries what httpx's ``send`` would have put on it (the token on the API origin only,
the request on its answer and on its errors)."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest

from puhuri_async._auth import PinnedTokenAuth, Redactor, Tokens
from puhuri_async._httpx_client import PuhuriHttpxClient
from puhuri_async._transports._aiohttp import AiohttpTransport
from puhuri_async._urls import origin_of

from ._raw import RawServer, answer, serving

ORIGIN = "http://127.0.0.1:8000"
HEADERS = {"Accept": "application/json", "User-Agent": "puhuri-async/test"}


def client(
    transport: httpx.AsyncBaseTransport | None = None, origin: str = ORIGIN
) -> PuhuriHttpxClient:
    tokens = Tokens("0123456789abcdef", "Token", Redactor())
    auth = PinnedTokenAuth(tokens, origin_of(origin + "/api/"))
    return PuhuriHttpxClient(
        auth=auth, direct=True, headers=HEADERS, transport=transport, follow_redirects=False
    )


URLS = [
    f"{ORIGIN}/api/users/?page=2&page_size=300",
    f"{ORIGIN}/api/users/?page_size=300&page=17",
    f"{ORIGIN}/api/users/?o=-created&name=a+b&email=x%40y.org&page=3&page_size=10",
    f"{ORIGIN}/api/users/?name=%C3%A9t%c3%a9&page=1&page_size=5",
    f"{ORIGIN}/api/users/?",
    f"{ORIGIN}/api/users/",
    f"{ORIGIN}/api/users/?name=a b&page=2",  # not plain: httpx quotes it
    f"{ORIGIN}/api/users/?name=a%2&page=2",  # a broken escape: httpx quotes the "%"
    f"{ORIGIN}/api/users/?name=ä&page=2",
    f"{ORIGIN}/api/users/?next=/api/x/?a=1&page=2",
    f"{ORIGIN}/api/users/?a=1#frag",
    f"{ORIGIN}/api/../api/./users/?page=2",
    f"{ORIGIN}/api/users/0b3e5c0e1a2b4c5d9e8f7a6b5c4d3e2f/",
    f"{ORIGIN}/api/users/a%20b/",
    f"{ORIGIN}/api/users/a b/",
    f"{ORIGIN}/api/users/ä/",
    f"{ORIGIN}/api/.well-known/x",
    f"{ORIGIN}/api/users/..",
    f"{ORIGIN}/api//users/",
    f"{ORIGIN}",
    f"{ORIGIN}?a=1",
    "HTTP://127.0.0.1:80/api/keys/?page=4&page_size=300",
    "https://Puhuri.Example:443/api/keys/?page=4&page_size=300",
    "https://user:pw@puhuri.example/api/keys/?page=4",
    "http://[::1]:8000/api/keys/?page=4",
    "http://127.0.0.1:8000?next=/api/keys/",
]


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE", "OPTIONS", "POST"])
@pytest.mark.parametrize("url", URLS)
def test_a_request_without_a_body_is_the_request_httpx_builds(url: str, method: str) -> None:
    timeout = httpx.Timeout(5.0, connect=2.0)
    http = client()
    for _ in range(2):  # the first URL of an origin teaches it, the next ones use it
        expected = http.build_request(method, url, timeout=timeout)
        built = http.get_request(url, timeout, method)
        assert built.method == method
        assert built.url == expected.url
        assert str(built.url) == str(expected.url)
        assert built.url.raw_path == expected.url.raw_path
        assert built.headers.raw == expected.headers.raw
        assert built.extensions == expected.extensions
        assert built.content == expected.content == b""
        assert type(built.stream) is type(expected.stream)


def test_requests_share_their_parsed_origin_but_not_its_headers() -> None:
    http = client()
    timeout = httpx.Timeout(5.0)
    first = http.get_request(f"{ORIGIN}/api/users/?page=1&page_size=300", timeout)
    first.headers["Authorization"] = "Token changed"
    second = http.get_request(f"{ORIGIN}/api/users/?page=2&page_size=300", timeout)
    assert "Authorization" not in second.headers
    assert second.url.params["page"] == "2"
    assert first.url.params["page"] == "1"
    assert list(http._origins) == [ORIGIN]


def test_an_invalid_url_fails_as_httpx_fails_it() -> None:
    http = client()
    with pytest.raises(httpx.InvalidURL):
        http.build_request("GET", f"{ORIGIN}/api/us\x00ers/?page=2")
    with pytest.raises(httpx.InvalidURL):
        http.get_request(f"{ORIGIN}/api/us\x00ers/?page=2", httpx.Timeout(5.0))
    with pytest.raises(httpx.InvalidURL):
        http.get_request(f"{ORIGIN}/api/users/?page=2\x00", httpx.Timeout(5.0))


def keep_answering(conn: socket.socket, server: RawServer) -> None:
    while server.read_request(conn) is not None:
        conn.sendall(answer())


@pytest.mark.asyncio
async def test_a_direct_request_carries_the_token_and_gets_its_request_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with serving(keep_answering) as server:
        origin = server.url.removesuffix("/").removesuffix("/api")
        http = client(AiohttpTransport(), origin=origin)
        async with http:
            request = http.get_request(server.url + "users/?page=2", httpx.Timeout(5.0))
            with caplog.at_level(logging.INFO, logger="httpx"):
                response = await http.send(request, stream=True)
            await response.aread()
            await response.aclose()
            elsewhere = http.build_request("GET", "http://localhost:1/api/users/")
        assert response.request is request
        assert response.status_code == 200
        assert request.headers["Authorization"] == "Token 0123456789abcdef"
        assert any("HTTP Request: GET" in record.getMessage() for record in caplog.records)
        seen = server.requests[0]
    assert b"authorization: token 0123456789abcdef" in seen.lower()
    http._pinned.apply(elsewhere)  # the token goes to the API origin only
    assert "Authorization" not in elsewhere.headers


@pytest.mark.asyncio
async def test_a_direct_request_that_fails_has_its_request() -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        port = blocker.getsockname()[1]
    http = client(AiohttpTransport(), origin=f"http://127.0.0.1:{port}")
    async with http:
        request = http.get_request(f"http://127.0.0.1:{port}/api/users/", httpx.Timeout(5.0))
        with pytest.raises(httpx.ConnectError) as caught:
            await http.send(request, stream=True)
    assert caught.value.request is request


@pytest.mark.asyncio
async def test_other_transports_take_httpx_s_full_path() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Set-Cookie": "a=1"}, json={"ok": True})

    tokens = Tokens("0123456789abcdef", "Token", Redactor())
    http = PuhuriHttpxClient(
        auth=PinnedTokenAuth(tokens, origin_of(ORIGIN + "/api/")),
        direct=True,
        transport=httpx.MockTransport(handler),
    )
    assert http._direct is None  # a mock is not called directly
    async with http:
        response = await http.send(http.get_request(f"{ORIGIN}/api/users/", httpx.Timeout(1)))
    assert response.json() == {"ok": True}
    assert seen[0].headers["Authorization"] == "Token 0123456789abcdef"


@pytest.mark.asyncio
async def test_event_hooks_and_unstreamed_sends_take_httpx_s_full_path() -> None:
    hooked: list[str] = []

    async def hook(request: httpx.Request) -> None:
        hooked.append(str(request.url))

    mock = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
    tokens = Tokens("0123456789abcdef", "Token", Redactor())
    auth = PinnedTokenAuth(tokens, origin_of(ORIGIN + "/api/"))
    http = PuhuriHttpxClient(
        auth=auth, direct=True, transport=mock, event_hooks={"request": [hook]}
    )
    http._direct = mock  # as if the mock could be called directly: the hooks still stop it
    async with http:
        response = await http.send(
            http.get_request(f"{ORIGIN}/api/users/", httpx.Timeout(1)), stream=True
        )
        await response.aclose()
    assert hooked == [f"{ORIGIN}/api/users/"]
    plain = PuhuriHttpxClient(auth=auth, direct=True, transport=mock)
    plain._direct = mock
    async with plain:
        response = await plain.send(plain.get_request(f"{ORIGIN}/api/users/", httpx.Timeout(1)))
    assert response.is_stream_consumed  # read by httpx's send, as stream=False asks
    assert response.json() == {"ok": True}


@pytest.mark.asyncio
async def test_httpx_s_own_transport_is_called_directly_unless_a_proxy_is_mounted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tokens = Tokens("0123456789abcdef", "Token", Redactor())
    auth = PinnedTokenAuth(tokens, origin_of(ORIGIN + "/api/"))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    own = PuhuriHttpxClient(auth=auth, direct=True)
    assert own._direct is own._transport
    assert type(own._direct) is httpx.AsyncHTTPTransport
    proxied = PuhuriHttpxClient(auth=auth, direct=True, proxy="http://127.0.0.1:3128")
    assert proxied._direct is None
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    from_environment = PuhuriHttpxClient(auth=auth, direct=True)
    assert from_environment._direct is None
    unasked = PuhuriHttpxClient(auth=auth, direct=False, transport=AiohttpTransport())
    assert unasked._direct is None
    for http in (own, proxied, from_environment, unasked):
        await http.aclose()


@pytest.mark.asyncio
async def test_a_direct_request_over_httpx_s_transport_that_fails_has_its_request() -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        port = blocker.getsockname()[1]
    http = client(httpx.AsyncHTTPTransport(), origin=f"http://127.0.0.1:{port}")
    assert http._direct is not None
    async with http:
        request = http.get_request(f"http://127.0.0.1:{port}/api/users/", httpx.Timeout(5.0))
        with pytest.raises(httpx.ConnectError) as caught:
            await http.send(request, stream=True)
    assert caught.value.request is request
