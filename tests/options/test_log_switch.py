"""``PUHURI_LOG``: the library's log on stderr from the environment, never with the token."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

from puhuri_async import PuhuriWarning
from puhuri_async._logging import ENV_LOG, configure_from_env

TOKEN = "log-switch-token-0123456789"
SCRIPT = textwrap.dedent(
    f"""
    import asyncio
    from puhuri_async import PuhuriClient, RetryPolicy
    from puhuri_async.testing import Fault, FakeData, FakePuhuri

    fake = FakePuhuri(FakeData.generate(users=3, seed=1), token={TOKEN!r})
    fake.add_fault(Fault.error(503, at=(1,)))

    async def main():
        policy = RetryPolicy(backoff_base=0.001, backoff_max=0.001)
        async with PuhuriClient(fake.base_url, {TOKEN!r}, transport=fake.transport(),
                                retry=policy) as client:
            await client.list_users()

    asyncio.run(main())
    """
)


def _run(value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != ENV_LOG}
    if value is not None:
        env[ENV_LOG] = value
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert TOKEN not in done.stderr + done.stdout
    return done.stderr


@pytest.fixture
def restore_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("puhuri_async")
    handlers, level = list(logger.handlers), logger.level
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_debug_shows_each_exchange_and_the_retry() -> None:
    err = _run("debug")
    assert " DEBUG puhuri_async: GET " in err
    assert "users/" in err
    assert " INFO puhuri_async: list_users: retry 1/" in err


def test_info_shows_the_retry_only() -> None:
    err = _run("INFO")
    assert " INFO puhuri_async: list_users: retry 1/" in err
    assert "DEBUG" not in err


def test_unset_or_warning_prints_nothing() -> None:
    assert _run(None) == ""
    assert _run("warning") == ""


def test_an_unknown_value_warns_and_changes_nothing(restore_logger: logging.Logger) -> None:
    before = list(restore_logger.handlers)
    with pytest.warns(PuhuriWarning, match="PUHURI_LOG='loud' is not one of debug"):
        assert configure_from_env({ENV_LOG: "loud"}) is None
    assert restore_logger.handlers == before


def test_configuring_again_replaces_the_handler(restore_logger: logging.Logger) -> None:
    first = configure_from_env({ENV_LOG: "debug"})
    second = configure_from_env({ENV_LOG: "info"})
    assert first is not None
    assert second is not None
    assert first not in restore_logger.handlers
    assert second in restore_logger.handlers
    assert configure_from_env({}) is None
    assert second not in restore_logger.handlers
