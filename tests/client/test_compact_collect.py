"""A long ``list_*`` call gives its items compacted (``_compact``) and the very same values as
streaming them; the items of a stream and of a short list are left as decoded."""

from __future__ import annotations

import json

import pytest

import puhuri_async._compact as compact
from puhuri_async import PuhuriClient
from puhuri_async.models import json_default
from puhuri_async.models._base import EMPTY_LIST

pytestmark = pytest.mark.asyncio


async def test_a_long_list_is_compacted_and_reads_as_streamed(
    client: PuhuriClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compact, "LONG", 10)
    paged = client.with_options(page_size=7)
    collected = await paged.list_users()
    streamed = [user async for user in paged.iter_users()]
    assert len(collected) == len(streamed) == 40
    for kept, seen in zip(collected, streamed, strict=True):
        assert kept == seen
        assert kept.to_dict() == seen.to_dict()
        assert list(kept.keys()) == list(seen.keys())
        assert json.dumps(kept, default=json_default) == json.dumps(seen, default=json_default)
        assert kept.affiliations == seen.affiliations
        assert kept.affiliations is not EMPTY_LIST
    shared = [user for user in collected if user._data.get("permissions") is EMPTY_LIST]
    assert shared  # the pages after the first 10 rows
    methods = [user._data["registration_method"] for user in collected[7:]]
    assert len(set(methods)) < len(methods)
    assert len(set(map(id, methods))) == len(set(methods))  # one string per distinct value
    assert all(user._data.get("permissions") is not EMPTY_LIST for user in streamed)
    assert all(user._data.get("permissions") is not EMPTY_LIST for user in collected[:7])


async def test_a_short_list_is_left_as_decoded(client: PuhuriClient) -> None:
    users = await client.with_options(page_size=7).list_users()
    assert len(users) == 40
    assert all(
        type(value) is list for user in users for value in user._data.values() if value == []
    )
