"""``repr()`` of half-made clients, and sync warnings that point at the caller's line."""

from __future__ import annotations

import warnings

import pytest

from puhuri_async import FilterIgnoredWarning, InvalidArgumentError, PuhuriClient, SyncPuhuriClient
from puhuri_async.testing import FakeData, FakePuhuri


def test_repr_of_a_half_constructed_client_never_raises() -> None:
    assert "not constructed" in repr(PuhuriClient.__new__(PuhuriClient))
    assert "not constructed" in repr(SyncPuhuriClient.__new__(SyncPuhuriClient))
    with pytest.raises(InvalidArgumentError) as failed:
        PuhuriClient("https://puhuri.example.org/api/", "token", page_size=0)
    # The constructor's frame, whichever helper below it raised: its half-made ``self``.
    (made,) = [
        entry.frame.f_locals["self"]
        for entry in failed.traceback
        if isinstance(entry.frame.f_locals.get("self"), PuhuriClient)
    ]
    assert "not constructed" in repr(made)


def test_repr_of_a_working_sync_client() -> None:
    fake = FakePuhuri(FakeData.generate(users=5, seed=1))
    with SyncPuhuriClient(fake.base_url, "test-token", transport=fake.transport()) as client:
        assert repr(client) == f"<SyncPuhuriClient {fake.base_url} (open)>"
    assert repr(client).endswith("(closed)>")


def test_a_sync_list_warning_points_at_the_caller() -> None:
    fake = FakePuhuri(FakeData.generate(users=20, seed=2), profile="7.0")
    sp = fake.data.service_provider["uuid"]
    user = fake.data.ssh_keys[0]["user_uuid"]
    with (
        SyncPuhuriClient(fake.base_url, "test-token", transport=fake.transport()) as client,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        client.list_service_provider_ssh_keys(sp, user_uuid=user)
        line = _line_above()
    (warning,) = [w for w in caught if issubclass(w.category, FilterIgnoredWarning)]
    assert warning.filename == __file__
    assert warning.lineno == line


def _line_above() -> int:
    import sys

    return sys._getframe(1).f_lineno - 1
