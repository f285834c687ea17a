"""A long ``list_*`` call gives its items compacted (``_compact``) and the very same values as
streaming them; a short list shares only its empty lists; a stream's items are left as
decoded."""

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
    empty = [user for user in collected if user._data.get("permissions") == []]
    assert empty
    assert all(user._data["permissions"] is EMPTY_LIST for user in empty)  # every page
    methods = [user._data["registration_method"] for user in collected[7:]]
    assert len(set(methods)) < len(methods)
    assert len(set(map(id, methods))) == len(set(methods))  # one string per distinct value
    assert all(user._data.get("permissions") is not EMPTY_LIST for user in streamed)
    first = [user._data["registration_method"] for user in collected[:7]]
    assert len(set(map(id, first))) > len(set(first))  # strings shared from the 10th row on


async def test_a_short_list_shares_its_empty_lists_not_its_strings(client: PuhuriClient) -> None:
    """Sharing ``[]`` costs a pass per list key and page and saves the collector a tracked
    object per value; sharing strings pays only in the memory of a long list."""
    users = await client.with_options(page_size=7).list_users()
    assert len(users) == 40
    empty = [value for user in users for value in user._data.values() if value == []]
    assert empty
    assert all(value is EMPTY_LIST for value in empty)
    sharing = [user for user in users if user._data.get("permissions") is EMPTY_LIST]
    assert sharing
    for user in sharing:  # neither face hands the shared list out
        assert user["permissions"] == []
        assert user["permissions"] is not EMPTY_LIST
        assert user.to_dict()["permissions"] is not EMPTY_LIST
        assert not user.permissions
    methods = [user._data["registration_method"] for user in users]
    assert len(set(map(id, methods))) > len(set(methods))  # each string its own object
