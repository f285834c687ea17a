"""Pagination ``key=``: deduplicating items that have no ``uuid`` (e.g. project permissions)."""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import Any

import pytest
import respx

from puhuri_async import CountDriftWarning, UnstableOrderWarning

from ._fakes import ListServer

pytestmark = pytest.mark.anyio


def permission(n: int) -> dict[str, Any]:
    """A row without ``uuid``: a user's role in a project."""
    return {"user_uuid": f"{n:032x}", "project_uuid": f"{n % 3:032x}", "role": "member"}


def by_user_and_project(row: dict[str, Any]) -> Hashable | None:
    return (row.get("user_uuid"), row.get("project_uuid"))


def shifting_server() -> ListServer:
    """30 rows in pages of 10; after page 1 three rows are inserted in front, so the next pages
    repeat the last three rows of the page before."""

    def insert_three(server: ListServer) -> None:
        server.items[:0] = [permission(1000 + n) for n in range(3)]

    return ListServer([permission(n) for n in range(30)], on_page={1: insert_three})


async def test_custom_key_deduplicates_rows_without_uuid(
    router: respx.MockRouter, make_transport: Any
) -> None:
    router.get("permissions/").mock(side_effect=shifting_server())
    async with make_transport() as transport:
        pager = transport.paginate(
            "permissions/",
            operation="list_permissions",
            item=dict,
            page_size=10,
            key=by_user_and_project,
        )
        with pytest.warns(CountDriftWarning):
            rows = await pager.collect()
    keys = [by_user_and_project(row) for row in rows]
    assert len(keys) == len(set(keys))  # no row twice
    assert set(keys) >= {by_user_and_project(permission(n)) for n in range(30)}
    assert pager.drift is not None
    assert pager.drift.duplicates == 3


async def test_without_a_key_rows_without_uuid_are_not_deduplicated(
    router: respx.MockRouter, make_transport: Any
) -> None:
    router.get("permissions/").mock(side_effect=shifting_server())
    async with make_transport() as transport:
        pager = transport.paginate(
            "permissions/", operation="list_permissions", item=dict, page_size=10
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CountDriftWarning)
            rows = await pager.collect()
    keys = [by_user_and_project(row) for row in rows]
    assert len(keys) - len(set(keys)) == 3  # the default key (uuid) sees nothing to compare


async def test_key_returning_none_keeps_the_row(
    router: respx.MockRouter, make_transport: Any
) -> None:
    rows = [{"name": "a"}, {"name": "a"}, {"name": "b", "id": 1}, {"name": "b", "id": 1}]
    router.get("things/").mock(side_effect=ListServer(rows))
    async with make_transport() as transport:
        with pytest.warns(UnstableOrderWarning, match="1 item came twice"):
            got = await transport.paginate(
                "things/", operation="list_things", item=dict, key=lambda row: row.get("id")
            ).collect()
    assert got == [{"name": "a"}, {"name": "a"}, {"name": "b", "id": 1}]
