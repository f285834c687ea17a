"""Data changing on the server while a bulk fetch reads it: no duplicates, drift reported.

Objects inserted at the front of a list push the rest onto later pages (a page-number reader
sees repeats); deleted ones pull items onto pages already read (those are missed, and the total
changes). The client must never yield an object twice, must report the drift
(``CountDriftWarning`` and ``paginator.drift``; ``strict=True`` raises ``CountDriftError``),
and with inserts alone it must lose nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any

import anyio
import pytest

from puhuri_async import CountDriftError, CountDriftWarning, PuhuriClient, SyncPuhuriClient
from puhuri_async.testing import DataChange, FakeData, FakePuhuri

from ._figures import FIGURES
from ._support import FAST_RETRY, TLS, TOKEN, permission_key, user_key

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("anyio_backend", ["asyncio"])]

PAGE_SIZE = 6

CHANGES = {
    "insert": {"insert": 4},
    "delete": {"delete": 4},
    "insert and delete": {"insert": 3, "delete": 5},
}


@pytest.fixture
def served() -> Iterator[tuple[FakePuhuri, str]]:
    fake = FakePuhuri(FakeData.generate(users=50, seed=5), token=TOKEN)
    with fake.serve() as base_url:
        yield fake, base_url


def snapshot(
    fake: FakePuhuri, collection: str, key: Callable[[dict[str, Any]], Hashable]
) -> list[Hashable]:
    with fake.lock:
        return [key(row) for row in getattr(fake.data, collection)]


async def drain(paginator: Any) -> list[Any]:
    return [item async for item in paginator]


LISTS = {
    # name → (collection in FakeData, path glob, key, paginator factory)
    "users": ("users", "users/", user_key, lambda c, sp, strict: c.iter_users(strict=strict)),
    "project_permissions": (
        "permissions",
        "marketplace-service-providers/*/project_permissions/",
        permission_key,
        lambda c, sp, strict: c.iter_service_provider_project_permissions(sp, strict=strict),
    ),
}


@pytest.mark.parametrize("name", list(LISTS))
@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("consume", ["iterate", "collect"])
async def test_no_duplicates_and_drift_reported(
    served: tuple[FakePuhuri, str], name: str, change: str, consume: str
) -> None:
    fake, base_url = served
    collection, path, key, make = LISTS[name]
    before = snapshot(fake, collection, key)
    fake.schedule_change(DataChange(collection, after=2, path=path, **CHANGES[change]))
    sp = str(fake.data.service_provider["uuid"])
    async with PuhuriClient(
        base_url, TOKEN, retry=FAST_RETRY, page_size=PAGE_SIZE, max_concurrency=2, verify=TLS
    ) as client:
        paginator = make(client, sp, False)
        with pytest.warns(CountDriftWarning, match="changed on the server"):
            items = await (paginator.collect() if consume == "collect" else drain(paginator))
    after = snapshot(fake, collection, key)
    got = [key(item.to_dict()) for item in items]
    duplicated = len(got) - len(set(got))
    FIGURES.add(items_duplicated=duplicated)
    assert duplicated == 0
    assert paginator.drift is not None
    assert paginator.drift.initial == len(before)
    assert set(got) <= set(before) | set(after)
    # Whatever was there all along keeps its relative order.
    stable = set(before) & set(after)
    assert [k for k in got if k in stable] == [k for k in before if k in stable and k in got]
    if change == "insert":
        lost = len(set(before) - set(got))
        FIGURES.add(items_lost=lost)
        assert lost == 0
        assert paginator.drift.duplicates > 0


@pytest.mark.parametrize("name", list(LISTS))
async def test_strict_refuses_a_changing_list(served: tuple[FakePuhuri, str], name: str) -> None:
    fake, base_url = served
    collection, path, _, make = LISTS[name]
    fake.schedule_change(DataChange(collection, insert=2, after=1, path=path))
    sp = str(fake.data.service_provider["uuid"])
    async with PuhuriClient(base_url, TOKEN, page_size=PAGE_SIZE) as client:
        with pytest.raises(CountDriftError, match="changed on the server") as info:
            [item async for item in make(client, sp, True)]
    assert info.value.operation is not None
    assert info.value.operation.startswith("iter_")


@pytest.mark.parametrize("how", ["list", "iterate", "sync iterate"])
async def test_the_warning_points_at_the_callers_line(
    served: tuple[FakePuhuri, str], how: str
) -> None:
    """Not at the library's own code: the caller's line is where ``-W error`` or a warnings
    filter by module applies, and where the message leads a reader."""
    fake, base_url = served
    fake.schedule_change(DataChange("users", insert=3, after=1, path="users/"))
    options: dict[str, Any] = {"page_size": PAGE_SIZE, "verify": TLS}

    async def fetch() -> list[Any]:
        if how == "sync iterate":
            with SyncPuhuriClient(base_url, TOKEN, **options) as sync_client:
                return await anyio.to_thread.run_sync(lambda: list(sync_client.iter_users()))
        async with PuhuriClient(base_url, TOKEN, **options) as client:
            if how == "list":
                return list(await client.list_users())
            return [user async for user in client.iter_users()]

    with pytest.warns(CountDriftWarning) as caught:
        users = await fetch()
    assert users
    assert [warning.filename for warning in caught] == [__file__]
