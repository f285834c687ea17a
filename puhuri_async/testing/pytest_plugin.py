"""pytest plugin of puhuri-async (entry point ``pytest11``: ``puhuri_async``).

Fixtures:

- ``puhuri_fake``: a fresh in-process ``puhuri_async.testing.FakePuhuri`` with small
  generated data (20 users). Size it with the marker
  ``@pytest.mark.puhuri_fake_data(users=..., orders=..., seed=...)`` (the arguments of
  ``FakeData.generate``); pick the server it plays with
  ``@pytest.mark.puhuri_fake_server(profile="7.0", quirks=Quirks.real(), ...)`` (the keyword
  arguments of ``FakePuhuri``). Add faults with
  ``puhuri_fake.add_fault(Fault.error(503, at=(1,)))`` and read ``puhuri_fake.requests``
  afterwards.
- ``puhuri_fake_url``: the same fake served on a loopback port; the API base URL
  (``http://127.0.0.1:PORT/api/``), for clients that need a real socket.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from puhuri_async.testing._app import FakePuhuri
from puhuri_async.testing._data import FakeData

__all__ = ["puhuri_fake", "puhuri_fake_url"]


def pytest_configure(config: pytest.Config) -> None:
    """Register the sizing marker."""
    config.addinivalue_line(
        "markers",
        "puhuri_fake_data(**sizes): arguments of FakeData.generate for the puhuri_fake fixture",
    )
    config.addinivalue_line(
        "markers",
        "puhuri_fake_server(**options): keyword arguments of FakePuhuri for the puhuri_fake "
        "fixture (profile=, quirks=, tokens=, ...)",
    )


@pytest.fixture
def puhuri_fake(request: pytest.FixtureRequest) -> FakePuhuri:
    """An in-process fake Puhuri Core (token ``test-token``, base URL ``fake.base_url``)."""
    marker = request.node.get_closest_marker("puhuri_fake_data")
    sizes = dict(marker.kwargs) if marker is not None else {}
    server = request.node.get_closest_marker("puhuri_fake_server")
    options = dict(server.kwargs) if server is not None else {}
    return FakePuhuri(FakeData.generate(**sizes), **options)


@pytest.fixture
def puhuri_fake_url(puhuri_fake: FakePuhuri) -> Iterator[str]:
    """``puhuri_fake`` on a loopback port: its API base URL."""
    with puhuri_fake.serve() as base_url:
        yield base_url
