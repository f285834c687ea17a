"""The reliability suite's set-up: warnings are errors here, and the figures are reported.

Every test in this directory runs with ``filterwarnings("error")``: a ``ResourceWarning`` (an
unclosed socket or transport, seen when the garbage collector runs; the tests force it with
``gc.collect()``), an unexpected ``CountDriftWarning`` or any other warning fails the test.
Tests that expect a warning catch it with ``pytest.warns``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ._figures import FIGURES

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.filterwarnings("error"))


@pytest.fixture(scope="session", autouse=True)
def _write_figures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    yield
    FIGURES.write(tmp_path_factory.getbasetemp() / "reliability-figures.json")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES.path is None:
        return
    terminalreporter.section("reliability figures")
    for line in FIGURES.lines():
        terminalreporter.write_line(line)
