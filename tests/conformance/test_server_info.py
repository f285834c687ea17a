"""``ServerInfo`` judged alone, and the sync twins of what the client knows of its server."""

from __future__ import annotations

import pytest

from puhuri_async import (
    PermissionDeniedError,
    ServerInfo,
    SyncPuhuriClient,
    UnsupportedByServerError,
)

from .test_refusals import OWNER, make_fake, pending_order


def test_satisfies_compares_versions_and_generations() -> None:
    exact = ServerInfo("7.0.7+2.g1ea6cb820", "7", "version/")
    assert exact.satisfies("7.0.7") is True
    assert exact.satisfies("8.0.5") is False
    probed = ServerInfo(None, "8.0", "OPTIONS probes")
    assert probed.satisfies("8.0.5") is True
    assert probed.satisfies("8.1.0") is False
    assert probed.satisfies("7.0.0") is True
    assert ServerInfo(None, "8.1", "OPTIONS probes").satisfies("8.1.0") is True
    assert ServerInfo(None, None, "unknown").satisfies("8.0.5") is None
    assert str(probed) == "8.0.x (told by OPTIONS probes)"


def test_sync_server_info_and_refusal() -> None:
    fake = make_fake("7.0")
    order = pending_order(fake)
    with SyncPuhuriClient(fake.base_url, OWNER, transport=fake.transport()) as client:
        assert client.server_info().generation == "7"
        with pytest.raises(UnsupportedByServerError):
            client.marketplace_order_reject_by_provider(order, comment="no")
        with pytest.raises(PermissionDeniedError):
            client.server_version()
    assert fake.requests_for("POST") == []
