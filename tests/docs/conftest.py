"""The docs tests' summary: how many code blocks ran alone, and why the others did not."""

from __future__ import annotations

import pytest

from tests.docs.test_examples import block_tally


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Printed at the end of any run that collected tests/docs (this conftest is loaded then)."""
    terminalreporter.section("code blocks of README.md and docs/")
    for what, count in sorted(block_tally().items()):
        terminalreporter.write_line(f"{count:4d}  {what}")
