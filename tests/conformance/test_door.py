"""``client.request()`` and ``client.paginate()``: any endpoint, with what named operations get."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from puhuri_async import (
    CrossOriginError,
    InvalidArgumentError,
    NotFoundError,
    OutcomeUnknownError,
    PuhuriClient,
    ResponseLimits,
    ResponseTooLargeError,
    RetryPolicy,
    User,
)
from puhuri_async._http import Transport
from puhuri_async.testing import FakeData, FakePuhuri, Fault

pytestmark = pytest.mark.asyncio

TOKEN = "door-token"
NO_WAIT = RetryPolicy(backoff_base=0, backoff_max=0)


@pytest.fixture
def fake() -> FakePuhuri:
    return FakePuhuri(FakeData.generate(users=45, seed=11), token=TOKEN)


@pytest_asyncio.fixture
async def client(fake: FakePuhuri) -> AsyncIterator[PuhuriClient]:
    async with PuhuriClient(
        fake.base_url, TOKEN, transport=fake.transport(), retry=NO_WAIT, page_size=10
    ) as client:
        yield client


def pending_order(fake: FakePuhuri) -> str:
    return str(next(o["uuid"] for o in fake.data.orders if o["state"] == "pending-provider"))


async def test_request_get_with_a_query_string_and_params(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    name = fake.data.users[3]["username"]
    data = await client.request("GET", f"users/?username={name}", params={"field": "uuid"})
    assert [row["uuid"] for row in data] == [fake.data.users[3]["uuid"]]
    (record,) = fake.requests_for("GET", "users/")
    assert ("username", name) in record.query
    assert ("field", "uuid") in record.query


async def test_request_leading_slash_and_missing_trailing_slash(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    user = fake.data.users[0]
    data = await client.request("GET", f"/users/{user['uuid']}")
    assert data["username"] == user["username"]
    assert fake.requests_for("GET", f"users/{user['uuid']}/")


async def test_request_accepts_an_objects_own_url(client: PuhuriClient, fake: FakePuhuri) -> None:
    user = fake.data.users[1]
    url = f"{client.base_url}users/{user['uuid']}/"
    assert (await client.request("GET", url))["uuid"] == user["uuid"]


async def test_request_raises_the_typed_errors(client: PuhuriClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.request("GET", f"marketplace-orders/{uuid.uuid4()}/")
    assert caught.value.operation == "request"


async def test_request_post_is_sent_once_when_it_may_have_landed(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    path = f"marketplace-orders/{pending_order(fake)}/approve_by_provider/"
    fake.add_fault(Fault.error(502, method="POST", path=path, applied=True, at=(1,)))
    with pytest.raises(OutcomeUnknownError):
        await client.request("POST", path, json={})
    assert len(fake.requests_for("POST", path)) == 1


async def test_request_idempotent_write_is_retried(client: PuhuriClient, fake: FakePuhuri) -> None:
    path = f"marketplace-orders/{pending_order(fake)}/approve_by_provider/"
    fake.add_fault(Fault.error(503, method="POST", path=path, at=(1,)))
    await client.request("POST", path, json={}, idempotent=True)
    assert [r.status for r in fake.requests_for("POST", path)] == [503, 200]


async def test_request_empty_answer_is_none(client: PuhuriClient, fake: FakePuhuri) -> None:
    path = f"marketplace-orders/{pending_order(fake)}/approve_by_provider/"
    result = await client.request("POST", path)
    assert result is None or isinstance(result, dict)
    order = next(o for o in fake.data.orders if o["uuid"] == path.split("/")[1])
    assert order["state"] != "pending-provider"


async def test_request_body_cap_applies(fake: FakePuhuri) -> None:
    client = PuhuriClient(fake.base_url, TOKEN, transport=fake.transport())
    client._transport = Transport(
        fake.base_url,
        TOKEN,
        transport=fake.transport(),
        response_limits=ResponseLimits(max_body_size=200),
    )
    async with client:
        with pytest.raises(ResponseTooLargeError):
            await client.request("GET", "users/")


@pytest.mark.parametrize(
    "path",
    [
        "../admin/",
        "users/../../admin/",
        "./users/",
        "users//x/",
        "%2e%2e/admin/",
        "%2E%2E/admin/",
        "users/%2e%2e/%2e%2e/admin/",
        "%252e%252e/admin/",
        "users%2f..%2fadmin/",
        "users\\..\\admin/",
        "//evil.example/api/users/",
        "users/#x",
        "users/ x/",
    ],
)
async def test_a_path_that_leaves_the_api_root_is_refused_before_sending(
    client: PuhuriClient, fake: FakePuhuri, path: str
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.request("GET", path)
    assert caught.value.argument == "path"
    with pytest.raises(InvalidArgumentError):
        client.paginate(path)
    assert fake.requests == []


@pytest.mark.parametrize(
    "url",
    ["http://evil.example/api/users/", "https://127.0.0.1/api/users/"],
)
async def test_an_absolute_url_elsewhere_is_refused(
    client: PuhuriClient, fake: FakePuhuri, url: str
) -> None:
    with pytest.raises(CrossOriginError):
        await client.request("GET", url)
    assert fake.requests == []


async def test_an_absolute_url_on_the_origin_outside_the_api_root_is_refused(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    root = client.base_url.removesuffix("api/")
    with pytest.raises(InvalidArgumentError):
        await client.request("GET", root + "admin/")
    assert fake.requests == []


async def test_request_checks_idempotent(client: PuhuriClient) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.request("POST", "users/", idempotent="yes")  # type: ignore[arg-type]
    assert caught.value.argument == "idempotent"


async def test_paginate_reads_every_page_concurrently_as_dicts(
    client: PuhuriClient, fake: FakePuhuri
) -> None:
    rows = await client.paginate("users/?o=username").collect()
    assert sorted(r["uuid"] for r in rows) == sorted(u["uuid"] for u in fake.data.users)
    assert all(isinstance(r, dict) for r in rows)
    pages = fake.requests_for("GET", "users/")
    assert len(pages) == 5
    assert all(("o", "username") in p.query for p in pages)


async def test_paginate_with_a_model_and_params(client: PuhuriClient, fake: FakePuhuri) -> None:
    paginator = client.paginate("users/", params={"o": "username"}, model=User, limit=12)
    users = [user async for user in paginator]
    assert len(users) == 12
    assert all(isinstance(user, User) for user in users)
    assert [u.username for u in users] == sorted(u["username"] for u in fake.data.users)[:12]


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"params": {"page": 2}}, "params"),
        ({"model": dict}, "model"),
    ],
)
async def test_paginate_checks_its_arguments(
    client: PuhuriClient, fake: FakePuhuri, kwargs: dict[str, Any], argument: str
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        client.paginate("users/", **kwargs)
    assert caught.value.argument == argument
    with pytest.raises(InvalidArgumentError):
        client.paginate("users/?page_size=3")
    assert fake.requests == []
