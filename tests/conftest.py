"""What the whole suite shares: its options and the anyio back ends.

Shared helpers live next to this file: ``_registry.py`` (the operations, from the table),
``_openapi.py`` (the schema subset as a validating transport), ``_clock.py`` (fake time).
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--wheel",
        default=None,
        help="a built puhuri_async wheel for tests/test_packaging.py (default: build one)",
    )


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Both anyio back ends, for every test marked ``pytest.mark.anyio``."""
    return str(request.param)
