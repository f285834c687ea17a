"""Options shared by the whole suite."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--wheel",
        default=None,
        help="a built puhuri_async wheel for tests/test_packaging.py (default: build one)",
    )
