"""list_users / iter_users and list_ssh_keys / iter_ssh_keys."""

from __future__ import annotations

import httpx
import pytest
import respx

from puhuri_async import InvalidArgumentError, PuhuriClient, SshKey, User
from puhuri_async.testing import FakePuhuri

pytestmark = pytest.mark.asyncio

API = "https://puhuri.example.org/api/"


async def test_list_users_returns_every_user_as_typed_models(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    users = await client.list_users()
    assert len(users) == len(fake.data.users)
    assert all(isinstance(user, User) for user in users)
    assert [u.uuid for u in users] == [u["uuid"] for u in fake.data.users]
    assert users[0]["uuid"] == users[0].uuid


async def test_list_users_sends_filters_from_dict_and_keywords() -> None:
    with respx.mock(base_url=API) as mock:
        route = mock.get("users/").mock(
            return_value=httpx.Response(200, json=[], headers={"X-Result-Count": "0"})
        )
        async with PuhuriClient(API, "t0ken-x") as client:
            filters = {"is_active": True}
            assert await client.list_users(filters, username="alice") == []
        assert filters == {"is_active": True}  # never mutated
        params = route.calls[0].request.url.params  # page 1 (2-4 go with it: first_window)
        assert params.get_list("is_active") == ["true"]
        assert params.get_list("username") == ["alice"]
        assert params.get_list("page_size") == ["300"]
        assert params.get_list("page") == ["1"]


async def test_iter_users_streams_in_server_order(client: PuhuriClient, fake: FakePuhuri) -> None:
    seen = [user.uuid async for user in client.iter_users()]
    assert seen == [u["uuid"] for u in fake.data.users]


async def test_list_users_limit_and_progress(client: PuhuriClient) -> None:
    calls: list[tuple[int, int | None]] = []
    users = await client.list_users(limit=5, progress=lambda *args: calls.append(args))
    assert len(users) == 5
    assert calls
    assert calls[-1][0] == 5


async def test_unknown_filter_is_refused_before_any_request(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.list_users(usrname="alice")
    assert caught.value.argument == "filters"
    assert "usrname" in str(caught.value)
    assert "username" in str(caught.value)
    assert fake.requests == []


async def test_list_ssh_keys_fetches_all_pages(client: PuhuriClient, fake: FakePuhuri) -> None:
    keys = await client.list_ssh_keys()
    assert len(keys) == len(fake.data.ssh_keys)
    assert all(isinstance(key, SshKey) for key in keys)
    assert {k.uuid for k in keys} == {k["uuid"] for k in fake.data.ssh_keys}


async def test_list_ssh_keys_filter_by_user(client: PuhuriClient, fake: FakePuhuri) -> None:
    owner = fake.data.ssh_keys[0]["user_uuid"]
    keys = await client.list_ssh_keys(user_uuid=owner)
    assert keys
    assert all(key.user_uuid == owner for key in keys)


async def test_iter_ssh_keys_many_pages() -> None:
    """Small pages make many requests; each key is yielded once, in order."""
    from puhuri_async.testing import FakeData

    fake = FakePuhuri(FakeData.generate(users=95, seed=1), token="tok-1")
    async with PuhuriClient(
        fake.base_url, "tok-1", transport=fake.transport(), page_size=10
    ) as client:
        keys = [key.uuid async for key in client.iter_ssh_keys()]
    assert keys == [k["uuid"] for k in fake.data.ssh_keys]
    assert len(fake.requests_for("GET", "keys/")) == -(-len(keys) // 10)
