"""What the client knows of its server, and what it refuses to send a server that lacks it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

import attrs
import pytest
import pytest_asyncio

from puhuri_async import (
    ComponentUsage,
    InvalidArgumentError,
    PermissionDeniedError,
    PuhuriClient,
    ServerInfo,
    UnsupportedByServerError,
)
from puhuri_async._endpoints import _base
from puhuri_async._operations import METHODS
from puhuri_async.testing import FakeData, FakePuhuri, Fault

pytestmark = pytest.mark.asyncio

STAFF, OWNER = "test-token", "owner-token"
ROLES = [STAFF, OWNER]


def make_fake(profile: str) -> FakePuhuri:
    return FakePuhuri(FakeData.generate(users=20, orders=12, seed=4), profile=profile)


@pytest_asyncio.fixture
async def connect() -> AsyncIterator[Callable[[FakePuhuri, str], PuhuriClient]]:
    made: list[PuhuriClient] = []

    def make(fake: FakePuhuri, token: str) -> PuhuriClient:
        client = PuhuriClient(fake.base_url, token, transport=fake.transport())
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


def asked(fake: FakePuhuri) -> list[tuple[str, str]]:
    """The requests a client made to learn what the server is."""
    return [
        (r.method, r.path)
        for r in fake.requests
        if r.method == "OPTIONS" or r.path.endswith("/version/")
    ]


def usable(fake: FakePuhuri) -> tuple[str, str]:
    """A resource that takes usage, and one of its offering's component types."""
    resource = next(
        r
        for r in fake.data.resources
        if r["state"] != "Terminated" and fake.data.plan_periods.get(r["uuid"])
    )
    offering = fake.data.get("offerings", resource["offering_uuid"])
    assert offering is not None
    return resource["uuid"], offering["components"][0]["type"]


def pending_order(fake: FakePuhuri) -> str:
    return str(next(o["uuid"] for o in fake.data.orders if o["state"] == "pending-provider"))


# -- server_version and server_info --------------------------------------------------------------


@pytest.mark.parametrize(("profile", "version"), [("7.0", "7.0.7"), ("8.1", "8.1.2")])
async def test_server_version_is_read_once(
    connect: Callable[[FakePuhuri, str], PuhuriClient], profile: str, version: str
) -> None:
    fake = make_fake(profile)
    client = connect(fake, STAFF)
    assert await client.server_version() == version
    assert await client.server_version() == version
    assert len(fake.requests_for("GET", "version/")) == 1
    info = await client.server_info()
    assert info == ServerInfo(
        version, profile.split(".")[0] if profile == "7.0" else "8.1", "version/"
    )
    assert len(fake.requests) == 2  # server_info read version/ again once; no probe needed


async def test_server_version_is_staff_only(
    connect: Callable[[FakePuhuri, str], PuhuriClient],
) -> None:
    fake = make_fake("7.0")
    with pytest.raises(PermissionDeniedError):
        await connect(fake, OWNER).server_version()


@pytest.mark.parametrize(("profile", "generation"), [("7.0", "7"), ("8.0", "8.0"), ("8.1", "8.1")])
async def test_server_info_for_a_provider_owner_from_options_probes(
    connect: Callable[[FakePuhuri, str], PuhuriClient], profile: str, generation: str
) -> None:
    fake = make_fake(profile)
    client = connect(fake, OWNER)
    info = await client.server_info()
    assert (info.version, info.generation, info.source) == (None, generation, "OPTIONS probes")
    again = await client.server_info()
    assert again is info
    methods = [method for method, _ in asked(fake)]
    assert methods[0] == "GET"
    assert set(methods[1:]) == {"OPTIONS"}
    assert 2 <= len(methods) <= 3
    assert all(r.method in ("GET", "OPTIONS") for r in fake.requests)  # no side effects


async def test_server_info_is_asked_once_under_concurrency(
    connect: Callable[[FakePuhuri, str], PuhuriClient],
) -> None:
    import anyio

    fake = make_fake("8.0")
    client = connect(fake, OWNER)
    found: list[ServerInfo] = []

    async def ask() -> None:
        found.append(await client.server_info())

    async with anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(ask)
    assert len({id(info) for info in found}) == 1
    assert len(fake.requests_for("GET", "version/")) == 1


# -- the two data-loss cases of issue 12 item 4 ------------------------------------------------


@pytest.mark.parametrize("token", ROLES)
async def test_a_dated_usage_is_refused_on_7(
    connect: Callable[[FakePuhuri, str], PuhuriClient], token: str
) -> None:
    fake = make_fake("7.0")
    resource, kind = usable(fake)
    client = connect(fake, token)
    with pytest.raises(UnsupportedByServerError) as refused:
        await client.create_component_usages(
            [ComponentUsage(kind, 5)], resource=resource, date=date(2024, 5, 1)
        )
    error = refused.value
    assert isinstance(error, InvalidArgumentError)
    assert (error.argument, error.needs, error.operation) == (
        "date",
        "8.0.5",
        "create_component_usages",
    )
    assert "current month" in str(error)
    assert "7" in error.server
    assert fake.requests_for("POST") == []


async def test_an_undated_usage_is_sent_to_7_without_asking(
    connect: Callable[[FakePuhuri, str], PuhuriClient],
) -> None:
    fake = make_fake("7.0")
    resource, kind = usable(fake)
    await connect(fake, STAFF).create_component_usages([ComponentUsage(kind, 5)], resource=resource)
    assert len(fake.requests_for("POST")) == 1
    assert asked(fake) == []


@pytest.mark.parametrize("profile", ["8.0", "8.1"])
async def test_a_dated_usage_is_sent_to_8(
    connect: Callable[[FakePuhuri, str], PuhuriClient], profile: str
) -> None:
    fake = make_fake(profile)
    resource, kind = usable(fake)
    await connect(fake, OWNER).create_component_usages(
        [ComponentUsage(kind, 5)], resource=resource, date=date(2024, 5, 1)
    )
    (post,) = fake.requests_for("POST")
    assert post.json["date"] == "2024-05-01T00:00:00+00:00"


@pytest.mark.parametrize("token", ROLES)
async def test_a_rejection_comment_is_refused_on_7(
    connect: Callable[[FakePuhuri, str], PuhuriClient], token: str
) -> None:
    fake = make_fake("7.0")
    order = pending_order(fake)
    client = connect(fake, token)
    with pytest.raises(UnsupportedByServerError) as refused:
        await client.marketplace_order_reject_by_provider(order, comment="no capacity")
    assert refused.value.argument == "comment"
    assert "drop the comment" in str(refused.value)
    assert fake.requests_for("POST") == []
    assert fake.data.get("orders", order)["state"] == "pending-provider"
    await client.marketplace_order_reject_by_provider(order)  # without a comment it is fine
    assert fake.data.get("orders", order)["state"] == "rejected"


async def test_a_rejection_comment_is_sent_to_8(
    connect: Callable[[FakePuhuri, str], PuhuriClient],
) -> None:
    fake = make_fake("8.0")
    order = pending_order(fake)
    await connect(fake, OWNER).marketplace_order_reject_by_provider(order, comment="no capacity")
    (post,) = fake.requests_for("POST")
    assert post.json == {"provider_rejection_comment": "no capacity"}


async def test_a_dropped_field_is_refused_when_the_server_cannot_be_told(
    connect: Callable[[FakePuhuri, str], PuhuriClient],
) -> None:
    fake = make_fake("7.0")
    fake.add_fault(Fault.error(405, method="OPTIONS"))
    order = pending_order(fake)
    client = connect(fake, OWNER)
    with pytest.raises(UnsupportedByServerError) as refused:
        await client.marketplace_order_reject_by_provider(order, comment="no capacity")
    assert "cannot be told" in str(refused.value)
    assert (await client.server_info()).known is False
    assert fake.requests_for("POST") == []


async def test_reads_never_ask(connect: Callable[[FakePuhuri, str], PuhuriClient]) -> None:
    fake = make_fake("7.0")
    client = connect(fake, OWNER)
    await client.list_users()
    await client.list_orders()
    assert asked(fake) == []


# -- operations a server lacks (``since``) -------------------------------------------------------


@pytest.fixture
def needs_8_1(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The table with two rows marked as arriving in 8.1 (a write and a list)."""
    marked = {"marketplace_resource_set_backend_id", "list_orders"}
    table = {
        name: attrs.evolve(row, since="8.1.0") if row.name in marked else row
        for name, row in METHODS.items()
    }
    monkeypatch.setattr(_base, "METHODS", table)
    return table


@pytest.mark.usefixtures("needs_8_1")
@pytest.mark.parametrize("token", ROLES)
async def test_an_operation_the_server_lacks_is_refused_before_sending(
    connect: Callable[[FakePuhuri, str], PuhuriClient], token: str
) -> None:
    fake = make_fake("8.0")
    resource, _ = usable(fake)
    client = connect(fake, token)
    with pytest.raises(UnsupportedByServerError) as refused:
        await client.marketplace_resource_set_backend_id(resource, "b-1")
    assert refused.value.argument == "marketplace_resource_set_backend_id"
    assert refused.value.needs == "8.1.0"
    assert "no such endpoint" in str(refused.value)
    assert fake.requests_for("POST") == []
    # Once the server is known, a list of a newer version is refused at once, too.
    with pytest.raises(UnsupportedByServerError):
        client.iter_orders()
    assert fake.requests_for("GET", "marketplace-orders/") == []


@pytest.mark.usefixtures("needs_8_1")
async def test_an_operation_the_server_has_is_sent(
    connect: Callable[[FakePuhuri, str], PuhuriClient],
) -> None:
    fake = make_fake("8.1")
    resource, _ = usable(fake)
    await connect(fake, OWNER).marketplace_resource_set_backend_id(resource, "b-1")
    assert len(fake.requests_for("POST")) == 1
