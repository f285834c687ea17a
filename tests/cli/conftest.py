"""Fixtures of the command-line tests: a FakePuhuri on a loopback port and a ``puhuri`` runner.

Every run has a config directory of its own (nothing of the developer's is read) and checks
that the API token appears nowhere in what the command printed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from puhuri_async.cli._commands import cli
from puhuri_async.testing import DEFAULT_BASE_URL, FakeData, FakePuhuri

from ._servers import WithMe, serve

TOKEN = "cli-test-token-5b7d21"
#: Variables of the developer's shell that would change what ``puhuri`` does.
CLEARED = ("PUHURI_PROFILE", "PUHURI_CONFIG", "PUHURI_TOKEN_PREFIX", "NO_COLOR", "COLUMNS")


@dataclass
class Run:
    """What one ``puhuri`` run did."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def jsonl(self) -> list[Any]:
        return [json.loads(line) for line in self.stdout.splitlines()]


class Puhuri:
    """Runs ``puhuri`` in-process (click's runner) against one served fake."""

    def __init__(self, fake: FakePuhuri, url: str, home: Path) -> None:
        self.fake = fake
        self.url = url
        self.home = home
        self.config = home / "puhuri" / "config.toml"

    def __call__(
        self,
        *args: str,
        token: str = TOKEN,
        env: dict[str, str | None] | None = None,
        input: str | None = None,
        secrets: tuple[str, ...] = (),
    ) -> Run:
        environment: dict[str, str | None] = {
            **dict.fromkeys(CLEARED),
            "XDG_CONFIG_HOME": str(self.home),
            "PUHURI_API_URL": self.url,
            "PUHURI_TOKEN": token,
            **(env or {}),
        }
        result: Result = CliRunner().invoke(
            cli, list(args), env=environment, input=input, catch_exceptions=False
        )
        run = Run(result.exit_code, result.stdout, result.stderr)
        for secret in {TOKEN, token, *secrets} - {""}:
            assert secret not in run.stdout, "the token was printed on stdout"
            assert secret not in run.stderr, "the token was printed on stderr"
        return run

    def served(self, data: Any) -> Any:
        """``data`` (the fake's objects) with URLs as the fake serves them on its port."""
        text = json.dumps(data).replace(DEFAULT_BASE_URL, self.url)
        return json.loads(text)


@pytest.fixture
def fake_data() -> FakeData:
    return FakeData.generate(users=30, seed=5)


@pytest.fixture
def fake(fake_data: FakeData) -> FakePuhuri:
    return FakePuhuri(fake_data, token=TOKEN)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The runs' ``XDG_CONFIG_HOME``: empty, private."""
    path = tmp_path / "config-home"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture
def puhuri(fake: FakePuhuri, home: Path) -> Iterator[Puhuri]:
    """``puhuri`` against the fake (which, through ``WithMe``, also answers ``users/me/``)."""
    with serve(WithMe(fake)) as url:
        yield Puhuri(fake, url, home)
