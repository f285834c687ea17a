"""Waldur's page-number pagination: pages, sizes, X-Result-Count, Link, HEAD."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from puhuri_async.testing import FakeData, FakePuhuri

from ._util import TOKEN, client_for

pytestmark = pytest.mark.anyio


def links(response: httpx.Response) -> dict[str, str]:
    return {rel: link["url"] for rel, link in response.links.items()}


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


async def test_first_page_defaults(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    response = await client.get("users/")
    assert response.status_code == 200
    assert response.headers["X-Result-Count"] == "25"
    assert [u["uuid"] for u in response.json()] == [u["uuid"] for u in fake.data.users[:10]]
    assert links(response) == {
        "first": "http://puhuri.test/api/users/",
        "next": "http://puhuri.test/api/users/?page=2",
        "last": "http://puhuri.test/api/users/?page=3",
    }


async def test_middle_and_last_pages(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    middle = await client.get("users/", params={"page": 2})
    assert [u["uuid"] for u in middle.json()] == [u["uuid"] for u in fake.data.users[10:20]]
    assert links(middle) == {
        "first": "http://puhuri.test/api/users/",
        "prev": "http://puhuri.test/api/users/",
        "next": "http://puhuri.test/api/users/?page=3",
        "last": "http://puhuri.test/api/users/?page=3",
    }
    last = await client.get("users/", params={"page": 3})
    assert len(last.json()) == 5
    assert set(links(last)) == {"first", "prev", "last"}
    assert links(last)["prev"] == "http://puhuri.test/api/users/?page=2"
    by_name = await client.get("users/", params={"page": "last"})
    assert by_name.json() == last.json()


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "1.5", ""])
async def test_invalid_pages_are_404(client: httpx.AsyncClient, page: str) -> None:
    response = await client.get("users/", params={"page": page})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize(
    ("page_size", "expected"),
    [("0", 10), ("-3", 10), ("abc", 10), ("1", 1), ("7", 7), ("300", 25), ("301", 25)],
)
async def test_page_sizes(client: httpx.AsyncClient, page_size: str, expected: int) -> None:
    response = await client.get("users/", params={"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()) == expected
    assert response.headers["X-Result-Count"] == "25"


async def test_page_size_is_clamped_to_300() -> None:
    fake = FakePuhuri(FakeData.generate(users=305, projects=3, orders=0), token=TOKEN)
    async with client_for(fake) as http:
        first = await http.get("users/", params={"page_size": 301})
        assert len(first.json()) == 300
        assert first.headers["X-Result-Count"] == "305"
        assert links(first)["last"] == "http://puhuri.test/api/users/?page=2&page_size=301"
        second = await http.get(links(first)["next"])
        assert len(second.json()) == 5
        exact = await http.get("users/", params={"page_size": 300, "page": 2})
        assert exact.json() == second.json()


async def test_page_size_one_walks_every_item(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    seen = []
    url: str | None = "users/?page_size=1"
    while url:
        response = await client.get(url)
        seen += [u["uuid"] for u in response.json()]
        url = response.links.get("next", {}).get("url")
    assert seen == [u["uuid"] for u in fake.data.users]


async def test_links_keep_other_parameters_sorted_and_absolute(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    params = [("state", "OK"), ("field", "uuid"), ("field", "name"), ("page_size", "2")]
    response = await client.get("marketplace-provider-resources/", params=params)
    count = int(response.headers["X-Result-Count"])
    assert count == sum(r["state"] == "OK" for r in fake.data.resources) > 2
    next_url = links(response)["next"]
    assert next_url.startswith("http://puhuri.test/api/marketplace-provider-resources/?")
    assert query_of(next_url) == [
        ("field", "uuid"),
        ("field", "name"),
        ("page", "2"),
        ("page_size", "2"),
        ("state", "OK"),
    ]
    assert ("page", str(-(-count // 2))) in query_of(links(response)["last"])


async def test_links_follow_the_host_the_request_came_to(fake: FakePuhuri) -> None:
    async with client_for(fake, base_url="https://api.example.org:8443/api/") as http:
        response = await http.get("users/", params={"page_size": 5})
    assert links(response)["next"] == "https://api.example.org:8443/api/users/?page=2&page_size=5"
    assert response.json()[0]["url"].startswith("https://api.example.org:8443/api/users/")


async def test_filter_values_containing_next_survive_the_link(fake: FakePuhuri) -> None:
    odd = 'Next; rel="next", <http://evil.example/>'
    for _ in range(3):
        fake.data.add_user(organization=odd)
    async with client_for(fake) as http:
        response = await http.get("users/", params={"organization": odd, "page_size": 1})
        assert response.headers["X-Result-Count"] == "3"
        assert set(response.links) == {"first", "next", "last"}
        next_url = links(response)["next"]
        assert urlsplit(next_url).netloc == "puhuri.test"
        assert ("organization", odd) in query_of(next_url)
        second = await http.get(next_url)
        assert second.json()[0]["organization"] == odd
        assert set(second.links) == {"first", "prev", "next", "last"}


async def test_single_and_empty_lists(client: httpx.AsyncClient) -> None:
    single = await client.get("marketplace-service-providers/")
    assert single.headers["X-Result-Count"] == "1"
    assert links(single) == {
        "first": "http://puhuri.test/api/marketplace-service-providers/",
        "last": "http://puhuri.test/api/marketplace-service-providers/",
    }
    empty = await client.get("users/", params={"username": "nobody"})
    assert empty.status_code == 200
    assert empty.json() == []
    assert empty.headers["X-Result-Count"] == "0"
    past = await client.get("users/", params={"username": "nobody", "page": 2})
    assert past.status_code == 404


async def test_head_returns_the_count_only(client: httpx.AsyncClient, fake: FakePuhuri) -> None:
    response = await client.head("marketplace-orders/", params={"state": "pending-provider"})
    assert response.status_code == 200
    expected = sum(o["state"] == "pending-provider" for o in fake.data.orders)
    assert response.headers["X-Result-Count"] == str(expected)
    assert "Link" not in response.headers
    assert response.content == b""


async def test_team_and_plan_periods_are_plain_arrays(
    client: httpx.AsyncClient, fake: FakePuhuri
) -> None:
    resource = fake.data.resources[0]["uuid"]
    for action in ("team", "plan_periods"):
        response = await client.get(f"marketplace-provider-resources/{resource}/{action}/")
        assert response.status_code == 200
        assert isinstance(response.json(), list)
        assert "Link" not in response.headers
