"""The fake on a real loopback port, with plain httpx: answers, every fault kind, data changes."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from puhuri_async.testing import DataChange, FakeData, FakePuhuri, Fault

from ._util import AUTH, TOKEN, wait_for_log, wait_until


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakePuhuri, str]]:
    fake = FakePuhuri(FakeData.generate(users=40, seed=2), token=TOKEN)
    with fake.serve() as base_url:
        yield fake, base_url


@pytest.fixture
def fake(served: tuple[FakePuhuri, str]) -> Iterator[FakePuhuri]:
    fake = served[0]
    fake.clear_faults()
    fake.clear_requests()
    yield fake
    fake.clear_faults()


@pytest.fixture
def http(served: tuple[FakePuhuri, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served[1], headers=AUTH, timeout=5.0) as client:
        yield client


def test_base_url_and_absolute_links(served: tuple[FakePuhuri, str], http: httpx.Client) -> None:
    fake, base_url = served
    assert base_url.startswith("http://127.0.0.1:")
    assert base_url.endswith("/api/")
    response = http.get("users/", params={"page_size": 7})
    assert response.status_code == 200
    assert response.headers["X-Result-Count"] == "40"
    assert response.links["next"]["url"] == f"{base_url}users/?page=2&page_size=7"
    assert response.json()[0]["url"] == f"{base_url}users/{fake.data.users[0]['uuid']}/"
    following = http.get(response.links["next"]["url"])
    assert [u["uuid"] for u in following.json()] == [u["uuid"] for u in fake.data.users[7:14]]
    assert http.head("keys/").headers["X-Result-Count"] == "40"


def test_status_and_retry_after(fake: FakePuhuri, http: httpx.Client) -> None:
    fake.add_fault(Fault.error(429, retry_after=1, every=2, path="users/"))
    codes = [http.get("users/") for _ in range(4)]
    assert [r.status_code for r in codes] == [200, 429, 200, 429]
    assert codes[1].headers["Retry-After"] == "1"


def test_html_and_malformed(fake: FakePuhuri, http: httpx.Client) -> None:
    fake.add_fault(Fault.html(at=(1,)))
    fake.add_fault(Fault.malformed(at=(2,)))
    page = http.get("users/")
    assert (page.status_code, page.headers["Content-Type"][:9]) == (200, "text/html")
    broken = http.get("users/")
    assert broken.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        broken.json()
    assert http.get("users/").json()


def test_dropped_connection(fake: FakePuhuri, http: httpx.Client) -> None:
    fake.add_fault(Fault.drop(path="keys/", at=(1,)))
    with pytest.raises(httpx.RemoteProtocolError):
        http.get("keys/")
    assert http.get("keys/").status_code == 200
    assert [r.fault for r in fake.requests] == ["drop", None]


@pytest.mark.parametrize("applied", [False, True])
def test_dropped_post(fake: FakePuhuri, http: httpx.Client, applied: bool) -> None:
    order = fake.data.add_order(resource=fake.data.resources[0], state="pending-provider")
    fake.add_fault(Fault.drop(method="POST", applied=applied, at=(1,)))
    with pytest.raises(httpx.RemoteProtocolError):
        http.post(f"marketplace-orders/{order['uuid']}/approve_by_provider/", json={})
    assert order["state"] == ("executing" if applied else "pending-provider")


@pytest.mark.parametrize("applied", [False, True])
def test_slow_answer(fake: FakePuhuri, http: httpx.Client, applied: bool) -> None:
    order = fake.data.add_order(resource=fake.data.resources[0], state="pending-provider")
    fake.add_fault(Fault.slow(5.0, method="POST", applied=applied, at=(1,)))
    path = f"marketplace-orders/{order['uuid']}/approve_by_provider/"
    with pytest.raises(httpx.ReadTimeout):
        http.post(path, json={}, timeout=0.05)
    records = wait_for_log(fake, lambda log: len(log) == 1)
    assert [(r.fault, r.applied) for r in records] == [("slow", applied)]
    assert order["state"] == ("executing" if applied else "pending-provider")
    assert http.get("users/").status_code == 200


def test_error_after_the_post_applied(fake: FakePuhuri, http: httpx.Client) -> None:
    resource = fake.data.resources[1]
    fake.add_fault(Fault.error(502, method="POST", applied=True, at=(1,)))
    path = f"marketplace-provider-resources/{resource['uuid']}/set_backend_id/"
    assert http.post(path, json={"backend_id": "lb-1"}).status_code == 502
    assert resource["backend_id"] == "lb-1"
    assert http.post(path, json={"backend_id": "lb-1"}).json() == {
        "status": "Resource backend_id is not changed."
    }
    assert [(r.status, r.applied) for r in fake.requests_for("POST", path)] == [
        (502, True),
        (200, True),
    ]


def test_data_change_between_pages(fake: FakePuhuri, http: httpx.Client) -> None:
    before = [k["uuid"] for k in fake.data.ssh_keys]
    fake.schedule_change(DataChange("ssh_keys", insert=1, after=1, path="keys/"))
    first = http.get("keys/", params={"page_size": 10}).json()
    second = http.get("keys/", params={"page_size": 10, "page": 2}).json()
    assert [k["uuid"] for k in first] == before[:10]
    assert second[0]["uuid"] == before[9]
    fake.delete("ssh_keys", 1, at=0)


def test_open_connections_are_counted(served: tuple[FakePuhuri, str]) -> None:
    fake, base_url = served
    with (
        httpx.Client(base_url=base_url, headers=AUTH) as one,
        httpx.Client(base_url=base_url, headers=AUTH) as two,
    ):
        one.get("users/")
        two.get("users/")
        assert fake.open_connections() == 2
    assert wait_until(lambda: fake.open_connections() == 0)
    assert FakePuhuri(fake.data).open_connections() == 0


def test_answers_are_sent_without_delay(served: tuple[FakePuhuri, str]) -> None:
    """Served connections have TCP_NODELAY, so no answer waits for a delayed ACK."""
    fake, base_url = served
    with httpx.Client(base_url=base_url, headers=AUTH) as http:
        http.get("users/")
        sockets = [
            connection.transport.get_extra_info("socket")
            for server in fake._servers
            for connection in server.server_state.connections
        ]
        assert sockets
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in sockets)


def test_a_page_asked_for_again_is_kept_until_the_data_changes(
    fake: FakePuhuri, http: httpx.Client, served: tuple[FakePuhuri, str]
) -> None:
    """Pages are encoded once and kept, with their copy for the origin they were sent to: the
    same page asked for again is the same answer; a page through another origin has its own
    URLs; a change of the data makes every page anew."""
    base_url = served[1]
    first = http.get("users/", params={"page_size": 40})
    assert len(first.content) > 16 * 1024  # large enough for its copy to be kept
    again = http.get("users/", params={"page_size": 40})
    assert again.content == first.content
    assert again.json()[0]["url"] == f"{base_url}users/{fake.data.users[0]['uuid']}/"
    with fake.serve() as other:
        elsewhere = httpx.get(f"{other}users/", params={"page_size": 40}, headers=AUTH)
    assert other != base_url
    assert elsewhere.json()[0]["url"] == f"{other}users/{fake.data.users[0]['uuid']}/"
    assert http.get("users/", params={"page_size": 40}).content == first.content
    added = fake.insert("users", 1, at=0)
    try:
        changed = http.get("users/", params={"page_size": 40})
        assert changed.headers["X-Result-Count"] == "41"
        assert [u["uuid"] for u in changed.json()] == [u["uuid"] for u in fake.data.users[:40]]
        assert changed.json()[0]["uuid"] == added[0]["uuid"]
        assert changed.json()[0]["url"] == f"{base_url}users/{added[0]['uuid']}/"
    finally:
        fake.delete("users", 1, at=0)
    assert http.get("users/", params={"page_size": 40}).json() == first.json()
