"""The sync twins of ``request()`` and ``paginate()``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from puhuri_async import InvalidArgumentError, SyncPuhuriClient, User
from puhuri_async.sync import SyncPaginator
from puhuri_async.testing import FakeData, FakePuhuri

TOKEN = "door-token"


@pytest.fixture
def fake() -> FakePuhuri:
    return FakePuhuri(FakeData.generate(users=25, seed=12), token=TOKEN)


@pytest.fixture
def client(fake: FakePuhuri) -> Iterator[SyncPuhuriClient]:
    with SyncPuhuriClient(fake.base_url, TOKEN, transport=fake.transport(), page_size=7) as client:
        yield client


def test_sync_request(client: SyncPuhuriClient, fake: FakePuhuri) -> None:
    name = fake.data.users[2]["username"]
    rows = client.request("GET", f"users/?username={name}")
    assert [row["uuid"] for row in rows] == [fake.data.users[2]["uuid"]]


def test_sync_paginate(client: SyncPuhuriClient, fake: FakePuhuri) -> None:
    paginator = client.paginate("users/", params={"o": "username"}, model=User)
    assert isinstance(paginator, SyncPaginator)
    users = list(paginator)
    assert [u.username for u in users] == sorted(u["username"] for u in fake.data.users)
    assert paginator.total == len(fake.data.users)
    assert len(fake.requests_for("GET", "users/")) == 4


def test_sync_refuses_a_path_leaving_the_root(client: SyncPuhuriClient, fake: FakePuhuri) -> None:
    with pytest.raises(InvalidArgumentError):
        client.request("GET", "%2e%2e/admin/")
    with pytest.raises(InvalidArgumentError):
        client.paginate("../admin/")
    assert fake.requests == []
