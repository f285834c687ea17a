"""Fixtures of the opt-in suite against a real Waldur Mastermind (see ``_peer`` for the settings).

Without ``PUHURI_REALPEER_URL`` and ``PUHURI_REALPEER_SEED`` every test here is skipped with the
reason, so the normal test command passes on any machine.

A known failure of the client against a real server is marked with the item of the issue that
describes it (``@issue12(N)`` from ``_marks``: marker ``issue12_N`` and ``xfail(strict=True)``),
so the fix that makes it pass turns the run red until its mark is removed. Every item of issue
12 is fixed and unmarked now (``test_known_failures.py`` keeps the tests); ``-m issue12_3``
still selects an item's tests if one is marked again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._marks import ISSUE12
from ._peer import CLIENT_ROLES, FLAVORS, Api, Database, Raw, Settings, settings_from_env

HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "realpeer: runs against a real Waldur (opt-in)")
    for item, about in ISSUE12.items():
        config.addinivalue_line("markers", f"issue12_{item}: issue 12 item {item}, {about}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    settings = settings_from_env()
    budget = float(os.environ.get("PUHURI_REALPEER_TEST_TIMEOUT", "1800"))
    for item in items:
        if HERE not in Path(item.path).parents:
            continue
        item.add_marker(pytest.mark.realpeer)
        # A real server on a shared machine is slow: bulk lists take minutes.
        item.add_marker(pytest.mark.timeout(budget))
        if isinstance(settings, str):
            item.add_marker(pytest.mark.skip(reason=settings))


@pytest.fixture(scope="session")
def settings() -> Settings:
    found = settings_from_env()
    if isinstance(found, str):
        pytest.skip(found)
    return found


@pytest.fixture(scope="session")
def raw(settings: Settings) -> Iterator[Raw]:
    client = Raw(settings)
    yield client
    client.close()


@pytest.fixture(scope="session")
def db(settings: Settings) -> Database:
    """The server's database; tests that need it skip when the settings name none."""
    if settings.psql is None:
        pytest.skip("set PUHURI_REALPEER_PSQL to check what the API cannot show")
    return Database(settings.psql)


@pytest.fixture(scope="session")
def _apis(settings: Settings) -> Iterator[dict[tuple[str, str], Api]]:
    apis = {
        (role, flavor): Api(settings, role, flavor) for role in CLIENT_ROLES for flavor in FLAVORS
    }
    yield apis
    for api in apis.values():
        api.close()


def _ids(params: list[tuple[str, str]]) -> list[str]:
    return [f"{role}-{flavor}" for role, flavor in params]


BOTH = [(role, flavor) for role in CLIENT_ROLES for flavor in FLAVORS]


@pytest.fixture(params=BOTH, ids=_ids(BOTH))
def api(request: pytest.FixtureRequest, _apis: dict[tuple[str, str], Api]) -> Api:
    """The client as the provider's owner and as staff, async and sync."""
    return _apis[request.param]


OWNER = [("owner", flavor) for flavor in FLAVORS]
STAFF = [("staff", flavor) for flavor in FLAVORS]


@pytest.fixture(params=OWNER, ids=_ids(OWNER))
def owner_api(request: pytest.FixtureRequest, _apis: dict[tuple[str, str], Api]) -> Api:
    return _apis[request.param]


@pytest.fixture(params=STAFF, ids=_ids(STAFF))
def staff_api(request: pytest.FixtureRequest, _apis: dict[tuple[str, str], Api]) -> Api:
    return _apis[request.param]
